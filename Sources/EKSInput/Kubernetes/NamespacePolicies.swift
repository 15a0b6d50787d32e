import EKSModel
import Foundation
import Yams

/// One `type: Container` entry of a LimitRange, after the API server's defaulting.
///
/// kubernetes pkg/apis/core/v1/defaults.go `SetDefaults_LimitRangeItem`: a missing `default`
/// (limit) takes `max`; a missing `defaultRequest` takes `default`, else `min`.
struct ContainerLimitRange {
    var name: String
    var defaultLimit: WorkloadReader.ResourceList
    var defaultRequest: WorkloadReader.ResourceList
    var min: WorkloadReader.ResourceList
    var max: WorkloadReader.ResourceList

    init(
        name: String, defaultLimit: WorkloadReader.ResourceList, defaultRequest: WorkloadReader.ResourceList,
        min: WorkloadReader.ResourceList, max: WorkloadReader.ResourceList
    ) {
        self.name = name
        self.defaultLimit = defaultLimit.filled(from: max)
        self.defaultRequest = defaultRequest.filled(from: self.defaultLimit).filled(from: min)
        self.min = min
        self.max = max
    }
}

/// A ResourceQuota's `spec.hard` entries ekscost checks.
struct QuotaLimits {
    var name: String
    var namespace: String
    var location: SourceLocation
    /// `pods`, `requests.cpu` (or `cpu`), `requests.memory` (or `memory`), `limits.cpu`, `limits.memory`.
    var hard: [String: (amount: Int64, text: String, location: SourceLocation)] = [:]
}

/// What a namespace's pods add up to.
struct NamespaceUsage {
    var pods: Int64 = 0
    var requests = ResourceRequests.zero
    var limits = ResourceRequests.zero
    /// Workloads whose containers lack a request or limit a quota tracks, by quota key.
    var missing: [String: [String]] = [:]

    func value(_ key: String) -> Int64 {
        switch key {
        case "pods": pods
        case "requests.cpu": requests.cpuMillicores
        case "requests.memory": requests.memoryBytes
        case "limits.cpu": limits.cpuMillicores
        case "limits.memory": limits.memoryBytes
        default: 0
        }
    }
}

/// The LimitRanger and ResourceQuota admission rules ekscost applies to manifests.
enum NamespacePolicies {
    /// The quota keys checked, in report order; `cpu` and `memory` mean the requests.
    static let quotaKeys = ["pods", "requests.cpu", "requests.memory", "limits.cpu", "limits.memory"]

    static func readLimitRange(_ spec: MappingReader, name: String, owner: String) -> [ContainerLimitRange] {
        var items: [ContainerLimitRange] = []
        for (path, node) in spec.list("limits", required: "a list of limits") ?? [] {
            guard
                let item = MappingReader(
                    node, context: spec.context, path: path, what: "a limit of \(owner)",
                    allowedKeys: [
                        "type", "default", "defaultRequest", "max", "min", "maxLimitRequestRatio",
                    ])
            else { continue }
            let type = item.choice("type", from: ["Container", "Pod", "PersistentVolumeClaim"])
            if type == nil && !item.has("type") { item.missing("type", "Container, Pod or PersistentVolumeClaim") }
            let defaultLimit = WorkloadReader.readResourceList(item, "default")
            let defaultRequest = WorkloadReader.readResourceList(item, "defaultRequest")
            let max = WorkloadReader.readResourceList(item, "max")
            let min = WorkloadReader.readResourceList(item, "min")
            _ = item.value("maxLimitRequestRatio")
            guard type == "Container" else { continue }
            items.append(
                ContainerLimitRange(
                    name: name, defaultLimit: defaultLimit, defaultRequest: defaultRequest, min: min, max: max))
        }
        return items
    }

    static func readQuota(
        _ spec: MappingReader, name: String, namespace: String, owner: String, location: SourceLocation
    ) -> QuotaLimits? {
        var quota = QuotaLimits(name: name, namespace: namespace, location: location)
        if let node = spec.value("scopes") ?? spec.value("scopeSelector") {
            spec.context.diagnostics.append(
                Diagnostic(
                    .note, "\(owner) applies to some pods only (scopes); ekscost does not check it",
                    at: spec.context.location(node)))
            return nil
        }
        guard let hard = spec.value("hard") else { return nil }
        guard case .mapping(let entries) = hard else {
            spec.context.error(
                "'hard' in \(spec.what) must be a mapping of resources to quantities, found \(hard.kindDescription)",
                at: hard)
            return nil
        }
        for (keyNode, valueNode) in entries {
            guard let key = keyNode.scalarText else { continue }
            let canonical = key == "cpu" ? "requests.cpu" : key == "memory" ? "requests.memory" : key
            guard quotaKeys.contains(canonical) else { continue }
            guard let text = valueNode.scalarText else {
                spec.context.error(
                    "\(key) in hard of \(owner) must be a quantity such as 10, 20Gi or 4000m", at: valueNode)
                continue
            }
            switch ResourceQuantity.parse(text) {
            case .success(let quantity):
                // A quota may be far larger than one container, but never negative or beyond
                // what 64 bits count.
                let amount = canonical.hasSuffix(".cpu") ? quantity.milliValue : quantity.value
                guard quantity.amount >= 0, InputLimits.quotaAmount.contains(amount) else {
                    spec.context.error(
                        "\(key) in hard of \(owner) must be from 0 to \(canonical.hasSuffix(".cpu") ? "4611686018427387 (cores)" : "4Ei"), found '\(text)'",
                        at: valueNode)
                    continue
                }
                quota.hard[canonical] = (amount, text, spec.context.location(valueNode))
            case .failure(let error):
                spec.context.error("\(key) in hard of \(owner): \(error)", at: valueNode)
            }
        }
        return quota.hard.isEmpty ? nil : quota
    }

    /// The container after the API server's defaulting and the LimitRanger admission plugin:
    /// a missing request takes the container's own limit (pkg/apis/core/v1/defaults.go
    /// `SetDefaults_Pod`, applied when the pod is created, before admission); then each
    /// LimitRange of the namespace in turn fills the limits and requests still missing
    /// (plugin/pkg/admission/limitranger/admission.go `mergeContainerResources`).
    /// Returns whether a LimitRange filled anything.
    static func admit(_ written: ManifestContainer, limitRanges: [ContainerLimitRange]) -> (
        container: Container, requests: WorkloadReader.ResourceList, limits: WorkloadReader.ResourceList,
        defaulted: Bool
    ) {
        var requests = written.requests.filled(from: written.limits)
        var limits = written.limits
        var defaulted = false
        for range in limitRanges {
            let newLimits = limits.filled(from: range.defaultLimit)
            let newRequests = requests.filled(from: range.defaultRequest)
            if !same(newLimits, limits) || !same(newRequests, requests) { defaulted = true }
            limits = newLimits
            requests = newRequests
        }
        let container = Container(
            name: written.name,
            requests: ResourceRequests(
                cpuMillicores: requests.cpu ?? 0, memoryBytes: requests.memory ?? 0,
                extended: requests.extendedResources),
            limits: limits.cpu != nil || limits.memory != nil
                ? ResourceRequests(cpuMillicores: limits.cpu ?? 0, memoryBytes: limits.memory ?? 0) : nil,
            privileged: written.privileged, isSidecar: written.isSidecar,
            ephemeralStorageBytes: requests.ephemeralStorage ?? 0, ports: written.ports)
        return (container, requests, limits, defaulted)
    }

    static func same(_ a: WorkloadReader.ResourceList, _ b: WorkloadReader.ResourceList) -> Bool {
        a.cpu == b.cpu && a.memory == b.memory && a.extended == b.extended && a.ephemeralStorage == b.ephemeralStorage
    }

    /// What makes the API server reject the pods: a request above its limit (pod validation,
    /// pkg/apis/core/validation `ValidateResourceRequirements`; easily caused by a LimitRange
    /// default limit below a written request), and the LimitRanger's min / max on CPU and memory.
    static func violations(
        _ written: ManifestContainer, requests: WorkloadReader.ResourceList, limits: WorkloadReader.ResourceList,
        limitRanges: [ContainerLimitRange]
    ) -> [String] {
        var problems: [String] = []
        let container = written.name
        for (resource, request, limit, writtenLimit) in [
            ("cpu", requests.cpu, limits.cpu, written.limits.cpu),
            ("memory", requests.memory, limits.memory, written.limits.memory),
        ] {
            if let request, let limit, request > limit {
                let show = { (value: Int64) in
                    resource == "cpu" ? "\(value)m" : ResourceRequests(memoryBytes: value).memoryText
                }
                problems.append(
                    "container \(container)'s \(resource) request \(show(request)) is above its limit \(show(limit))"
                        + (writtenLimit == nil ? " (a LimitRange default)" : ""))
            }
        }
        for range in limitRanges {
            for (resource, request, limit, min, max) in [
                ("cpu", requests.cpu, limits.cpu, range.min.cpu, range.max.cpu),
                ("memory", requests.memory, limits.memory, range.min.memory, range.max.memory),
            ] {
                let show = { (value: Int64) in
                    resource == "cpu" ? "\(value)m" : ResourceRequests(memoryBytes: value).memoryText
                }
                if let min, let request, request < min {
                    problems.append(
                        "container \(container)'s \(resource) request \(show(request)) is below the minimum \(show(min)) of LimitRange \(range.name)"
                    )
                }
                if let max, let limit, limit > max {
                    problems.append(
                        "container \(container)'s \(resource) limit \(show(limit)) is above the maximum \(show(max)) of LimitRange \(range.name)"
                    )
                }
            }
        }
        return problems
    }

    /// Per resource, the larger of the app containers (plus sidecars) and each init container,
    /// as `podRequests` computes requests (k8s.io/component-helpers/resource PodLimits).
    static func podLimits(
        app: [WorkloadReader.ResourceList], initContainers: [(list: WorkloadReader.ResourceList, sidecar: Bool)]
    ) -> ResourceRequests {
        func requests(_ list: WorkloadReader.ResourceList) -> ResourceRequests {
            ResourceRequests(cpuMillicores: list.cpu ?? 0, memoryBytes: list.memory ?? 0)
        }
        var sidecars = ResourceRequests.zero
        var initPeak = ResourceRequests.zero
        for (list, sidecar) in initContainers {
            if sidecar {
                sidecars = sidecars + requests(list)
                initPeak = initPeak.max(sidecars)
            } else {
                initPeak = initPeak.max(requests(list) + sidecars)
            }
        }
        return app.reduce(sidecars) { $0 + requests($1) }.max(initPeak)
    }

    /// A quota amount for messages: `12 pods`, `4000m CPU`, `8 GiB`.
    static func describe(_ key: String, _ amount: Int64) -> String {
        // Sums are held at Int64.max rather than overflowing (ResourceRequests).
        if amount == .max { return key == "pods" ? "more pods than ekscost counts" : "more than 64 bits count" }
        if key == "pods" { return "\(amount) pods" }
        if key.hasSuffix(".cpu") { return "\(amount)m CPU" }
        return ResourceRequests(memoryBytes: amount).memoryText
    }
}

extension ResourceRequests {
    /// `512 MiB`, `1.5 GiB`, or bytes.
    var memoryText: String {
        if memoryBytes % 1_073_741_824 == 0 && memoryBytes != 0 { return "\(memoryBytes / 1_073_741_824) GiB" }
        if memoryBytes % 1_048_576 == 0 { return "\(memoryBytes / 1_048_576) MiB" }
        return "\(memoryBytes) bytes"
    }
}

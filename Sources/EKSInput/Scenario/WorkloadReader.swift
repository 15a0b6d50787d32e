import EKSModel
import Foundation
import Yams

/// Reads the Kubernetes-shaped parts of a scenario: workloads, containers, tolerations,
/// taints, node affinity. Keys Kubernetes has but capacity planning does not need (image, env,
/// probes…) are accepted and ignored, so pod specs can be pasted as they are.
enum WorkloadReader {
    static let ignoredContainerKeys = [
        "image", "imagePullPolicy", "command", "args", "env", "envFrom", "volumeMounts", "volumeDevices",
        "livenessProbe", "readinessProbe", "startupProbe", "lifecycle", "workingDir", "terminationMessagePath",
        "terminationMessagePolicy", "stdin", "stdinOnce", "tty", "resizePolicy",
    ]

    static func readWorkload(_ node: Node, path: String, cluster: String, context: YAMLDiagnostics) -> Workload? {
        guard
            let map = MappingReader(
                node, context: context, path: path, what: "a workload of cluster \(cluster)",
                named: "workload",
                allowedKeys: [
                    "name", "kind", "namespace", "labels", "replicas", "containers", "initContainers", "nodeSelector",
                    "affinity", "tolerations", "hostNetwork", "imageArchitectures",
                    "completions", "parallelism", "runDuration", "schedule", "runsPerMonth", "hpa", "vpa", "load",
                    "volumeClaimTemplates", "persistentVolumeClaimRetentionPolicy",
                ])
        else { return nil }
        let name = map.string("name", required: "a name for the workload") ?? "workload"
        let kind =
            map.choice("kind", from: WorkloadKind.allCases.map(\.rawValue)).flatMap(WorkloadKind.init) ?? .deployment
        var workload = Workload(name: name, kind: kind, containers: [])
        workload.namespace = map.string("namespace") ?? "default"
        workload.labels = stringMap(map, "labels") ?? [:]
        if kind == .daemonSet || kind.runsToCompletion {
            if let replicasNode = map.value("replicas") {
                let why =
                    kind == .daemonSet
                    ? "a DaemonSet runs one pod on every node it may use"
                    : "a \(kind.rawValue) runs completions pods per run, parallelism at a time"
                context.error("\(why); remove 'replicas' from \(map.what)", at: replicasNode)
            }
            workload.replicas = 0
        } else {
            workload.replicas = map.integer("replicas", in: 0...1_000_000) ?? 1
        }
        if kind == .statefulSet {
            workload.volumeClaimTemplates = VolumeClaimReader.readTemplates(
                map, owner: "StatefulSet \(workload.qualifiedName)")
            workload.retainsVolumesWhenScaled = VolumeClaimReader.retainsWhenScaled(map, owner: map.what)
        } else if let node = map.value("volumeClaimTemplates") ?? map.value("persistentVolumeClaimRetentionPolicy") {
            context.error("volume claim templates are for StatefulSets; \(map.what) is a \(kind.rawValue)", at: node)
        }
        if let items = map.list("containers", required: "a list of containers with their resources") {
            if items.isEmpty { context.error("\(map.what) needs at least one container", at: map.value("containers")!) }
            workload.containers = items.compactMap {
                readContainer($0.node, path: $0.path, owner: map.what, initContainer: false, context: context)
            }
        }
        if let items = map.list("initContainers") {
            workload.initContainers = items.compactMap {
                readContainer($0.node, path: $0.path, owner: map.what, initContainer: true, context: context)
            }
        }
        workload.nodeSelector = stringMap(map, "nodeSelector") ?? [:]
        if let affinity = map.mapping(
            "affinity", what: "affinity of \(map.what)",
            allowedKeys: ["nodeAffinity", "podAffinity", "podAntiAffinity"])
        {
            workload.nodeAffinity = readNodeAffinity(affinity, context: context)
            _ = affinity.value("podAffinity")
            _ = affinity.value("podAntiAffinity")
        }
        if let items = map.list("tolerations") {
            workload.tolerations = items.compactMap {
                readToleration($0.node, path: $0.path, owner: map.what, context: context)
            }
        }
        workload.hostNetwork = map.bool("hostNetwork") ?? false
        if let items = map.list("imageArchitectures") {
            workload.imageArchitectures = items.compactMap { item in
                guard let text = item.node.scalarText, ["amd64", "arm64"].contains(text) else {
                    context.error(
                        "imageArchitectures of \(map.what) take amd64 and arm64, found \(item.node.kindDescription)",
                        at: item.node)
                    return nil
                }
                return text
            }
        }
        if let hpa = map.mapping(
            "hpa", what: "the HPA of \(map.what)",
            allowedKeys: [
                "minReplicas", "maxReplicas", "metrics", "behavior", "targetCPUUtilizationPercentage",
            ])
        {
            if kind == .daemonSet || kind.runsToCompletion {
                context.error(
                    "an HPA scales Deployments and StatefulSets; \(map.what) is a \(kind.rawValue)", at: hpa.node)
            } else {
                workload.hpa = AutoscalerReader.readHPASpec(
                    hpa, v1: hpa.has("targetCPUUtilizationPercentage"), owner: hpa.what)
            }
        }
        if let vpa = map.mapping(
            "vpa", what: "the VPA of \(map.what)", allowedKeys: ["updateMode", "containerPolicies"])
        {
            workload.vpa = AutoscalerReader.readVPASettings(vpa, owner: vpa.what)
        }
        if let load = map.mapping("load", what: "the load of \(map.what)", allowedKeys: ["cpu", "memory", "metrics"]) {
            workload.load = AutoscalerReader.readLoad(load, context: context)
        }
        let jobKeys = ["completions", "parallelism", "runDuration", "schedule", "runsPerMonth"]
        if kind.runsToCompletion {
            workload.job = readJob(map, kind: kind, context: context)
        } else {
            for key in jobKeys {
                if let node = map.value(key) {
                    context.error("'\(key)' is for Jobs and CronJobs; \(map.what) is a \(kind.rawValue)", at: node)
                }
            }
        }
        return workload
    }

    /// completions, parallelism, runDuration (how long each pod runs), schedule (CronJobs),
    /// runsPerMonth (overrides the count).
    static func readJob(_ map: MappingReader, kind: WorkloadKind, context: YAMLDiagnostics) -> JobSpec? {
        var seconds = 0
        if let text = map.string("runDuration", required: "how long each pod runs, such as 90s, 10m or 1h30m") {
            switch DurationText.checkedSeconds(text) {
            case .success(let value): seconds = value
            case .failure(let problem):
                context.error("runDuration of \(map.what) \(problem)", at: map.value("runDuration")!)
            }
        }
        var job = JobSpec(
            completions: map.integer("completions", in: 1...100_000) ?? 1,
            parallelism: map.integer("parallelism", in: 1...100_000) ?? 1, runSeconds: seconds)
        if kind == .cronJob {
            if let text = map.string("schedule", required: "a cron schedule such as \"0 2 * * *\"") {
                switch CronSchedule.parse(text) {
                case .success(let schedule): job.schedule = schedule
                case .failure(let error): context.error("schedule of \(map.what): \(error)", at: map.value("schedule")!)
                }
            }
        } else if let node = map.value("schedule") {
            context.error(
                "'schedule' is for CronJobs; \(map.what) is a Job (use runsPerMonth for a Job that runs several times)",
                at: node)
        }
        if let node = map.value("runsPerMonth") {
            switch CheckedNumber.decimal(node.scalarText ?? node.kindDescription, in: InputLimits.runsPerMonth) {
            case .success(let runs): job.runsPerMonth = runs
            case .failure(let problem): context.error("runsPerMonth of \(map.what) \(problem)", at: node)
            }
        }
        return job
    }

    static func readFargateProfile(_ node: Node, path: String, cluster: String, context: YAMLDiagnostics)
        -> FargateProfile?
    {
        guard
            let map = MappingReader(
                node, context: context, path: path, what: "a Fargate profile of cluster \(cluster)",
                named: "Fargate profile", allowedKeys: ["name", "selectors", "subnets", "podExecutionRoleARN", "tags"])
        else { return nil }
        let name = map.string("name", required: "a name for the profile") ?? "fargate"
        for key in ["subnets", "podExecutionRoleARN", "tags"] { _ = map.value(key) }
        return FargateProfile(name: name, selectors: readFargateSelectors(map, context: context))
    }

    /// A Fargate profile's `selectors` (scenario and eksctl alike): 1 to 5, each a namespace
    /// (wildcards allowed) and optional labels.
    static func readFargateSelectors(_ map: MappingReader, context: YAMLDiagnostics) -> [FargateSelector] {
        var selectors: [FargateSelector] = []
        if let items = map.list("selectors", required: "a list of selectors, each with a namespace and optional labels")
        {
            if items.isEmpty || items.count > 5 {
                context.error("\(map.what) needs 1 to 5 selectors, found \(items.count)", at: map.value("selectors")!)
            }
            for (selectorPath, selectorNode) in items {
                guard
                    let selector = MappingReader(
                        selectorNode, context: context, path: selectorPath, what: "a selector of \(map.what)",
                        allowedKeys: ["namespace", "labels"])
                else { continue }
                let namespace =
                    selector.string(
                        "namespace", required: "the namespace whose pods run on Fargate (wildcards * and ? allowed)")
                    ?? ""
                selectors.append(FargateSelector(namespace: namespace, labels: stringMap(selector, "labels") ?? [:]))
            }
        }
        return selectors
    }

    static func readContainer(_ node: Node, path: String, owner: String, initContainer: Bool, context: YAMLDiagnostics)
        -> Container?
    {
        var keys = ["name", "resources", "securityContext", "ports"] + ignoredContainerKeys
        if initContainer { keys.append("restartPolicy") }
        guard
            let map = MappingReader(
                node, context: context, path: path, what: "a container of \(owner)",
                named: "container", allowedKeys: keys)
        else { return nil }
        let name = map.string("name", required: "a name for the container") ?? "container"
        for key in ignoredContainerKeys { _ = map.value(key) }
        var container = Container(name: name)
        if let resources = map.mapping("resources", what: map.what, allowedKeys: ["requests", "limits", "claims"]) {
            let requests = readResourceList(resources, "requests")
            let limits = readResourceList(resources, "limits")
            checkNotOvercommitted(requests: requests, limits: limits, in: resources)
            // Kubernetes defaults a missing request to its limit (pkg/apis/core/v1/defaults.go).
            let cpu = requests.cpu ?? limits.cpu ?? 0
            let memory = requests.memory ?? limits.memory ?? 0
            container.requests = ResourceRequests(
                cpuMillicores: cpu, memoryBytes: memory,
                extended: requests.filled(from: limits).extendedResources)
            if limits.cpu != nil || limits.memory != nil {
                container.limits = ResourceRequests(cpuMillicores: limits.cpu ?? 0, memoryBytes: limits.memory ?? 0)
            }
            container.ephemeralStorageBytes = requests.ephemeralStorage ?? limits.ephemeralStorage ?? 0
        }
        if let security = map.mapping(
            "securityContext", what: "securityContext of \(map.what)",
            allowedKeys: [
                "privileged", "runAsUser", "runAsGroup", "runAsNonRoot", "readOnlyRootFilesystem",
                "allowPrivilegeEscalation",
                "capabilities", "seccompProfile", "seLinuxOptions", "procMount", "appArmorProfile", "windowsOptions",
            ])
        {
            container.privileged = security.bool("privileged") ?? false
        }
        container.ports = ContainerPortsReader.read(map)
        if initContainer, let policy = map.choice("restartPolicy", from: ["Always"]) {
            container.isSidecar = policy == "Always"
        }
        return container
    }

    struct ResourceList {
        var cpu: Int64?
        var memory: Int64?
        var ephemeralStorage: Int64?
        /// Extended resources and hugepages by name, and where each was written.
        var extended: [String: Int64] = [:]
        var extendedNodes: [String: Node] = [:]

        var extendedResources: ExtendedResources { ExtendedResources(extended) }
    }

    /// Extended resources and hugepages cannot be overcommitted: a request needs a limit, and the
    /// two must be equal (pkg/apis/core/validation `ValidateResourceRequirements`,
    /// `IsOvercommitAllowed`). A limit alone is also the request.
    static func checkNotOvercommitted(requests: ResourceList, limits: ResourceList, in map: MappingReader) {
        for name in requests.extended.keys.sorted() {
            let request = requests.extended[name]!
            guard let node = requests.extendedNodes[name] else { continue }
            if let limit = limits.extended[name] {
                if limit != request {
                    map.context.error(
                        "\(name) in requests of \(map.what) is \(request) but its limit is \(limit); \(name) cannot be overcommitted, so the two must be equal",
                        at: node)
                }
            } else {
                map.context.error(
                    "\(name) in requests of \(map.what) needs the same amount in limits: \(name) cannot be overcommitted (or give it in limits only)",
                    at: node)
            }
        }
    }

    /// The most of one extended resource a container may ask for: devices are counted one by one.
    static let maxExtendedCount: Int64 = 1_000_000

    static func readResourceList(_ map: MappingReader, _ key: String) -> ResourceList {
        var list = ResourceList()
        guard let node = map.value(key) else { return list }
        guard case .mapping(let entries) = node else {
            map.context.error(
                "'\(key)' in \(map.what) must be a mapping such as {cpu: 500m, memory: 1Gi}, found \(node.kindDescription)",
                at: node)
            return list
        }
        for (keyNode, valueNode) in entries {
            let resource = keyNode.scalarText ?? ""
            guard let text = valueNode.scalarText else {
                map.context.error(
                    "\(resource) in \(key) of \(map.what) must be a quantity such as 500m or 2Gi", at: valueNode)
                continue
            }
            let quantity: ResourceQuantity
            switch ResourceQuantity.parse(text) {
            case .success(let parsed): quantity = parsed
            case .failure(let error):
                map.context.error("\(resource) in \(key) of \(map.what): \(error)", at: valueNode)
                continue
            }
            if quantity.amount < 0 {
                map.context.error("\(resource) in \(key) of \(map.what) must not be negative", at: valueNode)
                continue
            }
            // Range-checked: CPU, memory, storage and hugepages here; extended resources below;
            // an unknown name is reported below.
            if ["cpu", "memory", "ephemeral-storage"].contains(resource) || resource.hasPrefix("hugepages-"),
                case .failure(let problem) = quantity.amount(of: resource)
            {
                map.context.error("\(resource) in \(key) of \(map.what) \(problem)", at: valueNode)
                continue
            }
            switch resource {
            case "cpu": list.cpu = quantity.milliValue
            case "memory": list.memory = quantity.value
            case "ephemeral-storage": list.ephemeralStorage = quantity.value
            case "hugepages-2Mi", "hugepages-1Gi":
                list.extended[resource] = quantity.value
                list.extendedNodes[resource] = valueNode
            default:
                if !resource.contains("/") {
                    var message =
                        "unknown resource '\(resource)' in \(key) of \(map.what); expected cpu, memory, ephemeral-storage or an extended resource such as nvidia.com/gpu"
                    if let hint = EditDistance.closest(to: resource, in: ["cpu", "memory", "ephemeral-storage"]) {
                        message += " (did you mean \(hint)?)"
                    }
                    map.context.error(message, at: keyNode)
                    continue
                }
                // Extended resources are whole numbers (validation.go `validateResourceQuantityValue`:
                // "must be an integer").
                guard quantity.amount == DecimalText.truncated(quantity.amount),
                    quantity.amount <= Decimal(maxExtendedCount)
                else {
                    map.context.error(
                        "\(resource) in \(key) of \(map.what) must be a whole number of devices from 0 to \(maxExtendedCount), found \(text)",
                        at: valueNode)
                    continue
                }
                list.extended[resource] = quantity.value
                list.extendedNodes[resource] = valueNode
            }
        }
        return list
    }

}

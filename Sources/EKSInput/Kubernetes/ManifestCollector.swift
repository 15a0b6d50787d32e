import Autoscaling
import CSVStream
import EKSModel
import Foundation
import Yams

/// An object's metadata.
struct ObjectMetadata {
    var name: String
    var namespace: String
    var labels: [String: String]
    var annotations: [String: (text: String, node: Node)]
    /// The owner reference with `controller: true`.
    var controller: (kind: String, name: String)?
    var location: SourceLocation
    var nameLocation: SourceLocation
    /// Where the annotations are written, else the metadata.
    var annotationsLocation: SourceLocation
}

/// A workload read from a manifest, before defaulting and matching.
struct PendingWorkload {
    var manifestKind: String
    var kind: WorkloadKind
    var name: String
    var namespace: String
    var replicas: Int?
    var pod: ManifestPodSpec
    var job: JobSpec?
    var imageArchitectures: [String]?
    var controller: (kind: String, name: String)?
    var location: SourceLocation
    var locations: [String: SourceLocation]
    /// A StatefulSet's claim templates and whether it keeps their volumes when scaled down.
    var claimTemplates: [VolumeClaim] = []
    var retainsVolumesWhenScaled = true

    var owner: String { "\(manifestKind) \(namespace)/\(name)" }
}

/// Collects the objects of every document, then joins them: defaults, autoscalers, quotas.
struct ManifestCollector {
    var diagnostics: [Diagnostic] = []
    var workloads: [PendingWorkload] = []
    var hpas: [PendingAutoscaler<HorizontalPodAutoscalerSpec>] = []
    var vpas: [PendingAutoscaler<VPASettings>] = []
    /// Namespace → its LimitRanges' Container entries, in the order read.
    var limitRanges: [String: [ContainerLimitRange]] = [:]
    var quotas: [QuotaLimits] = []
    var skipped: [String: Int] = [:]
    /// Services, Ingresses, storage objects, read as they come and joined in `finish`.
    var clusterObjects = ClusterObjects()

    /// apps/v1 (and the extensions group's older versions), batch/v1, core v1.
    static let workloadGroups: [String: Set<String>] = [
        "Deployment": ["apps", "extensions"], "StatefulSet": ["apps"], "DaemonSet": ["apps", "extensions"],
        "ReplicaSet": ["apps", "extensions"], "Job": ["batch"], "CronJob": ["batch"], "Pod": [""],
        "ReplicationController": [""],
    ]
    static let specKeys: [String: [String]] = [
        "Deployment": [
            "replicas", "selector", "template", "strategy", "minReadySeconds", "revisionHistoryLimit", "paused",
            "progressDeadlineSeconds", "rollbackTo",
        ],
        "StatefulSet": [
            "replicas", "selector", "template", "volumeClaimTemplates", "serviceName", "podManagementPolicy",
            "updateStrategy", "revisionHistoryLimit", "minReadySeconds", "persistentVolumeClaimRetentionPolicy",
            "ordinals",
        ],
        "DaemonSet": [
            "selector", "template", "updateStrategy", "minReadySeconds", "revisionHistoryLimit", "templateGeneration",
        ],
        "ReplicaSet": ["replicas", "minReadySeconds", "selector", "template"],
        // A ReplicationController is a ReplicaSet with an equality selector (core/v1 types.go).
        "ReplicationController": ["replicas", "minReadySeconds", "selector", "template"],
        "Job": jobSpecKeys,
        "CronJob": [
            "schedule", "timeZone", "startingDeadlineSeconds", "concurrencyPolicy", "suspend", "jobTemplate",
            "successfulJobsHistoryLimit", "failedJobsHistoryLimit",
        ],
    ]
    static let jobSpecKeys = [
        "parallelism", "completions", "activeDeadlineSeconds", "podFailurePolicy", "successPolicy", "backoffLimit",
        "backoffLimitPerIndex", "maxFailedIndexes", "selector", "manualSelector", "template", "ttlSecondsAfterFinished",
        "completionMode", "suspend", "podReplacementPolicy", "managedBy",
    ]
    static let topKeys = ["apiVersion", "kind", "metadata", "spec", "status"]

    mutating func add(yaml: String, file: String) {
        let fileContext = YAMLDiagnostics(file: file)
        let documents = YAMLDocuments.parse(yaml, context: fileContext)
        diagnostics += fileContext.diagnostics
        let numbered = YAMLDocuments.numbered(documents)
        for (number, node) in documents {
            addObject(node, file: file, document: numbered ? number : nil)
        }
    }

    mutating func addObject(_ node: Node, file: String, document: Int?) {
        let context = YAMLDiagnostics(file: file)
        context.document = document
        defer { diagnostics += context.diagnostics }
        guard case .mapping(let mapping) = node else {
            context.error(
                "a Kubernetes object must be a mapping with apiVersion, kind and metadata, found \(node.kindDescription)",
                at: node)
            return
        }
        func scalar(_ key: String) -> String? { mapping.first { $0.key.scalarText == key }?.value.scalarText }
        guard let kind = scalar("kind"), !kind.isEmpty else {
            context.warning("skipped: not a Kubernetes object (it has no kind)", at: node)
            skipped["(no kind)", default: 0] += 1
            return
        }
        let apiVersion = scalar("apiVersion") ?? ""
        let group = apiVersion.contains("/") ? String(apiVersion[..<apiVersion.firstIndex(of: "/")!]) : ""
        if kind == "List" || (kind.hasSuffix("List") && mapping.contains { $0.key.scalarText == "items" }) {
            guard
                let list = MappingReader(
                    node, context: context, path: "", what: kind,
                    allowedKeys: ["apiVersion", "kind", "metadata", "items"])
            else { return }
            for (_, item) in list.list("items") ?? [] { addObject(item, file: file, document: document) }
            return
        }
        let peekedName = mapping.first { $0.key.scalarText == "metadata" }
            .flatMap { entry -> String? in
                guard case .mapping(let metadata) = entry.value else { return nil }
                return metadata.first { $0.key.scalarText == "name" }?.value.scalarText
            }
        let what = peekedName.map { "\(kind) \($0)" } ?? kind
        if let groups = Self.workloadGroups[kind], groups.contains(group) {
            guard let top = MappingReader(node, context: context, path: "", what: what, allowedKeys: Self.topKeys),
                let metadata = readMetadata(top, kind: kind)
            else { return }
            readWorkload(top, kind: kind, metadata: metadata, context: context)
        } else if group == "autoscaling" && kind == "HorizontalPodAutoscaler" {
            if apiVersion == "autoscaling/v2beta1" {
                context.error(
                    "autoscaling/v2beta1 HorizontalPodAutoscalers are no longer served (removed in Kubernetes 1.25); write it as autoscaling/v2",
                    at: node)
                return
            }
            guard let top = MappingReader(node, context: context, path: "", what: what, allowedKeys: Self.topKeys),
                let metadata = readMetadata(top, kind: kind)
            else { return }
            let v1 = apiVersion == "autoscaling/v1"
            let owner = "HorizontalPodAutoscaler \(metadata.namespace)/\(metadata.name)"
            let keys =
                v1
                ? ["scaleTargetRef", "minReplicas", "maxReplicas", "targetCPUUtilizationPercentage"]
                : ["scaleTargetRef", "minReplicas", "maxReplicas", "metrics", "behavior"]
            guard let spec = spec(top, owner: owner, keys: keys),
                let (target, hpa) = AutoscalerReader.readHPA(spec, v1: v1, owner: owner)
            else { return }
            hpas.append(
                PendingAutoscaler(
                    owner: owner, namespace: metadata.namespace, target: target, spec: hpa,
                    location: metadata.location))
        } else if group == "autoscaling.k8s.io" && kind == "VerticalPodAutoscaler" {
            guard let top = MappingReader(node, context: context, path: "", what: what, allowedKeys: Self.topKeys),
                let metadata = readMetadata(top, kind: kind)
            else { return }
            let owner = "VerticalPodAutoscaler \(metadata.namespace)/\(metadata.name)"
            guard
                let spec = spec(
                    top, owner: owner, keys: ["targetRef", "updatePolicy", "resourcePolicy", "recommenders"]),
                let (target, settings) = AutoscalerReader.readVPA(spec, owner: owner)
            else { return }
            vpas.append(
                PendingAutoscaler(
                    owner: owner, namespace: metadata.namespace, target: target, spec: settings,
                    location: metadata.location))
        } else if group == "" && kind == "LimitRange" {
            guard let top = MappingReader(node, context: context, path: "", what: what, allowedKeys: Self.topKeys),
                let metadata = readMetadata(top, kind: kind)
            else { return }
            let owner = "LimitRange \(metadata.namespace)/\(metadata.name)"
            guard let spec = spec(top, owner: owner, keys: ["limits"]) else { return }
            limitRanges[metadata.namespace, default: []] += NamespacePolicies.readLimitRange(
                spec, name: "\(metadata.namespace)/\(metadata.name)", owner: owner)
        } else if group == "" && kind == "ResourceQuota" {
            guard let top = MappingReader(node, context: context, path: "", what: what, allowedKeys: Self.topKeys),
                let metadata = readMetadata(top, kind: kind)
            else { return }
            let owner = "ResourceQuota \(metadata.namespace)/\(metadata.name)"
            guard let spec = spec(top, owner: owner, keys: ["hard", "scopes", "scopeSelector"]) else { return }
            if let quota = NamespacePolicies.readQuota(
                spec, name: "\(metadata.namespace)/\(metadata.name)",
                namespace: metadata.namespace, owner: owner, location: metadata.location)
            {
                quotas.append(quota)
            }
        } else if addOtherObject(node, kind: kind, group: group, apiVersion: apiVersion, what: what, context: context) {
            return
        } else {
            let known =
                Self.workloadGroups[kind] != nil
                || ["HorizontalPodAutoscaler", "VerticalPodAutoscaler", "LimitRange", "ResourceQuota"].contains(kind)
            skipped[known ? "\(kind) (\(apiVersion.isEmpty ? "no apiVersion" : apiVersion))" : kind, default: 0] += 1
        }
    }

    func spec(_ top: MappingReader, owner: String, keys: [String]) -> MappingReader? {
        guard let spec = top.mapping("spec", what: "spec of \(owner)", allowedKeys: keys) else {
            if !top.has("spec") { top.missing("spec", "the object's spec") }
            return nil
        }
        return spec
    }

    func readMetadata(_ top: MappingReader, kind: String) -> ObjectMetadata? {
        guard
            let metadata = top.mapping(
                "metadata", what: "metadata of \(top.what)", allowedKeys: PodTemplateReader.objectMetaKeys)
        else {
            if !top.has("metadata") { top.missing("metadata", "a mapping with the object's name") }
            return nil
        }
        let context = top.context
        var name = metadata.string("name")
        var nameNode = metadata.value("name")
        if name == nil, let generated = metadata.string("generateName") {
            name = generated.hasSuffix("-") ? String(generated.dropLast()) : generated
            nameNode = metadata.value("generateName")
        }
        guard let name, !name.isEmpty, let nameNode else {
            metadata.missing("name", "the object's name")
            return nil
        }
        var annotations: [String: (text: String, node: Node)] = [:]
        if let node = metadata.value("annotations") {
            if case .mapping(let entries) = node {
                for (keyNode, valueNode) in entries {
                    guard let key = keyNode.scalarText, let text = valueNode.scalarText else { continue }
                    annotations[key] = (text, valueNode)
                    if key.hasPrefix("ekscost.io/") && !ManifestReader.annotations.contains(key) {
                        var message = "unknown annotation '\(key)' on \(top.what)"
                        if let hint = EditDistance.closest(to: key, in: ManifestReader.annotations) {
                            message += "; did you mean '\(hint)'?"
                        } else {
                            message += "; ekscost reads \(ManifestReader.annotations.joined(separator: ", "))"
                        }
                        context.error(message, at: keyNode)
                    }
                }
            } else {
                context.error(
                    "'annotations' in \(metadata.what) must be a mapping of text to text, found \(node.kindDescription)",
                    at: node)
            }
        }
        var controller: (kind: String, name: String)?
        for (path, node) in metadata.list("ownerReferences") ?? [] {
            guard
                let reference = MappingReader(
                    node, context: context, path: path, what: "an owner reference of \(top.what)",
                    allowedKeys: ["apiVersion", "kind", "name", "uid", "controller", "blockOwnerDeletion"])
            else { continue }
            if reference.bool("controller") == true, let kind = reference.string("kind"),
                let owner = reference.string("name")
            {
                controller = (kind, owner)
            }
        }
        return ObjectMetadata(
            name: name, namespace: metadata.string("namespace") ?? "default",
            labels: WorkloadReader.stringMap(metadata, "labels") ?? [:], annotations: annotations,
            controller: controller, location: context.location(top.node), nameLocation: context.location(nameNode),
            annotationsLocation: context.location(metadata.value("annotations") ?? metadata.node))
    }
}

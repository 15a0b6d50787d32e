import Autoscaling
import CSVStream
import EKSModel
import Foundation
import Yams

/// A manifest file or folder to read, and where it was named (in a scenario's `spec.sources`).
public struct ManifestPath: Sendable, Hashable {
    public var path: String
    public var namedAt: SourceLocation?

    public init(_ path: String, namedAt: SourceLocation? = nil) {
        self.path = path
        self.namedAt = namedAt
    }
}

/// The workloads a set of Kubernetes manifests describes.
public struct ManifestSet: Sendable {
    public var workloads: [Workload] = []
    /// Per workload, where its parts were written, by path relative to the workload: `""` for
    /// the object, `name`, `replicas`, `spec.template.spec.containers[0].resources`, …
    var workloadLocations: [[String: SourceLocation]] = []
    /// Objects that are not priced, by kind (and objects counted with their owner).
    public var skipped: [String: Int] = [:]
    /// Load balancers of Services of type LoadBalancer and ALB Ingresses.
    public var loadBalancers: [LoadBalancer] = []
    /// PersistentVolumeClaims and static EBS PersistentVolumes, and the StorageClasses.
    public var volumeClaims: [VolumeClaim] = []
    public var storageClasses: [StorageClassSpec] = []
    /// Where each load balancer's and claim's object is written.
    var loadBalancerLocations: [SourceLocation] = []
    var volumeClaimLocations: [SourceLocation] = []
    /// The files read, in order.
    public var files: [String] = []
}

/// Reads Kubernetes manifests: multi-document YAML as `helm template` prints it, `kind: List`
/// as `kubectl get -o yaml` prints it, and JSON.
///
/// - Deployment, StatefulSet, ReplicaSet and ReplicationController (`replicas`, default 1),
///   DaemonSet, Pod (one pod), Job and CronJob become workloads; their pod template gives
///   containers, init containers, node selector, required node affinity, tolerations,
///   hostNetwork, privileged and hostPort. Helm hooks (`helm.sh/hook`) are Jobs run once.
/// - Argo Rollouts, KEDA ScaledObjects and ScaledJobs (ManifestScalingKinds.swift); Services,
///   Ingresses and storage objects (ManifestClusterObjects.swift): load balancers and volumes.
/// - Requests are completed as the API server does when it creates the pods: a missing request
///   takes the container's limit, then the namespace's LimitRanges fill what is still missing.
/// - HorizontalPodAutoscalers (autoscaling/v2, v2beta2, v1) and VerticalPodAutoscalers
///   (autoscaling.k8s.io) are matched to their targets by kind and name in their namespace.
/// - ResourceQuotas are checked against what the namespace's workloads ask for.
/// - Objects whose controller (`ownerReferences`) is also in the manifests — the ReplicaSets and
///   Pods `kubectl get all` prints beside their Deployment — are counted with it, once.
/// - Every other kind is counted and reported as skipped.
public enum ManifestReader {
    public static let runDurationAnnotation = "ekscost.io/run-duration"
    public static let runsPerMonthAnnotation = "ekscost.io/runs-per-month"
    public static let imageArchitecturesAnnotation = "ekscost.io/image-architectures"
    static let annotations = [runDurationAnnotation, runsPerMonthAnnotation, imageArchitecturesAnnotation] + serviceAnnotations
    static let fileExtensions: Set<String> = ["yaml", "yml", "json"]

    /// Reads the files, and the folders recursively (`*.yaml`, `*.yml`, `*.json`, in path order,
    /// hidden files and folders left out).
    public static func read(_ paths: [ManifestPath]) -> (manifests: ManifestSet, diagnostics: [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var files: [String] = []
        var seen = Set<String>()
        for entry in paths {
            let (found, problems) = expand(entry)
            // A file named twice (a folder and a file in it) is read once.
            files += found.filter { seen.insert(URL(fileURLWithPath: $0).standardizedFileURL.path).inserted }
            diagnostics += problems
        }
        var collector = ManifestCollector()
        for file in files {
            let (text, problem) = YAMLDocuments.text(ofFile: file, what: "manifest")
            guard let text else {
                diagnostics += problem.map { [$0] } ?? []
                continue
            }
            collector.add(yaml: text, file: file)
        }
        var (manifests, more) = collector.finish()
        manifests.files = files
        return (manifests, diagnostics + more)
    }

    /// Reads manifests held in memory, as (file name, text), in order.
    public static func parse(_ files: [(file: String, yaml: String)]) -> (manifests: ManifestSet, diagnostics: [Diagnostic]) {
        var collector = ManifestCollector()
        for (file, yaml) in files { collector.add(yaml: yaml, file: file) }
        var (manifests, diagnostics) = collector.finish()
        manifests.files = files.map(\.file)
        return (manifests, diagnostics)
    }

    /// The manifest files `entry` names: itself, or the YAML and JSON files under it.
    static func expand(_ entry: ManifestPath) -> ([String], [Diagnostic]) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: entry.path, isDirectory: &isDirectory) else {
            return ([], [.error("cannot read manifests '\(entry.path)': no such file or folder", at: entry.namedAt)])
        }
        guard isDirectory.boolValue else { return ([entry.path], []) }
        var folder = entry.path
        while folder.count > 1 && folder.hasSuffix("/") { folder.removeLast() }
        var files: [String] = []
        var problems: [Diagnostic] = []
        walk(folder, prefix: folder == "." ? "" : folder + "/", files: &files, problems: &problems, namedAt: entry.namedAt)
        if !problems.isEmpty { return (files.sorted(), problems) }
        if files.isEmpty {
            return ([], [.warning("the folder '\(entry.path)' holds no .yaml, .yml or .json files", at: entry.namedAt)])
        }
        return (files.sorted(), [])
    }

    /// Collects the manifest files under `folder` (hidden entries left out, symbolic links to
    /// folders not followed). A folder that cannot be listed, or an entry with a manifest's name
    /// that is no regular file, is an error: skipping it would price part of the cluster.
    static func walk(_ folder: String, prefix: String, files: inout [String], problems: inout [Diagnostic], namedAt: SourceLocation?) {
        // FileManager's enumerator skips a folder it cannot list without a word; ask first.
        guard let handle = opendir(folder) else {
            problems.append(.error("cannot read the manifests folder '\(folder)': \(String(cString: strerror(errno)))",
                                   at: namedAt))
            return
        }
        closedir(handle)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        for name in names.sorted() where !name.hasPrefix(".") {
            let path = prefix + name
            var link = stat()
            let isLink = lstat(path, &link) == 0 && (link.st_mode & S_IFMT) == S_IFLNK
            var info = stat()
            let exists = stat(path, &info) == 0
            let isManifest = fileExtensions.contains((name as NSString).pathExtension.lowercased())
            if exists && (info.st_mode & S_IFMT) == S_IFDIR {
                if !isLink { walk(path, prefix: path + "/", files: &files, problems: &problems, namedAt: namedAt) }
                continue
            }
            guard isManifest else { continue }
            if let problem = RegularFile.problem(path) {
                problems.append(.error("cannot open manifest: \(problem.reason)", at: SourceLocation(file: path, line: 1)))
                continue
            }
            files.append(path)
        }
    }
}

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
        "Deployment": ["replicas", "selector", "template", "strategy", "minReadySeconds", "revisionHistoryLimit", "paused",
                       "progressDeadlineSeconds", "rollbackTo"],
        "StatefulSet": ["replicas", "selector", "template", "volumeClaimTemplates", "serviceName", "podManagementPolicy",
                        "updateStrategy", "revisionHistoryLimit", "minReadySeconds", "persistentVolumeClaimRetentionPolicy",
                        "ordinals"],
        "DaemonSet": ["selector", "template", "updateStrategy", "minReadySeconds", "revisionHistoryLimit", "templateGeneration"],
        "ReplicaSet": ["replicas", "minReadySeconds", "selector", "template"],
        // A ReplicationController is a ReplicaSet with an equality selector (core/v1 types.go).
        "ReplicationController": ["replicas", "minReadySeconds", "selector", "template"],
        "Job": jobSpecKeys,
        "CronJob": ["schedule", "timeZone", "startingDeadlineSeconds", "concurrencyPolicy", "suspend", "jobTemplate",
                    "successfulJobsHistoryLimit", "failedJobsHistoryLimit"],
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
            context.error("a Kubernetes object must be a mapping with apiVersion, kind and metadata, found \(node.kindDescription)", at: node)
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
            guard let list = MappingReader(node, context: context, path: "", what: kind,
                                           allowedKeys: ["apiVersion", "kind", "metadata", "items"]) else { return }
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
                  let metadata = readMetadata(top, kind: kind) else { return }
            readWorkload(top, kind: kind, metadata: metadata, context: context)
        } else if group == "autoscaling" && kind == "HorizontalPodAutoscaler" {
            if apiVersion == "autoscaling/v2beta1" {
                context.error("autoscaling/v2beta1 HorizontalPodAutoscalers are no longer served (removed in Kubernetes 1.25); write it as autoscaling/v2",
                              at: node)
                return
            }
            guard let top = MappingReader(node, context: context, path: "", what: what, allowedKeys: Self.topKeys),
                  let metadata = readMetadata(top, kind: kind) else { return }
            let v1 = apiVersion == "autoscaling/v1"
            let owner = "HorizontalPodAutoscaler \(metadata.namespace)/\(metadata.name)"
            let keys = v1 ? ["scaleTargetRef", "minReplicas", "maxReplicas", "targetCPUUtilizationPercentage"]
                : ["scaleTargetRef", "minReplicas", "maxReplicas", "metrics", "behavior"]
            guard let spec = spec(top, owner: owner, keys: keys),
                  let (target, hpa) = AutoscalerReader.readHPA(spec, v1: v1, owner: owner) else { return }
            hpas.append(PendingAutoscaler(owner: owner, namespace: metadata.namespace, target: target, spec: hpa,
                                          location: metadata.location))
        } else if group == "autoscaling.k8s.io" && kind == "VerticalPodAutoscaler" {
            guard let top = MappingReader(node, context: context, path: "", what: what, allowedKeys: Self.topKeys),
                  let metadata = readMetadata(top, kind: kind) else { return }
            let owner = "VerticalPodAutoscaler \(metadata.namespace)/\(metadata.name)"
            guard let spec = spec(top, owner: owner, keys: ["targetRef", "updatePolicy", "resourcePolicy", "recommenders"]),
                  let (target, settings) = AutoscalerReader.readVPA(spec, owner: owner) else { return }
            vpas.append(PendingAutoscaler(owner: owner, namespace: metadata.namespace, target: target, spec: settings,
                                          location: metadata.location))
        } else if group == "" && kind == "LimitRange" {
            guard let top = MappingReader(node, context: context, path: "", what: what, allowedKeys: Self.topKeys),
                  let metadata = readMetadata(top, kind: kind) else { return }
            let owner = "LimitRange \(metadata.namespace)/\(metadata.name)"
            guard let spec = spec(top, owner: owner, keys: ["limits"]) else { return }
            limitRanges[metadata.namespace, default: []] += NamespacePolicies.readLimitRange(
                spec, name: "\(metadata.namespace)/\(metadata.name)", owner: owner)
        } else if group == "" && kind == "ResourceQuota" {
            guard let top = MappingReader(node, context: context, path: "", what: what, allowedKeys: Self.topKeys),
                  let metadata = readMetadata(top, kind: kind) else { return }
            let owner = "ResourceQuota \(metadata.namespace)/\(metadata.name)"
            guard let spec = spec(top, owner: owner, keys: ["hard", "scopes", "scopeSelector"]) else { return }
            if let quota = NamespacePolicies.readQuota(spec, name: "\(metadata.namespace)/\(metadata.name)",
                                                       namespace: metadata.namespace, owner: owner, location: metadata.location) {
                quotas.append(quota)
            }
        } else if addOtherObject(node, kind: kind, group: group, apiVersion: apiVersion, what: what, context: context) {
            return
        } else {
            let known = Self.workloadGroups[kind] != nil || ["HorizontalPodAutoscaler", "VerticalPodAutoscaler", "LimitRange", "ResourceQuota"].contains(kind)
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
        guard let metadata = top.mapping("metadata", what: "metadata of \(top.what)", allowedKeys: PodTemplateReader.objectMetaKeys) else {
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
                context.error("'annotations' in \(metadata.what) must be a mapping of text to text, found \(node.kindDescription)", at: node)
            }
        }
        var controller: (kind: String, name: String)?
        for (path, node) in metadata.list("ownerReferences") ?? [] {
            guard let reference = MappingReader(node, context: context, path: path, what: "an owner reference of \(top.what)",
                                                allowedKeys: ["apiVersion", "kind", "name", "uid", "controller", "blockOwnerDeletion"]) else { continue }
            if reference.bool("controller") == true, let kind = reference.string("kind"), let owner = reference.string("name") {
                controller = (kind, owner)
            }
        }
        return ObjectMetadata(name: name, namespace: metadata.string("namespace") ?? "default",
                              labels: WorkloadReader.stringMap(metadata, "labels") ?? [:], annotations: annotations,
                              controller: controller, location: context.location(top.node), nameLocation: context.location(nameNode),
                              annotationsLocation: context.location(metadata.value("annotations") ?? metadata.node))
    }

    mutating func readWorkload(_ top: MappingReader, kind: String, metadata: ObjectMetadata, context: YAMLDiagnostics) {
        let owner = "\(kind) \(metadata.namespace)/\(metadata.name)"
        var modelKind: WorkloadKind = switch kind {
        case "StatefulSet": .statefulSet
        case "DaemonSet": .daemonSet
        case "Job": .job
        case "CronJob": .cronJob
        default: .deployment
        }
        var replicas: Int?
        var pod: ManifestPodSpec?
        var job: JobSpec?
        var claimTemplates: [VolumeClaim] = []
        var retainsVolumes = true
        if kind == "Pod" {
            guard let spec = top.mapping("spec", what: "the pod spec of \(owner)", allowedKeys: PodTemplateReader.podSpecKeys) else {
                if !top.has("spec") { top.missing("spec", "the pod spec, with containers") }
                return
            }
            pod = PodTemplateReader.readPodSpec(spec, owner: owner)
            pod?.labels = metadata.labels
            replicas = 1
            // A Helm hook Pod (`helm test`) runs to completion once, like a Job.
            if let hookJob = helmHookPod(metadata: metadata, owner: owner, context: context) {
                job = hookJob
                modelKind = .job
            }
        } else {
            guard let spec = spec(top, owner: owner, keys: Self.specKeys[kind]!) else { return }
            switch kind {
            case "Job":
                let parts = readJobSpec(spec, owner: owner)
                pod = parts.pod
                job = jobSpec(parts, schedule: nil, metadata: metadata, owner: owner, context: context)
            case "CronJob":
                var schedule: CronSchedule?
                if let text = spec.string("schedule", required: "a cron schedule such as \"0 2 * * *\"") {
                    switch CronSchedule.parse(text) {
                    case .success(let parsed): schedule = parsed
                    case .failure(let error): context.error("schedule of \(owner): \(error)", at: spec.value("schedule")!)
                    }
                }
                guard let template = spec.mapping("jobTemplate", what: "jobTemplate of \(owner)", allowedKeys: ["metadata", "spec"]) else {
                    if !spec.has("jobTemplate") { spec.missing("jobTemplate", "the Job each run creates") }
                    return
                }
                guard let jobSpec = template.mapping("spec", what: "the Job spec of \(owner)", allowedKeys: Self.jobSpecKeys) else {
                    if !template.has("spec") { template.missing("spec", "the Job spec, with its pod template") }
                    return
                }
                var parts = readJobSpec(jobSpec, owner: owner)
                if spec.bool("suspend") == true { parts.suspended = "suspend: true" }
                pod = parts.pod
                if let schedule { job = self.jobSpec(parts, schedule: schedule, metadata: metadata, owner: owner, context: context) }
            default:
                if kind != "DaemonSet" { replicas = spec.integer("replicas", in: 0...1_000_000) }
                pod = PodTemplateReader.readTemplate(spec, owner: owner)
                if kind == "StatefulSet" {
                    claimTemplates = VolumeClaimReader.readTemplates(spec, owner: owner)
                    retainsVolumes = VolumeClaimReader.retainsWhenScaled(spec, owner: owner)
                }
            }
        }
        guard let pod else { return }
        if modelKind.runsToCompletion && job == nil { return }

        var architectures: [String]?
        if let (text, node) = metadata.annotations[ManifestReader.imageArchitecturesAnnotation] {
            let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            if names.isEmpty || !names.allSatisfy({ ["amd64", "arm64"].contains($0) }) {
                context.error("annotation \(ManifestReader.imageArchitecturesAnnotation) of \(owner) lists image architectures: amd64, arm64 or \"amd64,arm64\", found \"\(text)\"",
                              at: node)
            } else {
                architectures = names
            }
        }
        var locations: [String: SourceLocation] = [:]
        for (key, location) in context.locations where key != "." { locations[key] = location }
        locations[""] = metadata.location
        locations["name"] = metadata.nameLocation
        if let location = context.locations["spec.replicas"] { locations["replicas"] = location }
        workloads.append(PendingWorkload(manifestKind: kind, kind: modelKind, name: metadata.name, namespace: metadata.namespace,
                                         replicas: replicas, pod: pod, job: job, imageArchitectures: architectures,
                                         controller: metadata.controller, location: metadata.location, locations: locations,
                                         claimTemplates: claimTemplates, retainsVolumesWhenScaled: retainsVolumes))
    }

    struct JobParts {
        var completions: Int?
        var parallelism: Int?
        /// Why no pod runs, if none does.
        var suspended: String?
        var pod: ManifestPodSpec?
    }

    func readJobSpec(_ spec: MappingReader, owner: String) -> JobParts {
        var parts = JobParts()
        parts.completions = spec.integer("completions", in: 0...1_000_000)
        parts.parallelism = spec.integer("parallelism", in: 0...1_000_000)
        if spec.bool("suspend") == true { parts.suspended = "suspend: true" }
        parts.pod = PodTemplateReader.readTemplate(spec, owner: owner)
        return parts
    }

    /// A Job's or CronJob's runs. How long a pod runs is not in a manifest: the annotation
    /// `ekscost.io/run-duration` says it; `ekscost.io/runs-per-month` overrides the count.
    /// Kubernetes defaults: `parallelism` 1; without `completions` the Job is a work queue whose
    /// `parallelism` pods each run once.
    func jobSpec(_ parts: JobParts, schedule: CronSchedule?, metadata: ObjectMetadata, owner: String,
                 context: YAMLDiagnostics) -> JobSpec? {
        let durationKey = ManifestReader.runDurationAnnotation
        let seconds: Int
        if let (text, node) = metadata.annotations[durationKey] {
            switch DurationText.checkedSeconds(text) {
            case .success(let written): seconds = written
            case .failure(let problem):
                context.error("annotation \(durationKey) of \(owner) \(problem)", at: node)
                return nil
            }
        } else if let hookSeconds = helmHookRunSeconds(metadata: metadata, owner: owner, context: context) {
            seconds = hookSeconds
        } else {
            context.diagnostics.append(.error("\(owner) needs the annotation \(durationKey): how long each of its pods runs, such as 10m or 1h30m (a manifest does not say)",
                                              at: metadata.annotationsLocation))
            return nil
        }
        let parallelism = parts.parallelism ?? 1
        let completions = parts.completions ?? parallelism
        var job = JobSpec(completions: max(completions, 1), parallelism: max(parallelism, 1), runSeconds: seconds, schedule: schedule)
        if let (text, node) = metadata.annotations[ManifestReader.runsPerMonthAnnotation] {
            switch CheckedNumber.decimal(text, in: InputLimits.runsPerMonth) {
            case .success(let runs): job.runsPerMonth = runs
            case .failure(let problem):
                context.error("annotation \(ManifestReader.runsPerMonthAnnotation) of \(owner) \(problem)", at: node)
            }
        }
        let idle = parts.suspended ?? (parallelism == 0 ? "parallelism: 0" : completions == 0 ? "completions: 0" : nil)
        if let idle {
            context.diagnostics.append(.warning("\(owner) runs no pods (\(idle)); it is priced at 0 runs", at: metadata.location))
            job.runsPerMonth = 0
        }
        return job
    }

    // MARK: Joining

    mutating func finish() -> (ManifestSet, [Diagnostic]) {
        var set = ManifestSet()
        resolveRollouts()
        // Objects whose controller is also here (the ReplicaSets and Pods of a Deployment) are counted with it.
        let present = Set(workloads.map { "\($0.manifestKind)/\($0.namespace)/\($0.name)" })
        let kept = workloads.filter { workload in
            guard let controller = workload.controller,
                  present.contains("\(controller.kind)/\(workload.namespace)/\(controller.name)") else { return true }
            skipped["\(workload.manifestKind) (counted with its \(controller.kind))", default: 0] += 1
            return false
        }

        var podLimits: [ResourceRequests] = []
        var missing: [[String]] = []
        var defaultedContainers: [String: Int] = [:]
        for pending in kept {
            let ranges = limitRanges[pending.namespace] ?? []
            var problems: [String] = []
            var absent = Set<String>()
            func admit(_ written: [ManifestContainer]) -> [(container: Container, limits: WorkloadReader.ResourceList)] {
                written.map { container in
                    let admitted = NamespacePolicies.admit(container, limitRanges: ranges)
                    if admitted.defaulted { defaultedContainers[pending.namespace, default: 0] += 1 }
                    problems += NamespacePolicies.violations(container, requests: admitted.requests,
                                                             limits: admitted.limits, limitRanges: ranges)
                    if admitted.requests.cpu == nil { absent.insert("requests.cpu") }
                    if admitted.requests.memory == nil { absent.insert("requests.memory") }
                    if admitted.limits.cpu == nil { absent.insert("limits.cpu") }
                    if admitted.limits.memory == nil { absent.insert("limits.memory") }
                    return (admitted.container, admitted.limits)
                }
            }
            let containers = admit(pending.pod.containers)
            let initContainers = admit(pending.pod.initContainers)
            if !problems.isEmpty {
                diagnostics.append(.warning("the API server would reject the pods of \(pending.owner): \(problems.joined(separator: "; "))",
                                            at: pending.location))
            }
            var workload = Workload(name: pending.name, kind: pending.kind, namespace: pending.namespace,
                                    labels: pending.pod.labels,
                                    replicas: pending.kind == .daemonSet || pending.kind.runsToCompletion ? 0 : pending.replicas ?? 1,
                                    containers: containers.map(\.container), initContainers: initContainers.map(\.container),
                                    nodeSelector: pending.pod.nodeSelector, nodeAffinity: pending.pod.nodeAffinity,
                                    tolerations: pending.pod.tolerations, hostNetwork: pending.pod.hostNetwork, job: pending.job)
            if let architectures = pending.imageArchitectures { workload.imageArchitectures = architectures }
            workload.volumeClaimTemplates = pending.claimTemplates
            workload.retainsVolumesWhenScaled = pending.retainsVolumesWhenScaled
            set.workloads.append(workload)
            set.workloadLocations.append(pending.locations)
            podLimits.append(NamespacePolicies.podLimits(app: containers.map(\.limits),
                                                         initContainers: initContainers.map { ($0.limits, $0.container.isSidecar) }))
            missing.append(absent.sorted())
        }
        for (namespace, count) in defaultedContainers.sorted(by: { $0.key < $1.key }) {
            diagnostics.append(Diagnostic(.note, "namespace \(namespace): LimitRange defaults set the requests or limits of \(count) container\(count == 1 ? "" : "s")"))
        }

        finishClusterObjects(&set)
        matchHPAs(&set, kept: kept)
        matchVPAs(&set, kept: kept)
        checkQuotas(set, kept: kept, podLimits: podLimits, missing: missing)

        set.skipped = skipped
        if !skipped.isEmpty {
            let total = skipped.values.reduce(0, +)
            let kinds = skipped.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            diagnostics.append(Diagnostic(.note, "manifests: \(total) object\(total == 1 ? "" : "s") not priced: \(kinds)"))
        }
        return (set, diagnostics)
    }

    func index(of target: TargetReference, in namespace: String, kept: [PendingWorkload]) -> Int? {
        kept.firstIndex { $0.manifestKind == target.kind && $0.name == target.name && $0.namespace == namespace }
    }

    mutating func matchHPAs(_ set: inout ManifestSet, kept: [PendingWorkload]) {
        var scaled = 0
        for hpa in hpas {
            let target = "\(hpa.target.kind) \(hpa.namespace)/\(hpa.target.name)"
            guard let index = index(of: hpa.target, in: hpa.namespace, kept: kept) else {
                diagnostics.append(.warning("\(hpa.owner) targets \(target), which is not in the manifests; the HPA is ignored",
                                            at: hpa.target.location))
                continue
            }
            guard ["Deployment", "StatefulSet", "ReplicaSet", "ReplicationController", "Rollout"].contains(hpa.target.kind) else {
                diagnostics.append(.warning("\(hpa.owner) targets \(target), which has no replicas to scale; the HPA is ignored",
                                            at: hpa.target.location))
                continue
            }
            guard set.workloads[index].hpa == nil else {
                diagnostics.append(.warning("\(hpa.owner) targets \(target), which another HorizontalPodAutoscaler already scales; only the first one is used",
                                            at: hpa.target.location))
                continue
            }
            set.workloads[index].hpa = hpa.spec
            scaled += 1
            // The HPA controller raises replicas below minReplicas and lowers those above
            // maxReplicas; a target scaled to 0 is left alone (horizontal.go `reconcileAutoscaler`).
            let declared = set.workloads[index].replicas
            let planned = min(max(declared, hpa.spec.effectiveMinReplicas), hpa.spec.maxReplicas)
            if declared > 0 && planned != declared {
                set.workloads[index].replicas = planned
                let written = kept[index].replicas == nil ? "1 (replicas not given)" : "\(declared)"
                diagnostics.append(Diagnostic(.note, "\(target) runs \(planned) replicas, not \(written): \(hpa.owner) keeps it between \(hpa.spec.effectiveMinReplicas) and \(hpa.spec.maxReplicas)",
                                              at: hpa.location))
            }
        }
        if scaled > 0 {
            diagnostics.append(Diagnostic(.note, "\(scaled) workload\(scaled == 1 ? " has" : "s have") a HorizontalPodAutoscaler and \(scaled == 1 ? "is" : "are") priced at \(scaled == 1 ? "its" : "their") replicas as deployed, within minReplicas and maxReplicas"))
        }
    }

    mutating func matchVPAs(_ set: inout ManifestSet, kept: [PendingWorkload]) {
        for vpa in vpas {
            let target = "\(vpa.target.kind) \(vpa.namespace)/\(vpa.target.name)"
            guard let index = index(of: vpa.target, in: vpa.namespace, kept: kept) else {
                diagnostics.append(.warning("\(vpa.owner) targets \(target), which is not in the manifests; the VPA is ignored",
                                            at: vpa.target.location))
                continue
            }
            guard set.workloads[index].vpa == nil else {
                diagnostics.append(.warning("\(vpa.owner) targets \(target), which another VerticalPodAutoscaler already targets; only the first one is used",
                                            at: vpa.target.location))
                continue
            }
            set.workloads[index].vpa = vpa.spec
        }
    }

    /// ResourceQuota admission (kubernetes pkg/quota/v1/evaluator/core/pods.go): the namespace's
    /// pods may not ask for more than `spec.hard`, and when the quota tracks a resource every
    /// container must state it. Pods counted: each Deployment, StatefulSet, ReplicaSet and Pod at
    /// its planned replicas, and each Job's pods that run at once; DaemonSets (one pod per node)
    /// are left out. Going over is a warning: the API server would refuse the pods beyond the
    /// quota, so the cluster would run fewer than the manifests ask for.
    mutating func checkQuotas(_ set: ManifestSet, kept: [PendingWorkload], podLimits: [ResourceRequests], missing: [[String]]) {
        for quota in quotas {
            let members = set.workloads.indices.filter { set.workloads[$0].namespace == quota.namespace && set.workloads[$0].kind != .daemonSet }
            func usage(atHPAMaximum: Bool) -> NamespaceUsage {
                var usage = NamespaceUsage()
                for index in members {
                    let workload = set.workloads[index]
                    var pods = workload.job.map { $0.podsAtOnce } ?? workload.replicas
                    if atHPAMaximum, let hpa = workload.hpa { pods = max(pods, hpa.maxReplicas) }
                    usage.pods += Int64(pods)
                    usage.requests = usage.requests + scaled(workload.podRequests, by: pods)
                    usage.limits = usage.limits + scaled(podLimits[index], by: pods)
                }
                return usage
            }
            let planned = usage(atHPAMaximum: false)
            let peak = usage(atHPAMaximum: true)
            for key in NamespacePolicies.quotaKeys {
                guard let hard = quota.hard[key] else { continue }
                let limit = NamespacePolicies.describe(key, hard.amount)
                if planned.value(key) > hard.amount {
                    diagnostics.append(.warning("namespace \(quota.namespace) asks for \(NamespacePolicies.describe(key, planned.value(key))) (\(key)) at its planned replicas, above the \(limit) of ResourceQuota \(quota.name): the API server would refuse the pods beyond it (ekscost prices them all)",
                                                at: hard.location))
                } else if peak.value(key) > hard.amount {
                    diagnostics.append(.warning("namespace \(quota.namespace) would ask for \(NamespacePolicies.describe(key, peak.value(key))) (\(key)) with its HPAs at maxReplicas, above the \(limit) of ResourceQuota \(quota.name): scale-up would stop at the quota",
                                                at: hard.location))
                }
                if key != "pods" {
                    let lacking = members.filter { missing[$0].contains(key) }.map { kept[$0].owner }
                    if !lacking.isEmpty {
                        diagnostics.append(.warning("ResourceQuota \(quota.name) tracks \(key), so the API server refuses pods without it: \(lacking.joined(separator: ", ")) \(lacking.count == 1 ? "sets" : "set") none (and no LimitRange gives a default)",
                                                    at: hard.location))
                    }
                }
            }
        }
    }

    func scaled(_ requests: ResourceRequests, by count: Int) -> ResourceRequests {
        requests.scaled(by: count)
    }
}

import Autoscaling
import CSVStream
public import EKSModel
import FileAccess
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
    static let annotations =
        [runDurationAnnotation, runsPerMonthAnnotation, imageArchitecturesAnnotation] + serviceAnnotations
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
    public static func parse(_ files: [(file: String, yaml: String)]) -> (
        manifests: ManifestSet, diagnostics: [Diagnostic]
    ) {
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
        walk(
            folder, prefix: folder == "." ? "" : folder + "/", files: &files, problems: &problems,
            namedAt: entry.namedAt)
        if !problems.isEmpty { return (files.sorted(), problems) }
        if files.isEmpty {
            return ([], [.warning("the folder '\(entry.path)' holds no .yaml, .yml or .json files", at: entry.namedAt)])
        }
        return (files.sorted(), [])
    }

    /// Collects the manifest files under `folder` (hidden entries left out, symbolic links to
    /// folders not followed). A folder that cannot be listed, or an entry with a manifest's name
    /// that is no regular file, is an error: skipping it would price part of the cluster.
    static func walk(
        _ folder: String, prefix: String, files: inout [String], problems: inout [Diagnostic], namedAt: SourceLocation?
    ) {
        // FileManager's enumerator skips a folder it cannot list without a word; ask first.
        guard let handle = opendir(folder) else {
            problems.append(
                .error(
                    "cannot read the manifests folder '\(folder)': \(String(cString: strerror(errno)))",
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
                problems.append(
                    .error("cannot open manifest: \(problem.reason)", at: SourceLocation(file: path, line: 1)))
                continue
            }
            files.append(path)
        }
    }
}

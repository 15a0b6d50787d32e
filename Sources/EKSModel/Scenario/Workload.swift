public import Autoscaling
public import Foundation

/// The resources a container or pod asks for, or a node offers: CPU, memory and the extended
/// resources (GPUs and other devices, hugepages).
public struct ResourceRequests: Sendable, Hashable, CustomStringConvertible {
    public var cpuMillicores: Int64
    public var memoryBytes: Int64
    /// Extended resources and hugepages; empty for most pods and for nodes without devices.
    public var extended: ExtendedResources

    public init(cpuMillicores: Int64 = 0, memoryBytes: Int64 = 0, extended: ExtendedResources = .none) {
        self.cpuMillicores = cpuMillicores
        self.memoryBytes = memoryBytes
        self.extended = extended
    }

    public static let zero = ResourceRequests()

    // Sums and products saturate instead of trapping: inputs are range-checked where they are
    // read, and an amount too large to count is larger than any node or quota, which is what
    // the comparisons it feeds then say (the pods fit nowhere, the quota is exceeded).
    public static func + (lhs: ResourceRequests, rhs: ResourceRequests) -> ResourceRequests {
        ResourceRequests(
            cpuMillicores: lhs.cpuMillicores.saturatingAdding(rhs.cpuMillicores),
            memoryBytes: lhs.memoryBytes.saturatingAdding(rhs.memoryBytes),
            extended: lhs.extended + rhs.extended)
    }

    public static func - (lhs: ResourceRequests, rhs: ResourceRequests) -> ResourceRequests {
        ResourceRequests(
            cpuMillicores: lhs.cpuMillicores.saturatingSubtracting(rhs.cpuMillicores),
            memoryBytes: lhs.memoryBytes.saturatingSubtracting(rhs.memoryBytes),
            extended: lhs.extended - rhs.extended)
    }

    /// Per resource, the larger of the two.
    public func max(_ other: ResourceRequests) -> ResourceRequests {
        ResourceRequests(
            cpuMillicores: Swift.max(cpuMillicores, other.cpuMillicores),
            memoryBytes: Swift.max(memoryBytes, other.memoryBytes), extended: extended.max(other.extended))
    }

    /// The requests of `count` such pods.
    public func scaled(by count: Int) -> ResourceRequests {
        ResourceRequests(
            cpuMillicores: cpuMillicores.saturatingMultiplied(by: Int64(count)),
            memoryBytes: memoryBytes.saturatingMultiplied(by: Int64(count)),
            extended: extended.scaled(by: count))
    }

    /// Whether every resource is at most that of `other`.
    public func fits(in other: ResourceRequests) -> Bool {
        cpuMillicores <= other.cpuMillicores && memoryBytes <= other.memoryBytes && extended.fits(in: other.extended)
    }

    public var memoryMiB: Double { Double(memoryBytes) / 1_048_576 }

    /// `500m CPU, 1024 MiB` (`, 1 nvidia.com/gpu` with extended resources).
    public var description: String {
        let mib = memoryBytes % 1_048_576 == 0 ? "\(memoryBytes / 1_048_576) MiB" : "\(memoryBytes) bytes"
        return "\(cpuMillicores)m CPU, \(mib)" + (extended.isEmpty ? "" : ", \(extended)")
    }
}

/// One container of a pod template.
public struct Container: Sendable, Hashable {
    public var name: String
    /// After Kubernetes' defaulting: a resource with a limit but no request requests its limit
    /// (extended resources included: `nvidia.com/gpu: 1` in limits requests one GPU).
    public var requests: ResourceRequests
    public var limits: ResourceRequests?
    public var privileged: Bool
    /// An init container with `restartPolicy: Always` is a sidecar: it runs beside the app.
    public var isSidecar: Bool
    /// `ephemeral-storage` request in bytes (after defaulting from the limit).
    public var ephemeralStorageBytes: Int64
    /// Its `ports`; those with a `hostPort` bind it on the node.
    public var ports: [ContainerPort]

    public init(
        name: String, requests: ResourceRequests = .zero, limits: ResourceRequests? = nil,
        privileged: Bool = false, isSidecar: Bool = false, ephemeralStorageBytes: Int64 = 0,
        ports: [ContainerPort] = []
    ) {
        self.name = name
        self.requests = requests
        self.limits = limits
        self.privileged = privileged
        self.isSidecar = isSidecar
        self.ephemeralStorageBytes = ephemeralStorageBytes
        self.ports = ports
    }

    /// GPUs and other accelerators asked for.
    public var accelerators: Int64 {
        requests.extended.entries.filter { ExtendedResources.isAccelerator($0.name) }.reduce(0) { $0 + $1.amount }
    }

    public var usesHostPort: Bool { ports.contains { $0.hostPort != nil } }
}

/// A node taint (`key=value:NoSchedule`).
public struct Taint: Sendable, Hashable, CustomStringConvertible {
    public enum Effect: String, Sendable, Hashable, CaseIterable {
        case noSchedule = "NoSchedule"
        case preferNoSchedule = "PreferNoSchedule"
        case noExecute = "NoExecute"
    }

    public var key: String
    public var value: String
    public var effect: Effect

    public init(key: String, value: String = "", effect: Effect) {
        self.key = key
        self.value = value
        self.effect = effect
    }

    public var description: String {
        value.isEmpty ? "\(key):\(effect.rawValue)" : "\(key)=\(value):\(effect.rawValue)"
    }
}

/// A pod toleration.
public struct Toleration: Sendable, Hashable {
    public enum Operator: String, Sendable, Hashable, CaseIterable {
        case equal = "Equal"
        case exists = "Exists"
    }

    public var key: String
    public var `operator`: Operator
    public var value: String
    /// nil tolerates every effect.
    public var effect: Taint.Effect?

    public init(key: String = "", operator: Operator = .equal, value: String = "", effect: Taint.Effect? = nil) {
        self.key = key
        self.operator = `operator`
        self.value = value
        self.effect = effect
    }

    /// k8s.io/api/core/v1 toleration.go `ToleratesTaint`: effects must match unless the
    /// toleration's is empty; an empty key matches every key (API validation allows that only
    /// with Exists); Exists ignores the value, Equal compares it.
    public func tolerates(_ taint: Taint) -> Bool {
        if let effect, effect != taint.effect { return false }
        if !key.isEmpty && key != taint.key { return false }
        switch self.operator {
        case .exists: return true
        case .equal: return value == taint.value
        }
    }
}

/// One requirement of a node affinity term (`matchExpressions`).
public struct NodeSelectorRequirement: Sendable, Hashable {
    public enum Operator: String, Sendable, Hashable, CaseIterable {
        case `in` = "In"
        case notIn = "NotIn"
        case exists = "Exists"
        case doesNotExist = "DoesNotExist"
        case gt = "Gt"
        case lt = "Lt"
    }

    public var key: String
    public var `operator`: Operator
    public var values: [String]

    public init(key: String, operator: Operator, values: [String] = []) {
        self.key = key
        self.operator = `operator`
        self.values = values
    }

    /// k8s.io/component-helpers/scheduling/corev1/nodeaffinity: In / NotIn / Exists /
    /// DoesNotExist on the label; Gt / Lt compare the label and the single value as integers.
    public func matches(_ labels: [String: String]) -> Bool {
        let label = labels[key]
        switch self.operator {
        case .in: return label.map(values.contains) ?? false
        case .notIn: return label.map { !values.contains($0) } ?? true
        case .exists: return label != nil
        case .doesNotExist: return label == nil
        case .gt, .lt:
            guard let label, let have = Int64(label), values.count == 1, let want = Int64(values[0]) else {
                return false
            }
            return self.operator == .gt ? have > want : have < want
        }
    }
}

/// The kinds of workload a scenario describes.
public enum WorkloadKind: String, Sendable, Hashable, CaseIterable {
    case deployment = "Deployment"
    case statefulSet = "StatefulSet"
    case daemonSet = "DaemonSet"
    case job = "Job"
    case cronJob = "CronJob"

    /// Pods that run to completion rather than all month.
    public var runsToCompletion: Bool { self == .job || self == .cronJob }
}

/// How a Job or CronJob runs: pods per run, how long each runs, how often.
public struct JobSpec: Sendable, Hashable {
    /// Pods that must complete per run (`completions`, default 1).
    public var completions: Int
    /// Pods running at once (`parallelism`, default 1).
    public var parallelism: Int
    /// How long each pod runs, in seconds.
    public var runSeconds: Int
    /// A CronJob's schedule; nil for a Job.
    public var schedule: CronSchedule?
    /// Runs in the month when given; otherwise 1 for a Job and the schedule's count for a CronJob.
    public var runsPerMonth: Decimal?

    public init(
        completions: Int = 1, parallelism: Int = 1, runSeconds: Int, schedule: CronSchedule? = nil,
        runsPerMonth: Decimal? = nil
    ) {
        self.completions = completions
        self.parallelism = parallelism
        self.runSeconds = runSeconds
        self.schedule = schedule
        self.runsPerMonth = runsPerMonth
    }

    /// Runs in `period`.
    public func runs(in period: BillingPeriod) -> Decimal {
        if let runsPerMonth { return runsPerMonth }
        if let schedule { return schedule.runs(in: period) }
        return 1
    }

    /// Pods that run side by side in one wave, and how many waves a run takes.
    public var podsAtOnce: Int { max(1, min(parallelism, completions)) }
    public var waves: Int { (completions + podsAtOnce - 1) / podsAtOnce }
}

/// A set of identical pods: a Deployment or StatefulSet with replicas, or a DaemonSet.
public struct Workload: Sendable, Equatable {
    public var name: String
    public var kind: WorkloadKind
    public var namespace: String
    public var labels: [String: String]
    /// Pods wanted; ignored for DaemonSets (one per node they may run on).
    public var replicas: Int
    public var containers: [Container]
    public var initContainers: [Container]
    public var nodeSelector: [String: String]
    /// `requiredDuringSchedulingIgnoredDuringExecution` terms: any one term must match; all
    /// requirements of a term must match. Empty means no constraint.
    public var nodeAffinity: [[NodeSelectorRequirement]]
    public var tolerations: [Toleration]
    public var hostNetwork: Bool
    /// For Jobs and CronJobs.
    public var job: JobSpec?
    /// Image architectures available (`amd64`, `arm64`): where Graviton nodes may be used.
    public var imageArchitectures: [String]
    /// A HorizontalPodAutoscaler targeting the workload (autoscaling/v2 semantics).
    public var hpa: HorizontalPodAutoscalerSpec?
    /// A VerticalPodAutoscaler targeting the workload.
    public var vpa: VPASettings?
    /// Where the workload's usage over time comes from.
    public var load: WorkloadLoad?
    /// A StatefulSet's `volumeClaimTemplates`: one volume of each per replica.
    public var volumeClaimTemplates: [VolumeClaim] = []
    /// Whether a StatefulSet keeps the volumes of the replicas it scales away (its
    /// `persistentVolumeClaimRetentionPolicy.whenScaled`, Retain by default), so that its volumes
    /// follow the most replicas it has had rather than the replicas it runs.
    public var retainsVolumesWhenScaled = true

    public init(
        name: String, kind: WorkloadKind = .deployment, namespace: String = "default",
        labels: [String: String] = [:], replicas: Int = 1, containers: [Container],
        initContainers: [Container] = [], nodeSelector: [String: String] = [:],
        nodeAffinity: [[NodeSelectorRequirement]] = [], tolerations: [Toleration] = [],
        hostNetwork: Bool = false, job: JobSpec? = nil, imageArchitectures: [String] = ["amd64"]
    ) {
        self.name = name
        self.kind = kind
        self.namespace = namespace
        self.labels = labels
        self.replicas = replicas
        self.containers = containers
        self.initContainers = initContainers
        self.nodeSelector = nodeSelector
        self.nodeAffinity = nodeAffinity
        self.tolerations = tolerations
        self.hostNetwork = hostNetwork
        self.job = job
        self.imageArchitectures = imageArchitectures
    }

    /// Whether its replica count or usage changes over the period: it has load curves. An HPA
    /// without them keeps the deployed replicas.
    public var variesOverTime: Bool { load != nil }

    /// What the scheduler reserves for one pod, per resource: the larger of the app containers
    /// plus sidecars, and of each ordinary init container plus the sidecars started before it.
    /// Source: k8s.io/component-helpers/resource/helpers.go `PodRequests` (with restartable
    /// init containers, KEP-753).
    public var podRequests: ResourceRequests {
        var sidecarsSoFar = ResourceRequests.zero
        var initPeak = ResourceRequests.zero
        for container in initContainers {
            if container.isSidecar {
                sidecarsSoFar = sidecarsSoFar + container.requests
                initPeak = initPeak.max(sidecarsSoFar)
            } else {
                initPeak = initPeak.max(container.requests + sidecarsSoFar)
            }
        }
        let running = containers.reduce(sidecarsSoFar) { $0 + $1.requests }
        return running.max(initPeak)
    }

    /// The ports a pod binds on its node: the `hostPort`s of its containers and of its sidecars
    /// (init containers with `restartPolicy: Always`), as kube-scheduler's NodePorts filter reads them
    /// (pkg/scheduler/util/utils.go `GetHostPorts`). With `hostNetwork` every container port is a host
    /// port: the API server defaults `hostPort` to `containerPort` (pkg/apis/core/v1/defaults.go
    /// `SetDefaults_Pod`).
    public var hostPorts: [HostPort] {
        (initContainers.filter(\.isSidecar) + containers).flatMap(\.ports).compactMap { port in
            guard let number = port.hostPort ?? (hostNetwork ? port.containerPort : nil) else { return nil }
            return HostPort(port: number, portProtocol: port.portProtocol, hostIP: port.hostIP)
        }
    }

    /// What placement reserves for one pod: `podRequests` without the resources ekscost does not
    /// place by (`ExtendedResources.notModelled`).
    public var placementRequests: ResourceRequests {
        var requests = podRequests
        requests.extended = requests.extended.modelled
        return requests
    }

    /// `namespace/name`.
    public var qualifiedName: String { "\(namespace)/\(name)" }

    /// Whether the pod's node selector and required node affinity accept a node with `labels`.
    public func acceptsNode(labeled labels: [String: String]) -> Bool {
        for (key, value) in nodeSelector where labels[key] != value { return false }
        if nodeAffinity.isEmpty { return true }
        return nodeAffinity.contains { term in term.allSatisfy { $0.matches(labels) } }
    }

    /// The first taint with a scheduling effect that the pod does not tolerate.
    /// PreferNoSchedule only lowers a node's score and never blocks.
    public func untoleratedTaint(among taints: [Taint]) -> Taint? {
        taints.first { taint in
            taint.effect != .preferNoSchedule && !tolerations.contains { $0.tolerates(taint) }
        }
    }
}

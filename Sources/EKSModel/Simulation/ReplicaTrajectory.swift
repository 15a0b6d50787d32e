import Autoscaling
import Foundation

/// A workload's replica count through the period: change points, the first at second 0.
public struct ReplicaTrajectory: Sendable, Equatable {
    public var changes: [(time: Int, replicas: Int)]

    public static func == (lhs: ReplicaTrajectory, rhs: ReplicaTrajectory) -> Bool {
        lhs.changes.map(\.time) == rhs.changes.map(\.time) && lhs.changes.map(\.replicas) == rhs.changes.map(\.replicas)
    }

    public static func constant(_ replicas: Int) -> ReplicaTrajectory { ReplicaTrajectory(changes: [(0, replicas)]) }

    public func replicas(at second: Int) -> Int {
        var low = 0, high = changes.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if changes[mid].time <= second { low = mid } else { high = mid - 1 }
        }
        return changes[low].replicas
    }

    /// Pod-seconds over the period ÷ its seconds.
    public func averageReplicas(over seconds: Int) -> Decimal {
        guard seconds > 0 else { return 0 }
        var podSeconds: Int64 = 0
        for (index, change) in changes.enumerated() where change.time < seconds {
            let end = index + 1 < changes.count ? min(changes[index + 1].time, seconds) : seconds
            podSeconds += Int64(change.replicas) * Int64(end - change.time)
        }
        return Decimal(podSeconds) / Decimal(seconds)
    }

    public var minimum: Int { changes.map(\.replicas).min() ?? 0 }
    public var maximum: Int { changes.map(\.replicas).max() ?? 0 }
}

/// Where the HPA's observations come from at a given second.
struct WorkloadUsage {
    let cpu: [Double]?
    let memoryMiB: [Double]?
    let metrics: [String: [Double]]
    let curves: [String: LoadCurve]
    let references: WorkloadLoad?

    init(workload: Workload, curves: [String: LoadCurve]) {
        self.curves = curves
        self.references = workload.load
        func series(_ reference: CurveReference?) -> [Double]? {
            guard let reference, let curve = curves[reference.curve] else { return nil }
            return curve.series(reference.column)
        }
        cpu = series(workload.load?.cpu)
        memoryMiB = series(workload.load?.memory)
        var metrics: [String: [Double]] = [:]
        for (name, reference) in workload.load?.metrics ?? [:] { metrics[name] = series(reference) }
        self.metrics = metrics
    }

    func curve(_ reference: CurveReference?) -> LoadCurve? { reference.flatMap { curves[$0.curve] } }

    /// The value of a referenced series at `second`.
    func value(_ series: [Double]?, _ reference: CurveReference?, at second: Int, weekOffset: Int) -> Double? {
        guard let series, let curve = curve(reference) else { return nil }
        return series[curve.sampleIndex(atSecond: second, weekOffset: weekOffset)]
    }

    func cpu(at second: Int, weekOffset: Int) -> Double? { value(cpu, references?.cpu, at: second, weekOffset: weekOffset) }
    func memoryMiB(at second: Int, weekOffset: Int) -> Double? { value(memoryMiB, references?.memory, at: second, weekOffset: weekOffset) }
    func metric(_ name: String, at second: Int, weekOffset: Int) -> Double? {
        value(metrics[name], references?.metrics[name], at: second, weekOffset: weekOffset)
    }
}

/// Runs each workload's HPA through the period at its sync period.
public enum ReplicaSimulation {
    public struct Failure: Error, Sendable, Equatable {
        public let workload: String
        public let message: String
    }

    /// The trajectory of `workload`: constant without an HPA; otherwise the controller synced
    /// every `settings.hpaSyncSeconds` against observations read from its load curves (usage
    /// spread evenly over the pods, all pods ready).
    public static func trajectory(_ workload: Workload, requests: ResourceRequests, curves: [String: LoadCurve],
                                  period: BillingPeriod, settings: SimulationSettings) -> Result<ReplicaTrajectory, Failure> {
        guard let spec = workload.hpa, workload.load != nil else { return .success(.constant(workload.replicas)) }
        let controller: HorizontalPodAutoscalerController
        do {
            controller = try HorizontalPodAutoscalerController(
                spec: spec, configuration: HPAControllerConfiguration(syncPeriodSeconds: Double(settings.hpaSyncSeconds),
                                                                configurableToleranceEnabled: settings.hpaConfigurableTolerance))
        } catch {
            return .failure(Failure(workload: workload.qualifiedName, message: "\(error)"))
        }
        var hpa = controller
        let usage = WorkloadUsage(workload: workload, curves: curves)
        let weekOffset = period.weekOffsetSeconds
        let metrics = spec.effectiveMetrics
        let minimum = spec.effectiveMinReplicas
        var replicas = min(max(workload.replicas, minimum), spec.maxReplicas)
        var changes: [(time: Int, replicas: Int)] = [(0, replicas)]
        let end = period.seconds
        var observations: [MetricObservation] = Array(repeating: .unavailable, count: metrics.count)
        var t = 0
        while t < end {
            for (index, metric) in metrics.enumerated() {
                observations[index] = observation(metric, usage: usage, replicas: replicas, requests: requests,
                                                  second: t, weekOffset: weekOffset)
            }
            let next: Int
            do {
                next = try hpa.sync(at: Double(t), currentReplicas: replicas, observations: observations).replicas
            } catch {
                return .failure(Failure(workload: workload.qualifiedName, message: "\(error)"))
            }
            if next != replicas {
                replicas = next
                if changes.last!.time == t { changes[changes.count - 1].replicas = next } else { changes.append((t, next)) }
            }
            t += settings.hpaSyncSeconds
        }
        return .success(ReplicaTrajectory(changes: changes))
    }

    static func observation(_ metric: MetricSpec, usage: WorkloadUsage, replicas: Int, requests: ResourceRequests,
                            second: Int, weekOffset: Int) -> MetricObservation {
        switch metric {
        case .resource(.cpu, _):
            guard let cpu = usage.cpu(at: second, weekOffset: weekOffset) else { return .unavailable }
            return .resource(totalUsage: .millicores(CheckedNumber.int64(clamping: cpu)),
                             totalRequests: .millicores(requests.scaled(by: replicas).cpuMillicores))
        case .resource(.memory, _):
            guard let mib = usage.memoryMiB(at: second, weekOffset: weekOffset) else { return .unavailable }
            return .resource(totalUsage: .bytes(CheckedNumber.int64(clamping: mib * 1_048_576)),
                             totalRequests: .bytes(requests.scaled(by: replicas).memoryBytes))
        case .pods(let name, _):
            guard let value = usage.metric(name, at: second, weekOffset: weekOffset) else { return .unavailable }
            return .pods(total: MetricQuantity(milliValue: CheckedNumber.int64(clamping: value * 1000)))
        case .object(let name, _):
            guard let value = usage.metric(name, at: second, weekOffset: weekOffset) else { return .unavailable }
            return .object(MetricQuantity(milliValue: CheckedNumber.int64(clamping: value * 1000)))
        case .external(let name, _):
            guard let value = usage.metric(name, at: second, weekOffset: weekOffset) else { return .unavailable }
            return .external([MetricQuantity(milliValue: CheckedNumber.int64(clamping: value * 1000))])
        }
    }

    /// Trajectories of many workloads, computed on all cores (each is independent of the others
    /// and of the nodes: pods are assumed ready as soon as they exist).
    public static func trajectories(_ workloads: [Workload], requests: [ResourceRequests], curves: [String: LoadCurve],
                                    period: BillingPeriod, settings: SimulationSettings) -> [Result<ReplicaTrajectory, Failure>] {
        let results = TrajectoryBuffer(count: workloads.count)
        DispatchQueue.concurrentPerform(iterations: workloads.count) { index in
            results.set(index, trajectory(workloads[index], requests: requests[index], curves: curves, period: period, settings: settings))
        }
        return results.values
    }
}

/// Results written by index from concurrent iterations (each index once), read after they end.
final class TrajectoryBuffer: @unchecked Sendable {
    private var storage: [Result<ReplicaTrajectory, ReplicaSimulation.Failure>?]
    private let lock = NSLock()

    init(count: Int) { storage = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: Result<ReplicaTrajectory, ReplicaSimulation.Failure>) {
        lock.lock()
        storage[index] = value
        lock.unlock()
    }

    var values: [Result<ReplicaTrajectory, ReplicaSimulation.Failure>] { storage.map { $0! } }
}

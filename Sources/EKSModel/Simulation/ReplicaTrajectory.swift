import Autoscaling
public import Foundation

/// A workload's replica count through the period: change points, the first at second 0.
public struct ReplicaTrajectory: Sendable, Equatable {
    public var changes: [(time: Int, replicas: Int)]

    public static func == (lhs: ReplicaTrajectory, rhs: ReplicaTrajectory) -> Bool {
        lhs.changes.map(\.time) == rhs.changes.map(\.time) && lhs.changes.map(\.replicas) == rhs.changes.map(\.replicas)
    }

    public static func constant(_ replicas: Int) -> ReplicaTrajectory { ReplicaTrajectory(changes: [(0, replicas)]) }

    public func replicas(at second: Int) -> Int {
        var low = 0
        var high = changes.count - 1
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

    /// Replica-seconds in each of the steps given by their starts and lengths (steps in order).
    public func replicaSeconds(stepStarts: [Int], stepSeconds: [Int]) -> [Int64] {
        var cursor = 0
        return stepStarts.indices.map { step in
            let start = stepStarts[step]
            let end = start + stepSeconds[step]
            var total: Int64 = 0
            while cursor + 1 < changes.count && changes[cursor + 1].time <= start { cursor += 1 }
            var index = cursor
            while index < changes.count && changes[index].time < end {
                let from = max(start, changes[index].time)
                let to = index + 1 < changes.count ? min(end, changes[index + 1].time) : end
                if to > from { total += Int64(changes[index].replicas) * Int64(to - from) }
                index += 1
            }
            return total
        }
    }

    public var minimum: Int { changes.map(\.replicas).min() ?? 0 }
    public var maximum: Int { changes.map(\.replicas).max() ?? 0 }
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
    ///
    /// A sync that keeps the count is followed by the same answer until the observations change
    /// (the next differing curve sample; the count is unchanged) or the controller's windows move
    /// (`HorizontalPodAutoscalerController.steadyUntil`), so the syncs in between are skipped, with
    /// the same result as running each (`skippingSteadySyncs: false` runs each, for tests).
    public static func trajectory(
        _ workload: Workload, requests: ResourceRequests, curves: [String: LoadCurve],
        period: BillingPeriod, settings: SimulationSettings
    ) -> Result<ReplicaTrajectory, Failure> {
        var syncs = 0
        return trajectory(
            workload, requests: requests, curves: curves, period: period, settings: settings,
            skippingSteadySyncs: true, syncs: &syncs)
    }

    /// The trajectory, and in `syncs` how many syncs were run.
    static func trajectory(
        _ workload: Workload, requests: ResourceRequests, curves: [String: LoadCurve],
        period: BillingPeriod, settings: SimulationSettings,
        skippingSteadySyncs: Bool, syncs: inout Int
    ) -> Result<ReplicaTrajectory, Failure> {
        guard let spec = workload.hpa, workload.load != nil else { return .success(.constant(workload.replicas)) }
        var hpa: HorizontalPodAutoscalerController
        do {
            hpa = try HorizontalPodAutoscalerController(
                spec: spec,
                configuration: HPAControllerConfiguration(
                    syncPeriodSeconds: Double(settings.hpaSyncSeconds),
                    configurableToleranceEnabled: settings.hpaConfigurableTolerance))
        } catch {
            return .failure(Failure(workload: workload.qualifiedName, message: "\(error)"))
        }
        let usage = WorkloadUsage(workload: workload, curves: curves, weekOffset: period.weekOffsetSeconds)
        let metrics = spec.effectiveMetrics
        let series = metrics.map(usage.series(for:))
        let minimum = spec.effectiveMinReplicas
        var replicas = min(max(workload.replicas, minimum), spec.maxReplicas)
        var changes: [(time: Int, replicas: Int)] = [(0, replicas)]
        let end = period.seconds
        let syncSeconds = settings.hpaSyncSeconds
        var observations: [MetricObservation] = Array(repeating: .unavailable, count: metrics.count)
        var t = 0
        while t < end {
            for index in metrics.indices {
                observations[index] = observation(
                    metrics[index], series[index].map { $0.value(at: t) }, replicas: replicas, requests: requests)
            }
            let next: Int
            syncs += 1
            do {
                next = try hpa.sync(at: Double(t), currentReplicas: replicas, observations: observations).replicas
            } catch {
                return .failure(Failure(workload: workload.qualifiedName, message: "\(error)"))
            }
            if next != replicas {
                replicas = next
                if changes.last!.time == t {
                    changes[changes.count - 1].replicas = next
                } else {
                    changes.append((t, next))
                }
                t += syncSeconds
                continue
            }
            guard skippingSteadySyncs else {
                t += syncSeconds
                continue
            }
            // The first sync that could answer differently: at or after the controller's steady time
            // and the next change of a series it reads.
            var steady = hpa.steadyUntil()
            for reader in series { if let reader { steady = min(steady, Double(reader.nextChange(after: t))) } }
            guard steady > Double(t + syncSeconds) else {
                t += syncSeconds
                continue
            }
            guard steady < Double(end) else { break }
            let syncsAhead = (Int(steady.rounded(.up)) - t + syncSeconds - 1) / syncSeconds
            let following = t + syncsAhead * syncSeconds
            hpa.skipSteadySyncs(through: Double(following - syncSeconds))
            t = following
        }
        return .success(ReplicaTrajectory(changes: changes))
    }

    static func observation(_ metric: MetricSpec, _ value: Double?, replicas: Int, requests: ResourceRequests)
        -> MetricObservation
    {
        guard let value else { return .unavailable }
        switch metric {
        case .resource(.cpu, _):
            return .resource(
                totalUsage: .millicores(CheckedNumber.int64(clamping: value)),
                totalRequests: .millicores(requests.cpuMillicores.saturatingMultiplied(by: Int64(replicas))))
        case .resource(.memory, _):
            return .resource(
                totalUsage: .bytes(CheckedNumber.int64(clamping: value * 1_048_576)),
                totalRequests: .bytes(requests.memoryBytes.saturatingMultiplied(by: Int64(replicas))))
        case .pods:
            return .pods(total: MetricQuantity(milliValue: CheckedNumber.int64(clamping: value * 1000)))
        case .object:
            return .object(MetricQuantity(milliValue: CheckedNumber.int64(clamping: value * 1000)))
        case .external:
            return .external([MetricQuantity(milliValue: CheckedNumber.int64(clamping: value * 1000))])
        }
    }

}

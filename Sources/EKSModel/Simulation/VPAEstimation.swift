import Autoscaling
public import Foundation

/// What VPA recommends for one container, next to what is written.
public struct ContainerRequestsAdvice: Sendable, Hashable {
    public var workload: String
    public var container: String
    public var written: ResourceRequests
    public var target: ResourceRequests
    public var lowerBound: ResourceRequests
    public var upperBound: ResourceRequests
}

/// The month with requests as written and as VPA would set them.
public struct VPAComparison: Sendable {
    public var advice: [ContainerRequestsAdvice]
    public var writtenUSD: Decimal
    public var writtenPeakNodes: Int
    public var recommendedUSD: Decimal
    public var recommendedPeakNodes: Int
    /// Whether the main estimate uses the recommended requests (some VPA applies them).
    public var estimateUsesRecommendation: Bool
}

/// Runs the upstream VPA recommender over each VPA workload's usage curves.
///
/// Per-pod usage is the workload's total (from its `load` curves) divided by its replicas at
/// that time, split across containers in proportion to their requests; one sample per container
/// per minute (the metrics-server resolution), memory peaks per 24 h as the recommender keeps
/// them. The recommendation is read at the end of the period; ekscost applies it from the
/// start, as a VPA in steady state would (Auto / Recreate / Initial evict or admit pods with it).
public enum VPAEstimation {
    public static let sampleSeconds = 60

    public static func advice(
        for workload: Workload, trajectory: ReplicaTrajectory, curves: [String: LoadCurve],
        period: BillingPeriod
    ) -> [ContainerRequestsAdvice] {
        guard let settings = workload.vpa, workload.load?.cpu != nil || workload.load?.memory != nil else { return [] }
        let usage = WorkloadUsage(workload: workload, curves: curves, weekOffset: period.weekOffsetSeconds)
        let recommendations = learn(workload, usage: usage, trajectory: trajectory, period: period)
            .recommendation(at: Double(period.seconds))
        return workload.containers.compactMap { container in
            guard let recommendation = recommendations[container.name] else { return nil }
            func clamp(_ amounts: ResourceAmounts) -> ResourceRequests {
                var cpu = usage.cpu == nil ? container.requests.cpuMillicores : amounts.cpuMillicores
                var memory = usage.memoryMiB == nil ? container.requests.memoryBytes : amounts.memoryBytes
                for key in [container.name, "*"] {
                    if let low = settings.minAllowed[key] {
                        cpu = max(cpu, low.cpuMillicores)
                        memory = max(memory, low.memoryBytes)
                    }
                    if let high = settings.maxAllowed[key] {
                        cpu = min(cpu, high.cpuMillicores)
                        memory = min(memory, high.memoryBytes)
                    }
                }
                return ResourceRequests(cpuMillicores: cpu, memoryBytes: memory)
            }
            return ContainerRequestsAdvice(
                workload: workload.qualifiedName, container: container.name, written: container.requests,
                target: clamp(recommendation.target), lowerBound: clamp(recommendation.lowerBound),
                upperBound: clamp(recommendation.upperBound))
        }
    }

    /// The recommender after every sample of the period: per container, a CPU and a memory sample
    /// a minute, taken in stretches that read the same (`addSteadySamples`), which gives the
    /// recommender exactly what the samples one by one would.
    static func learn(
        _ workload: Workload, usage: WorkloadUsage, trajectory: ReplicaTrajectory,
        period: BillingPeriod
    ) -> VerticalPodAutoscalerRecommender {
        var recommender = VerticalPodAutoscalerRecommender()
        let containers = workload.containers
        let totalCPU = containers.reduce(Int64(0)) { $0.saturatingAdding($1.requests.cpuMillicores) }
        let totalMemory = containers.reduce(Int64(0)) { $0.saturatingAdding($1.requests.memoryBytes) }
        func share(_ part: Int64, _ total: Int64) -> Double {
            total > 0 ? Double(part) / Double(total) : 1 / Double(containers.count)
        }
        let distinctNames = Set(containers.map(\.name)).count == containers.count
        var t = 0
        let end = period.seconds
        // The replica count in force, followed along the trajectory as time goes on.
        var change = 0
        while t < end {
            while change + 1 < trajectory.changes.count && trajectory.changes[change + 1].time <= t { change += 1 }
            let replicas = max(1, trajectory.changes.isEmpty ? 0 : trajectory.changes[change].replicas)
            let cpu = usage.cpu?.value(at: t)
            let memory = usage.memoryMiB?.value(at: t)
            // The samples from t on read the same until the next replica change or curve step: one stretch.
            var until = end
            if change + 1 < trajectory.changes.count { until = min(until, trajectory.changes[change + 1].time) }
            if let series = usage.cpu { until = min(until, series.nextChange(after: t)) }
            if let series = usage.memoryMiB { until = min(until, series.nextChange(after: t)) }
            let count = (until - t + sampleSeconds - 1) / sampleSeconds
            let perPod = containers.map { container in
                (
                    cpu: cpu.map {
                        CheckedNumber.int64(
                            clamping: $0 / Double(replicas) * share(container.requests.cpuMillicores, totalCPU))
                    },
                    memory: memory.map {
                        CheckedNumber.int64(
                            clamping: $0 * 1_048_576 / Double(replicas)
                                * share(container.requests.memoryBytes, totalMemory))
                    }
                )
            }
            // Containers of distinct names feed distinct aggregates, so each takes its stretch in one go;
            // containers sharing a name share one, and take their samples minute by minute in turn.
            let run = distinctNames ? count : 1
            for offset in stride(from: 0, to: count, by: run) {
                for (container, amounts) in zip(containers, perPod) {
                    recommender.addSteadySamples(
                        container: container.name, from: Double(t + offset * sampleSeconds),
                        every: Double(sampleSeconds),
                        count: min(run, count - offset), usageMillicores: amounts.cpu,
                        requestMillicores: container.requests.cpuMillicores, usageBytes: amounts.memory)
                }
            }
            t += count * sampleSeconds
        }
        return recommender
    }

    /// The workload with its containers' requests set to `advice` targets.
    static func applying(_ advice: [ContainerRequestsAdvice], to workload: Workload) -> Workload {
        var changed = workload
        for index in changed.containers.indices {
            if let item = advice.first(where: {
                $0.workload == workload.qualifiedName && $0.container == changed.containers[index].name
            }) {
                changed.containers[index].requests = item.target
            }
        }
        return changed
    }
}

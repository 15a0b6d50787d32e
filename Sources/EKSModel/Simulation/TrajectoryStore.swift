import Foundation

/// Replica trajectories computed once per run: a trajectory depends only on the workload (its
/// replicas, HPA and load), the requests its pods have, the curves, the period and the simulation
/// settings, so the estimate, its low/high range, its VPA variants and every `compare` strategy
/// share one store. The curves and period are the store's; safe to use from several tasks.
public final class TrajectoryStore: @unchecked Sendable {
    public let curves: [String: LoadCurve]
    public let period: BillingPeriod
    private struct Entry {
        var workload: Workload
        var requests: ResourceRequests
        var settings: SimulationSettings
        var result: Result<ReplicaTrajectory, ReplicaSimulation.Failure>
    }
    /// By workload name; a name rarely has more than one entry.
    private var entries: [String: [Entry]] = [:]
    private let lock = NSLock()

    public init(curves: [String: LoadCurve], period: BillingPeriod) {
        self.curves = curves
        self.period = period
    }

    /// Whether `workload`'s replicas follow an HPA (otherwise its trajectory is its replica count).
    static func follows(_ workload: Workload) -> Bool { workload.hpa != nil && workload.load != nil }

    private func known(_ workload: Workload, requests: ResourceRequests, settings: SimulationSettings)
        -> Result<ReplicaTrajectory, ReplicaSimulation.Failure>?
    {
        lock.lock()
        defer { lock.unlock() }
        return entries[workload.qualifiedName]?.first { entry in
            entry.requests == requests && entry.settings == settings && entry.workload.replicas == workload.replicas
                && entry.workload.hpa == workload.hpa && entry.workload.load == workload.load
        }?.result
    }

    private func remember(
        _ workload: Workload, requests: ResourceRequests, settings: SimulationSettings,
        _ result: Result<ReplicaTrajectory, ReplicaSimulation.Failure>
    ) {
        lock.lock()
        defer { lock.unlock() }
        entries[workload.qualifiedName, default: []].append(
            Entry(workload: workload, requests: requests, settings: settings, result: result))
    }

    public func trajectory(
        _ workload: Workload, requests: ResourceRequests,
        settings: SimulationSettings
    ) -> Result<ReplicaTrajectory, ReplicaSimulation.Failure> {
        trajectories([workload], requests: [requests], settings: settings)[0]
    }

    /// The trajectories of `workloads` with `requests`; those not known yet are computed on all
    /// cores (each is independent of the others and of the nodes: pods are assumed ready as soon
    /// as they exist).
    public func trajectories(
        _ workloads: [Workload], requests: [ResourceRequests],
        settings: SimulationSettings
    ) -> [Result<ReplicaTrajectory, ReplicaSimulation.Failure>] {
        var results: [Result<ReplicaTrajectory, ReplicaSimulation.Failure>?] = workloads.indices.map { index in
            Self.follows(workloads[index])
                ? known(workloads[index], requests: requests[index], settings: settings)
                : .success(.constant(workloads[index].replicas))
        }
        let missing = results.indices.filter { results[$0] == nil }
        guard !missing.isEmpty else { return results.map { $0! } }
        let computed = ResultSlots(count: missing.count)
        let curves = self.curves
        let period = self.period
        DispatchQueue.concurrentPerform(iterations: missing.count) { position in
            let index = missing[position]
            computed.set(
                position,
                ReplicaSimulation.trajectory(
                    workloads[index], requests: requests[index], curves: curves,
                    period: period, settings: settings))
        }
        for (position, index) in missing.enumerated() {
            let result = computed.value(position)
            remember(workloads[index], requests: requests[index], settings: settings, result)
            results[index] = result
        }
        return results.map { $0! }
    }
}

/// Results written by index from concurrent iterations (each index once), read after they end.
final class ResultSlots: @unchecked Sendable {
    private var storage: [Result<ReplicaTrajectory, ReplicaSimulation.Failure>?]
    private let lock = NSLock()

    init(count: Int) { storage = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: Result<ReplicaTrajectory, ReplicaSimulation.Failure>) {
        lock.lock()
        storage[index] = value
        lock.unlock()
    }

    func value(_ index: Int) -> Result<ReplicaTrajectory, ReplicaSimulation.Failure> {
        lock.lock()
        defer { lock.unlock() }
        return storage[index]!
    }
}

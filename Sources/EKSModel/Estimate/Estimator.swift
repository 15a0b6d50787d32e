import Autoscaling
import Foundation

/// Everything an estimate is computed from.
public struct EstimateInputs: Sendable {
    public var scenario: Scenario
    public var snapshot: PriceSnapshot
    public var catalog: InstanceCatalog
    public var period: BillingPeriod
    public var asOf: CalendarDate

    public init(
        scenario: Scenario, snapshot: PriceSnapshot, catalog: InstanceCatalog,
        period: BillingPeriod, asOf: CalendarDate
    ) {
        self.scenario = scenario
        self.snapshot = snapshot
        self.catalog = catalog
        self.period = period
        self.asOf = asOf
    }
}

/// Prices a scenario: the control plane, and the nodes that capacity placement says each node
/// group runs (or its fixed size), with their volumes, ENIs and public addresses.
public enum Estimator {
    /// The estimate of `inputs` as they are (no VPA variants, no low/high range), its simulated
    /// clusters' trajectories taken from `trajectories`; `headlineOnly` recommends the headline
    /// commitment only; without `spreadOverSteps` (a variant of which only the total and peak are
    /// read) no step costs and no commitment recommendation.
    static func core(
        _ inputs: EstimateInputs, trajectories: TrajectoryStore, headlineOnly: Bool = false,
        spreadOverSteps: Bool = true
    ) -> (estimate: Estimate?, diagnostics: [Diagnostic]) {
        var pricer = LinePricer(inputs: inputs)
        var notes: [String] = []
        var capacity: [ClusterCapacity] = []
        let scenario = inputs.scenario
        // Commitments apply to the usage of every cluster; each cluster's lines are spread over
        // its steps once the commitment lines are known.
        var pricedClusters: [Cluster] = []
        var clusterLines: [Range<Int>] = []
        var portfolio = scenario.commitments
        var reservationPaths = scenario.commitments.reservations.indices.map { "commitments.reservedInstances[\($0)]" }

        for (clusterIndex, cluster) in scenario.clusters.enumerated() {
            let clusterPath = "clusters[\(clusterIndex)]"
            let support = SupportDecision.decide(
                version: cluster.kubernetesVersion, policy: cluster.supportPolicy, asOf: inputs.asOf)
            notes.append("\(cluster.name): \(support.reason).")
            if let warning = support.warning {
                pricer.diagnostics.append(
                    .warning(
                        "cluster \(cluster.name): \(warning)",
                        at: scenario.location(of: "\(clusterPath).kubernetesVersion")))
            }
            pricer.addControlPlane(cluster: cluster, tier: support.tier, path: clusterPath)
            pricer.addProvisionedControlPlane(cluster: cluster, path: clusterPath)
            let prices = CapacityPlanner.prices(from: inputs.snapshot, region: scenario.region)
            var plan = CapacityPlanner.plan(cluster, catalog: inputs.catalog, price: prices, period: inputs.period)
            notes += CapacityPlanner.notes(for: cluster, catalog: inputs.catalog, price: prices)
            let simulated = cluster.workloads.contains(where: \.variesOverTime)
            // An old-form `reserved:` group that is simulated: its minSize nodes are reserved,
            // the rest run on demand.
            var pricedCluster = cluster
            for (groupIndex, group) in cluster.nodeGroups.enumerated() {
                pricer.checkInstanceTypesPriced(group, path: "\(clusterPath).nodeGroups[\(groupIndex)]")
                if simulated, group.isAutoscaled, let reserved = group.reserved, !group.choosesInstanceType {
                    let count = group.minSize ?? 0
                    pricedCluster.nodeGroups[groupIndex].reserved = nil
                    if count > 0 {
                        portfolio.reservations.append(
                            ReservedInstances(
                                instanceType: group.instanceType, count: count, term: reserved,
                                region: scenario.region, os: group.os))
                        reservationPaths.append("\(clusterPath).nodeGroups[\(groupIndex)].reserved")
                    }
                    notes.append(
                        "\(cluster.name)/\(group.name): 'reserved: \(reserved)' reserves the group's minSize (\(count)) \(group.instanceType) instances; the nodes above it run on demand (write spec.commitments.reservedInstances to choose the count)."
                    )
                } else if group.isAutoscaled, let reserved = group.reserved {
                    notes.append(
                        "\(cluster.name)/\(group.name): every node the autoscaled group runs is priced on the Reserved term \(reserved); a reservation covers a fixed number of instances, and nodes above it are billed on demand."
                    )
                }
                if group.isAutoscaled, let desired = group.desiredSize, !cluster.podWorkloads.isEmpty {
                    notes.append(
                        "\(cluster.name)/\(cluster.nodeGroups[groupIndex].name): desiredSize \(desired) is only the starting size; the group is autoscaled between minSize and maxSize and runs what its pods need."
                    )
                }
            }
            let firstLine = pricer.lines.count
            if simulated {
                switch ClusterSimulator.simulate(
                    cluster, curves: scenario.curves, catalog: inputs.catalog, price: prices,
                    period: inputs.period, settings: scenario.simulation, trajectories: trajectories)
                {
                case .failure(let failure):
                    let index = cluster.workloads.firstIndex { $0.qualifiedName == failure.workload }
                    pricer.diagnostics.append(
                        .error(
                            "workload \(failure.workload): \(failure.message)",
                            at: scenario.location(
                                of: index.map { "\(clusterPath).workloads[\($0)].hpa" } ?? clusterPath)))
                case .success(let timeline):
                    plan.timeline = timeline
                    plan.unschedulable =
                        timeline.pending
                        + plan.unschedulable.filter { pods in
                            !timeline.pending.contains { $0.workload == pods.workload }
                                && !cluster.podWorkloads.contains { $0.qualifiedName == pods.workload }
                        }
                    if !timeline.peakSubnetUse.isEmpty { plan.subnetUse = timeline.peakSubnetUse }
                    pricer.addTimeline(timeline, cluster: pricedCluster, path: clusterPath)
                }
            } else {
                for (groupIndex, group) in cluster.nodeGroups.enumerated() {
                    pricer.addNodeGroup(
                        group, cluster: cluster, plan: plan.nodeTypes.filter { $0.groupName == group.name },
                        path: "\(clusterPath).nodeGroups[\(groupIndex)]")
                }
                pricer.addFargate(plan.fargate, cluster: cluster, path: clusterPath)
            }
            pricer.addNATGateways(cluster: cluster, path: clusterPath)
            pricer.addLoadBalancers(cluster: cluster, path: clusterPath)
            pricer.addVolumeClaims(
                cluster: cluster, volumesPerWorkload: statefulSetVolumes(cluster, timeline: plan.timeline),
                path: clusterPath, notes: &notes)
            pricer.addJobsOnNodes(plan.jobs, cluster: cluster, path: clusterPath)
            if plan.timeline != nil {
                pricer.addFargate(plan.fargate.filter { $0.runs != nil }, cluster: cluster, path: clusterPath)
            }
            pricer.diagnostics += CapacityPlanner.diagnostics(
                for: plan, cluster: cluster, clusterPath: clusterPath, in: scenario)
            clusterLines.append(firstLine..<pricer.lines.count)
            pricedClusters.append(pricedCluster)
            capacity.append(plan)
        }
        guard !pricer.diagnostics.hasErrors else { return (nil, pricer.diagnostics) }
        // A variant of which only the total and peak are read needs no recommendation (offers only
        // add recommendations: the lines are the commitments held); holding none, it needs no hourly
        // usage either, and has no commitment line and no commitment diagnostic.
        var commitments = CommitmentLines.Result()
        if spreadOverSteps || !portfolio.isEmpty {
            let usages = zip(pricedClusters, capacity).map { cluster, plan in
                CommitmentLines.ClusterUsage(
                    cluster: cluster, timeline: plan.timeline,
                    usage: plan.timeline.map { HourlyUsage.from($0, cluster: cluster, region: scenario.region) }
                        ?? HourlyUsage.constant(
                            plan, cluster: cluster, region: scenario.region, periodHours: inputs.period.hours))
            }
            commitments = CommitmentLines.price(
                usages, portfolio: portfolio, reservationPaths: reservationPaths,
                inputs: inputs, headlineOnly: headlineOnly || !spreadOverSteps)
        }
        pricer.diagnostics += commitments.diagnostics
        guard !pricer.diagnostics.hasErrors else { return (nil, pricer.diagnostics) }
        for (index, range) in clusterLines.enumerated() where spreadOverSteps {
            guard let timeline = capacity[index].timeline else { continue }
            let name = capacity[index].cluster
            (capacity[index].stepCostsExactUSD, capacity[index].stepCostsUSD) = StepCosts.spread(
                Array(pricer.lines[range]) + commitments.lines.filter { $0.cluster == name }, over: timeline,
                controlPlaneLines: controlPlaneCount(pricer.lines, cluster: name), period: inputs.period)
        }
        var estimate = Estimate(
            scenario: scenario.name, region: scenario.region, snapshotID: inputs.snapshot.id,
            snapshotDate: inputs.snapshot.date, period: inputs.period,
            lines: pricer.lines + commitments.lines, notes: notes, capacity: capacity)
        estimate.commitments = commitments.report
        return (estimate, pricer.diagnostics)
    }

    /// The control-plane lines of a cluster (spread evenly over its steps).
    static func controlPlaneCount(_ lines: [CostLine], cluster: String) -> [CostLine] {
        lines.filter { $0.cluster == cluster && $0.component == .controlPlane }
    }

    /// The static total with every HPA held at its minimum (or maximum) replicas.
    /// With it, the commitment report of that load (the headline offer's recommendation only).
    static func pinnedTotal(_ inputs: EstimateInputs, atMaximum: Bool, trajectories: TrajectoryStore) -> (
        Decimal?, CommitmentReport?
    ) {
        var pinned = inputs
        for clusterIndex in pinned.scenario.clusters.indices {
            for index in pinned.scenario.clusters[clusterIndex].workloads.indices {
                var workload = pinned.scenario.clusters[clusterIndex].workloads[index]
                if let hpa = workload.hpa {
                    workload.replicas = atMaximum ? hpa.maxReplicas : hpa.effectiveMinReplicas
                }
                workload.hpa = nil
                workload.load = nil
                pinned.scenario.clusters[clusterIndex].workloads[index] = workload
            }
        }
        let estimate = core(pinned, trajectories: trajectories, headlineOnly: true).estimate
        return (estimate?.totalUSD, estimate?.commitments)
    }
}

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
    /// commitment only; without `spreadOverSteps` (a variant of which only the total is read) no
    /// step costs.
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
        var usages: [CommitmentLines.ClusterUsage] = []
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
            usages.append(
                CommitmentLines.ClusterUsage(
                    cluster: pricedCluster, timeline: plan.timeline,
                    usage: plan.timeline.map { HourlyUsage.from($0, cluster: pricedCluster, region: scenario.region) }
                        ?? HourlyUsage.constant(
                            plan, cluster: pricedCluster, region: scenario.region, periodHours: inputs.period.hours)))
            capacity.append(plan)
        }
        guard !pricer.diagnostics.hasErrors else { return (nil, pricer.diagnostics) }
        let commitments = CommitmentLines.price(
            usages, portfolio: portfolio, reservationPaths: reservationPaths,
            inputs: inputs, headlineOnly: headlineOnly)
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

/// Builds cost lines, collecting every missing price instead of stopping at the first.
struct LinePricer {
    let inputs: EstimateInputs
    var lines: [CostLine] = []
    var diagnostics: [Diagnostic] = []

    init(inputs: EstimateInputs) { self.inputs = inputs }

    var region: String { inputs.scenario.region }
    var hours: Decimal { inputs.period.hours }

    /// The price for `key`, or an error naming exactly what was looked up, at `path`.
    mutating func price(_ key: PriceKey, for path: String, expecting unit: PriceUnit) -> Price? {
        guard let price = inputs.snapshot.price(key) else {
            diagnostics.append(
                .error(MissingPrice.message(key, in: inputs.snapshot), at: inputs.scenario.location(of: path)))
            let hint = Diagnostic(
                .note,
                "Reserved rates and fees come from AWS's offer files: ekscost pricing fetch \(key.region) (or ekscost pricing import AmazonEC2.csv --snapshot NAME --base \(inputs.snapshot.id), then use --pricing NAME)"
            )
            if key.term.hasPrefix("reserved-") && !diagnostics.contains(hint) { diagnostics.append(hint) }
            return nil
        }
        guard price.unit == unit else {
            diagnostics.append(
                .error(
                    "price snapshot \(inputs.snapshot.id) quotes \(key) per \(price.unit.rawValue), expected per \(unit.rawValue)",
                    at: inputs.scenario.location(of: path)))
            return nil
        }
        return price
    }

    mutating func addControlPlane(cluster: Cluster, tier: SupportDecision.Tier, path: String) {
        if let price = price(.eksCluster(region: region), for: "\(path).name", expecting: .hour) {
            lines.append(
                CostLine(
                    cluster: cluster.name, component: .controlPlane,
                    resource: tier == .extended
                        ? "EKS cluster (extended support, base fee)" : "EKS cluster, standard support",
                    quantity: 1, unit: "cluster", price: price, hours: hours, hoursPerMonth: hours, kind: .controlPlane)
            )
        }
        if tier == .extended {
            // The Price List bills extended support as a surcharge row on top of the cluster fee.
            if let price = price(
                .eksExtendedSupport(region: region), for: "\(path).kubernetesVersion", expecting: .hour)
            {
                lines.append(
                    CostLine(
                        cluster: cluster.name, component: .controlPlane,
                        resource: "EKS extended support surcharge", quantity: 1, unit: "cluster",
                        price: price, hours: hours, hoursPerMonth: hours, kind: .controlPlane))
            }
        }
    }

    /// The price term of a group's nodes: its Reserved Instance term, spot, or on-demand.
    static func term(of group: NodeGroup) -> String {
        group.reserved?.priceTerm ?? (group.capacityType == .spot ? PriceKey.spot : PriceKey.onDemand)
    }

    /// The instance line of `nodes` nodes of `type`, and for a Reserved term with an upfront
    /// fee the fee's monthly share as its own line.
    mutating func addInstances(
        of group: NodeGroup, type: String, nodes: Decimal, cluster: Cluster, path: String, basis: String?
    ) {
        let term = Self.term(of: group)
        let instanceKey = PriceKey.instance(type, os: group.os, term: term, region: region)
        let termPath = group.reserved == nil ? "\(path).instanceType" : "\(path).reserved"
        if let price = price(instanceKey, for: termPath, expecting: .hour) {
            let system = group.os == .windows ? " Windows" : ""
            let resource = group.reserved.map { "\(type)\(system) reserved \($0)" } ?? "\(type)\(system) \(term)"
            lines.append(
                CostLine(
                    cluster: cluster.name, component: .compute, group: group.name,
                    resource: resource, quantity: nodes, unit: "node",
                    price: price, hours: hours, hoursPerMonth: hours, basis: basis, kind: .instances(type: type)))
        }
        addAutoModeFee(of: group, type: type, nodes: nodes, cluster: cluster, path: path)
        guard let reserved = group.reserved, reserved.hasUpfrontFee else { return }
        // The one-time fee, spread evenly over the term's months, as its own line.
        if let fee = inputs.snapshot.upfrontFee(instanceKey) {
            lines.append(
                CostLine(
                    cluster: cluster.name, component: .compute, group: group.name,
                    resource: "\(type) reserved \(reserved) upfront fee", quantity: nodes, unit: "node",
                    price: fee, hours: hours, hoursPerMonth: hours,
                    basis: "upfront fee spread over \(reserved.months) months",
                    spreadOverMonths: reserved.months, kind: .instances(type: type)))
        } else {
            diagnostics.append(
                .error(
                    "no upfront fee for \(instanceKey) (snapshot \(inputs.snapshot.id)); run 'ekscost pricing fetch \(region)'",
                    at: inputs.scenario.location(of: "\(path).reserved")))
        }
    }

    mutating func addNodeGroup(_ group: NodeGroup, cluster: Cluster, plan: [NodeTypePlan], path: String) {
        var typePlans = plan
        if typePlans.isEmpty, !group.choosesInstanceType, let type = inputs.catalog[group.instanceType] {
            // A group with no nodes still shows its line, at zero.
            typePlans = [
                NodeTypePlan(
                    groupName: group.name, type: type, nodes: 0, pods: 0, requested: .zero,
                    daemonSetPodsPerNode: 0, daemonSetRequestsPerNode: .zero, maxPodsPerNode: 0,
                    allocatablePerNode: EKSNodeReservation.allocatable(type, maxPods: 0),
                    enis: 0, subnetIPs: 0)
            ]
        }
        guard !typePlans.isEmpty || group.choosesInstanceType else { return }  // unknown type: reported by validation
        let totalNodes = typePlans.reduce(0) { $0 + $1.nodes }
        for typePlan in typePlans {
            var basis: String?
            if typePlan.pods > 0 {
                basis =
                    "\(typePlan.pods) pods placed; per node \(typePlan.maxPodsPerNode) pods, \(typePlan.allocatablePerNode.cpu)m CPU, \(typePlan.allocatablePerNode.memoryMiB) MiB allocatable"
            }
            addInstances(
                of: group, type: typePlan.type.name, nodes: Decimal(typePlan.nodes), cluster: cluster, path: path,
                basis: basis)
        }
        let nodes = Decimal(totalNodes)
        addNodeVolumes(of: group, nodes: nodes, nodesBasis: "\(totalNodes) nodes", cluster: cluster, path: path)
        let enis = typePlans.reduce(0) { $0 + $1.enis }
        let podsOnNodes = typePlans.reduce(0) { $0 + $1.pods }
        if let price = price(.eni(region: region), for: "\(path).name", expecting: .hour) {
            let basis =
                podsOnNodes == 0
                ? "\(totalNodes) nodes × 1 ENI each, the warm pool of a node without pods"
                : "pod addresses plus the VPC CNI warm pool on \(totalNodes) nodes"
            lines.append(
                CostLine(
                    cluster: cluster.name, component: .network, group: group.name,
                    resource: "ENI (VPC CNI)", quantity: Decimal(enis), unit: "ENI",
                    price: price, hours: hours, hoursPerMonth: hours, basis: basis, kind: .eni))
        }
        if group.publicIPv4 {
            if let price = price(.publicIPv4(region: region), for: "\(path).publicIPv4", expecting: .hour) {
                lines.append(
                    CostLine(
                        cluster: cluster.name, component: .network, group: group.name,
                        resource: "public IPv4 address", quantity: nodes, unit: "address",
                        price: price, hours: hours, hoursPerMonth: hours, kind: .publicIPv4))
            }
        }
    }

    /// Fargate: per workload, vCPU-hours and GB-hours of its provisioned size (and extra
    /// ephemeral storage), then one ENI per running pod.
    mutating func addFargate(_ placements: [FargatePlacement], cluster: Cluster, path: String) {
        guard !placements.isEmpty else { return }
        let profilesPath = "\(path).fargateProfiles"
        // Both looked up before either is checked, so that a run lists every missing price.
        let vcpuPrice = price(.fargateVCPU(region: region), for: profilesPath, expecting: .vcpuHour)
        let memoryPrice = price(.fargateMemory(region: region), for: profilesPath, expecting: .gbHour)
        guard let vcpuPrice, let memoryPrice else { return }
        var runningPods = 0
        for placement in placements {
            let billedHours = placement.billedHours(periodHours: hours)
            let pods = Decimal(placement.billedPods)
            let who =
                placement.runs == nil
                ? "\(placement.pods) pods × \(placement.size)"
                : "\(placement.podsPerRun) pods × \(placement.size) per run; \(DecimalText.format(DecimalText.rounded(placement.runs!, scale: 4))) runs × \(placement.billedSecondsPerPod!) s billed (per second, 1 minute minimum)"
            lines.append(
                CostLine(
                    cluster: cluster.name, component: .fargate, group: placement.workload,
                    resource: "Fargate vCPU", quantity: pods * placement.size.vcpu, unit: "vCPU",
                    price: vcpuPrice, hours: billedHours, hoursPerMonth: hours,
                    basis: "\(who); profile \(placement.profile)", kind: .fargate(workload: placement.workload)))
            lines.append(
                CostLine(
                    cluster: cluster.name, component: .fargate, group: placement.workload,
                    resource: "Fargate memory", quantity: pods * placement.size.memoryGB, unit: "GB",
                    price: memoryPrice, hours: billedHours, hoursPerMonth: hours, basis: who,
                    kind: .fargate(workload: placement.workload)))
            if placement.extraStorageGB > 0,
                let storagePrice = price(
                    .fargateEphemeralStorage(region: region), for: profilesPath, expecting: .gbHour)
            {
                lines.append(
                    CostLine(
                        cluster: cluster.name, component: .fargate, group: placement.workload,
                        resource: "Fargate ephemeral storage above 20 GB",
                        quantity: pods * Decimal(placement.extraStorageGB),
                        unit: "GB", price: storagePrice, hours: billedHours, hoursPerMonth: hours, basis: who,
                        kind: .fargate(workload: placement.workload)))
            }
            if placement.runs == nil { runningPods += placement.pods }
        }
        // Each Fargate pod has its own ENI (EKS User Guide, Fargate considerations).
        if runningPods > 0, let eniPrice = price(.eni(region: region), for: profilesPath, expecting: .hour) {
            lines.append(
                CostLine(
                    cluster: cluster.name, component: .network, group: "fargate",
                    resource: "ENI (Fargate pods)", quantity: Decimal(runningPods), unit: "ENI",
                    price: eniPrice, hours: hours, hoursPerMonth: hours, basis: "one ENI per Fargate pod",
                    kind: .fargateENI))
        }
    }

    /// Jobs on EC2: runs that need their own nodes pay for them, per second with a one-minute
    /// minimum, until the autoscaler removes them.
    mutating func addJobsOnNodes(_ jobs: [JobOnNodes], cluster: Cluster, path: String) {
        for job in jobs where !job.onSpareCapacity {
            guard let type = job.type, let group = job.groupName else { continue }
            let groupPath =
                cluster.nodeGroups.firstIndex { $0.name == group }.map { "\(path).nodeGroups[\($0)].instanceType" }
                ?? path
            let nodeGroup = cluster.nodeGroups.first { $0.name == group }
            let term = nodeGroup?.capacityType == .spot ? PriceKey.spot : PriceKey.onDemand
            guard
                let price = price(
                    .instance(type.name, os: nodeGroup?.os ?? .linux, term: term, region: region), for: groupPath,
                    expecting: .hour)
            else { continue }
            let nodeHours = job.runs * Decimal(job.billedSecondsPerNode) / 3600
            lines.append(
                CostLine(
                    cluster: cluster.name, component: .compute, group: group,
                    resource: "\(type.name) \(term) for \(job.workload) runs", quantity: Decimal(job.nodesPerRun),
                    unit: "node",
                    price: price, hours: nodeHours, hoursPerMonth: hours,
                    basis:
                        "\(DecimalText.format(DecimalText.rounded(job.runs, scale: 4))) runs × \(job.billedSecondsPerNode) s per node (run plus scale-down)",
                    kind: .jobInstances(type: type.name, workload: job.workload)))
            if let nodeGroup = cluster.nodeGroups.first(where: { $0.name == group }) {
                addAutoModeFee(
                    of: nodeGroup, type: type.name, nodes: Decimal(job.nodesPerRun), nodeHours: nodeHours,
                    cluster: cluster,
                    path: groupPath, runs: job.workload)
            }
        }
    }

    /// A simulated cluster: nodes, volumes, addresses and Fargate pods as they ran, each as its
    /// average over the period × price × hours (node-seconds ÷ 3600 × price).
    mutating func addTimeline(_ timeline: ClusterTimeline, cluster: Cluster, path: String) {
        let periodSeconds = Decimal(timeline.periodSeconds)
        var secondsByGroup: [String: Int64] = [:]
        var keys = timeline.nodeKeys
        for group in cluster.nodeGroups
        where !group.choosesInstanceType && !keys.contains(where: { $0.group == group.name }) {
            keys.append(NodeKey(group: group.name, type: group.instanceType))
        }
        keys.sort { a, b in
            let ia = cluster.nodeGroups.firstIndex { $0.name == a.group } ?? 0
            let ib = cluster.nodeGroups.firstIndex { $0.name == b.group } ?? 0
            return (ia, a.type) < (ib, b.type)
        }
        for key in keys {
            guard let groupIndex = cluster.nodeGroups.firstIndex(where: { $0.name == key.group }) else { continue }
            let group = cluster.nodeGroups[groupIndex]
            let seconds = timeline.nodeSeconds(key)
            secondsByGroup[key.group, default: 0] += seconds
            addInstances(
                of: group, type: key.type, nodes: Decimal(seconds) / periodSeconds, cluster: cluster,
                path: "\(path).nodeGroups[\(groupIndex)]",
                basis:
                    "average nodes over the period, billed per second (1-minute minimum); peak \(timeline.peakNodes(key)) nodes"
            )
        }
        for (groupIndex, group) in cluster.nodeGroups.enumerated() {
            let seconds = secondsByGroup[group.name] ?? 0
            let average = Decimal(seconds) / periodSeconds
            addNodeVolumes(
                of: group, nodes: average, nodesBasis: "average nodes", cluster: cluster,
                path: "\(path).nodeGroups[\(groupIndex)]")
            if group.publicIPv4,
                let price = price(
                    .publicIPv4(region: region), for: "\(path).nodeGroups[\(groupIndex)].publicIPv4", expecting: .hour)
            {
                lines.append(
                    CostLine(
                        cluster: cluster.name, component: .network, group: group.name,
                        resource: "public IPv4 address", quantity: average, unit: "address",
                        price: price, hours: hours, hoursPerMonth: hours,
                        basis: "one per node, average over the period",
                        kind: .publicIPv4))
            }
        }
        let fargateNames = timeline.fargateSizes.keys.sorted()
        if !fargateNames.isEmpty {
            let profilesPath = "\(path).fargateProfiles"
            let vcpu = price(.fargateVCPU(region: region), for: profilesPath, expecting: .vcpuHour)
            let memory = price(.fargateMemory(region: region), for: profilesPath, expecting: .gbHour)
            if let vcpu, let memory {
                for name in fargateNames {
                    let size = timeline.fargateSizes[name]!
                    let average = Decimal(timeline.fargatePodSeconds(name)) / periodSeconds
                    let basis =
                        "\(size) per pod; average \(DecimalText.format(DecimalText.rounded(average, scale: 2))) pods, billed per second (1-minute minimum)"
                    lines.append(
                        CostLine(
                            cluster: cluster.name, component: .fargate, group: name, resource: "Fargate vCPU",
                            quantity: average * size.vcpu, unit: "vCPU", price: vcpu, hours: hours,
                            hoursPerMonth: hours, basis: basis, kind: .fargate(workload: name)))
                    lines.append(
                        CostLine(
                            cluster: cluster.name, component: .fargate, group: name, resource: "Fargate memory",
                            quantity: average * size.memoryGB, unit: "GB", price: memory, hours: hours,
                            hoursPerMonth: hours, basis: basis, kind: .fargate(workload: name)))
                }
            }
        }
        if let eni = price(.eni(region: region), for: "\(path).name", expecting: .hour) {
            lines.append(
                CostLine(
                    cluster: cluster.name, component: .network, group: "",
                    resource: "ENI (VPC CNI)", quantity: Decimal(timeline.eniSeconds) / periodSeconds, unit: "ENI",
                    price: eni, hours: hours, hoursPerMonth: hours,
                    basis: "average ENIs held by nodes (pods and warm pool) and Fargate pods", kind: .eni))
        }
    }
}

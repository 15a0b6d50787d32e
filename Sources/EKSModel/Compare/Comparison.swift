public import Foundation

/// One way of running the scenario's workloads, priced.
public struct StrategyResult: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case asWritten = "as-written"
        case onDemand = "ec2-on-demand"
        case spot = "ec2-spot"
        case cheapestFamily = "cheapest-family"
        case fargate = "fargate"
        /// As written, plus the Compute Savings Plan the estimate recommends (only when the
        /// snapshot has Savings Plans rates).
        case withSavingsPlan = "with-savings-plan"
    }

    public var kind: Kind
    public var title: String
    /// The estimate, when the strategy could be priced.
    public var estimate: Estimate?
    /// Why it could not be priced, or what it assumed (spot source, family chosen).
    public var note: String
    public var shares: [CostShare]

    public var totalUSD: Decimal? { estimate?.totalUSD }
    public var nodes: Int { estimate?.capacity.reduce(0) { $0 + $1.nodeCount } ?? 0 }
    public var fargatePods: Int { estimate?.capacity.reduce(0) { $0 + $1.fargate.reduce(0) { $0 + $1.pods } } ?? 0 }
    /// Priced and every pod placed.
    public var isComparable: Bool { estimate?.isComplete == true }
}

/// A part of a strategy's monthly cost.
public struct CostShare: Sendable, Hashable {
    public enum Kind: String, Sendable {
        case workload, daemonSets = "daemonsets", overhead = "cluster-overhead", idle
    }

    public var kind: Kind
    /// `namespace/name` for workloads, else a label.
    public var name: String
    public var usd: Decimal
    /// Of a workload: its pods that fit nowhere (they cost nothing because they do not run).
    public var unplacedPods: Int = 0
}

/// Fargate against EC2 nodes for one workload.
public struct BreakEven: Sendable, Hashable {
    public var workload: String
    public var replicas: Int
    public var fargateSize: FargateSize
    /// Monthly cost of one Fargate pod (vCPU, memory, its ENI).
    public var fargatePodUSD: Decimal
    public var nodeType: String
    public var podsPerNode: Int
    /// Monthly cost of one node (instance, root volume, public address).
    public var nodeUSD: Decimal
    /// The first replica count at which the nodes cost no more than Fargate; nil when Fargate
    /// is cheaper at every count.
    public var ec2CheaperFrom: Int?
    /// From this count on the nodes are never dearer (before it, a partly filled last node can
    /// make Fargate cheaper again); nil when Fargate is always cheaper.
    public var ec2AlwaysCheaperFrom: Int?
    /// For a workload whose HPA follows a load curve: the same question in hours per day.
    public var curve: CurveBreakEven?

    /// The sentence reports print.
    public var statement: String {
        if let curve {
            return curve.statement(
                workload: workload, fargateSize: fargateSize, podUSD: fargatePodUSD,
                nodeType: nodeType, perNode: podsPerNode, nodeUSD: nodeUSD)
        }
        let fargate = "Fargate (\(fargateSize) per pod, \(DecimalText.usd(fargatePodUSD)) USD/month)"
        let nodes =
            "\(nodeType) nodes (\(podsPerNode) pod\(podsPerNode == 1 ? "" : "s") each, \(DecimalText.usd(nodeUSD)) USD/month)"
        guard let first = ec2CheaperFrom, let always = ec2AlwaysCheaperFrom else {
            return "\(workload): \(fargate) is cheaper than \(nodes) at any replica count; it runs \(replicas)."
        }
        var text = "\(workload): Fargate is cheaper below \(first) replicas (\(fargate) against \(nodes))"
        if always > first {
            text +=
                "; from \(first) to \(always - 1) it depends on how full the last node is, and from \(always) replicas EC2 is always cheaper"
        }
        let now =
            EC2VersusFargate.ec2Cost(replicas, nodeUSD: nodeUSD, perNode: podsPerNode) <= Decimal(replicas)
                * fargatePodUSD ? "EC2" : "Fargate"
        return text + ". At its \(replicas) replicas \(now) is cheaper."
    }
}

/// Fargate against nodes for a workload whose replicas follow a load curve. Fargate bills the
/// pods that run; dedicated nodes have to hold the peak, so they are counted for the peak all
/// day. Fargate wins while the pods run, in peak-equivalent hours, fewer hours a day than
/// `breakEvenHoursPerDay`; the curve's own figure is `24 × average ÷ peak`.
public struct CurveBreakEven: Sendable, Hashable {
    public var peakReplicas: Int
    /// Pod-seconds of the simulated period ÷ its seconds.
    public var averageReplicas: Decimal
    public var nodesForPeak: Int
    public var breakEvenHoursPerDay: Decimal
    public var hoursPerDay: Decimal

    public init(peakReplicas: Int, averageReplicas: Decimal, podUSD: Decimal, nodeUSD: Decimal, perNode: Int) {
        self.peakReplicas = peakReplicas
        self.averageReplicas = averageReplicas
        nodesForPeak = (peakReplicas + perNode - 1) / perNode
        breakEvenHoursPerDay = EC2VersusFargate.breakEvenHoursPerDay(
            peak: peakReplicas, podUSD: podUSD, nodeUSD: nodeUSD, perNode: perNode)
        hoursPerDay = peakReplicas > 0 ? 24 * averageReplicas / Decimal(peakReplicas) : 0
    }

    func statement(
        workload: String, fargateSize: FargateSize, podUSD: Decimal, nodeType: String, perNode: Int, nodeUSD: Decimal
    ) -> String {
        let hours = { (value: Decimal) in DecimalText.format(DecimalText.roundedResult(value, scale: 1)) }
        let average = DecimalText.format(DecimalText.roundedResult(averageReplicas, scale: 2))
        let fargate = "Fargate (\(fargateSize) per pod, \(DecimalText.usd(podUSD)) USD/month around the clock)"
        let nodes =
            "\(nodesForPeak) \(nodeType) node\(nodesForPeak == 1 ? "" : "s") kept for the peak of \(peakReplicas) replicas (\(perNode) pod\(perNode == 1 ? "" : "s") each, \(DecimalText.usd(nodeUSD)) USD/month per node)"
        let now =
            "its load curve gives \(hours(hoursPerDay)) hours per day (average \(average) replicas ÷ peak \(peakReplicas) × 24)"
        if breakEvenHoursPerDay >= 24 {
            return "\(workload): \(fargate) is cheaper than \(nodes) even around the clock; \(now)."
        }
        let winner = hoursPerDay < breakEvenHoursPerDay ? "Fargate" : "EC2"
        return
            "\(workload): Fargate is cheaper while its pods run under \(hours(breakEvenHoursPerDay)) hours per day at peak (\(fargate) against \(nodes)); \(now), so \(winner) is cheaper."
    }
}

/// Cost of N pods on dedicated nodes against N Fargate pods.
public enum EC2VersusFargate {
    public static func ec2Cost(_ pods: Int, nodeUSD: Decimal, perNode: Int) -> Decimal {
        Decimal((pods + perNode - 1) / perNode) * nodeUSD
    }

    /// Hours per day that `peak` Fargate pods may run for the cost of the nodes that hold them
    /// all day: 24 × ⌈peak ÷ k⌉ × node ÷ (peak × pod), with monthly costs around the clock.
    public static func breakEvenHoursPerDay(peak: Int, podUSD: Decimal, nodeUSD: Decimal, perNode: Int) -> Decimal {
        guard peak > 0, podUSD > 0 else { return 24 }
        return 24 * ec2Cost(peak, nodeUSD: nodeUSD, perNode: perNode) / (Decimal(peak) * podUSD)
    }

    /// (first N with nodes ≤ Fargate, N from which nodes are always ≤ Fargate); both nil when
    /// Fargate is always cheaper. With k pods per node, at N = m·k + 1 the nodes cost (m + 1) ×
    /// node against (m·k + 1) × pod: always cheaper once m·(k·pod − node) ≥ node − pod.
    public static func crossover(podUSD: Decimal, nodeUSD: Decimal, perNode k: Int) -> (first: Int, always: Int)? {
        let fullNode = podUSD * Decimal(k)
        if fullNode < nodeUSD { return nil }
        var first: Int?
        var lastFargateCheaper = 0
        // Prices a hair apart make the block count huge: no workload has more than a million
        // replicas (InputLimits), so counting further says nothing and would take forever.
        let replicaLimit = 1_000_000
        let ratio = fullNode == nodeUSD ? 0 : DecimalText.ceiling((nodeUSD - podUSD) / (fullNode - nodeUSD))
        let blocks = ratio.isFinite && ratio < Decimal(replicaLimit) ? ratio.intValue + 1 : replicaLimit
        for n in 1...min(replicaLimit, max(k, (blocks + 1) * k)) {
            if ec2Cost(n, nodeUSD: nodeUSD, perNode: k) <= Decimal(n) * podUSD {
                if first == nil { first = n }
            } else {
                lastFargateCheaper = n
            }
        }
        guard let first else { return nil }
        return (first, lastFargateCheaper + 1)
    }
}

/// Splits a strategy's total into workloads, DaemonSets, cluster overhead and idle capacity.
///
/// Node cost is shared by requests: a workload's share of a node type's cost is the average of
/// its share of the nodes' allocatable CPU and of their allocatable memory; DaemonSets likewise;
/// what no pod requests is idle. In a simulated month the shares are by pod-seconds against
/// node-seconds of each type. Fargate and job lines belong to their workload; the control plane,
/// volumes and network are cluster overhead. Shares are rounded to the cent and idle takes the
/// rounding, so the parts add up to the total exactly. Every workload gets a share, with the
/// count of its pods that fit nowhere.
public enum CostSharing {
    public static func shares(of estimate: Estimate, scenario: Scenario) -> [CostShare] {
        var workloadUSD: [String: Decimal] = [:]
        var unplaced: [String: Int] = [:]
        var daemonSetsUSD: Decimal = 0
        var overheadUSD: Decimal = 0
        var commitmentsUSD: Decimal = 0
        for (clusterIndex, plan) in estimate.capacity.enumerated() {
            let clusterName = plan.cluster
            let cluster = scenario.clusters.indices.contains(clusterIndex) ? scenario.clusters[clusterIndex] : nil
            for workload in (cluster?.podWorkloads ?? []) + (cluster?.jobWorkloads ?? []) {
                workloadUSD[workload.qualifiedName, default: 0] += 0
            }
            for pods in plan.unschedulable { unplaced[pods.workload, default: 0] += pods.count }
            let requestsByName = Dictionary((cluster?.workloads ?? []).map { ($0.qualifiedName, $0.podRequests) }) {
                a, _ in a
            }
            for line in estimate.lines where line.cluster == clusterName {
                switch line.component {
                case .fargate:
                    workloadUSD[line.group, default: 0] += line.exactUSD
                case .compute:
                    switch line.kind {
                    case .jobInstances(_, let workload), .autoModeFee(_, jobRuns: let workload?):
                        workloadUSD[workload, default: 0] += line.exactUSD
                        continue
                    default: break
                    }
                    guard let use = nodeUse(of: line, in: plan, requests: requestsByName) else {
                        overheadUSD += line.exactUSD
                        continue
                    }
                    for (workload, share) in use.workloads {
                        workloadUSD[workload, default: 0] += line.exactUSD * share
                    }
                    daemonSetsUSD += line.exactUSD * use.daemonSets
                case .controlPlane, .storage, .network:
                    overheadUSD += line.exactUSD
                case .commitments:
                    commitmentsUSD += line.exactUSD
                }
            }
        }
        var shares = workloadUSD.keys.sorted().map {
            CostShare(
                kind: .workload, name: $0, usd: DecimalText.roundedResult(workloadUSD[$0]!, scale: 2),
                unplacedPods: unplaced[$0] ?? 0)
        }
        if daemonSetsUSD != 0 {
            shares.append(
                CostShare(
                    kind: .daemonSets, name: "DaemonSets", usd: DecimalText.roundedResult(daemonSetsUSD, scale: 2)))
        }
        shares.append(
            CostShare(
                kind: .overhead, name: "control plane, volumes, network",
                usd: DecimalText.roundedResult(overheadUSD, scale: 2)))
        if commitmentsUSD != 0 {
            // Fees less the on-demand cost they covered (negative when they save).
            shares.append(
                CostShare(
                    kind: .overhead, name: "commitments: fees less the usage they covered",
                    usd: DecimalText.roundedResult(commitmentsUSD, scale: 2)))
        }
        let idle = estimate.totalUSD - shares.reduce(0) { $0 + $1.usd }
        shares.append(CostShare(kind: .idle, name: "idle node capacity", usd: idle))
        return shares
    }

    /// Shares of a compute line's nodes: per workload and for the DaemonSets, the average of the CPU
    /// and memory they request over what the nodes offer (pod-seconds over node-seconds when
    /// simulated). Nil when the line's nodes are not found.
    static func nodeUse(
        of line: CostLine, in plan: ClusterCapacity,
        requests: [String: ResourceRequests]
    ) -> (workloads: [String: Decimal], daemonSets: Decimal)? {
        func share(_ requested: ResourceRequests, of offered: ResourceRequests) -> Decimal {
            guard offered.cpuMillicores > 0, offered.memoryBytes > 0 else { return 0 }
            return
                (Decimal(requested.cpuMillicores) / Decimal(offered.cpuMillicores)
                + Decimal(requested.memoryBytes) / Decimal(offered.memoryBytes)) / 2
        }
        func perNode(_ facts: NodeTypePlan) -> ResourceRequests {
            ResourceRequests(
                cpuMillicores: Int64(facts.allocatablePerNode.cpu),
                memoryBytes: Int64(facts.allocatablePerNode.memoryMiB) * 1_048_576)
        }
        let type: String
        switch line.kind {
        case .instances(let name), .autoModeFee(let name, jobRuns: nil): type = name
        default: return nil
        }
        if let timeline = plan.timeline {
            let key = NodeKey(group: line.group, type: type)
            guard let facts = timeline.templates[key] else { return nil }
            let nodeSeconds = timeline.nodeSeconds(key)
            guard nodeSeconds > 0 else { return ([:], 0) }
            let offered = perNode(facts)
            var workloads: [String: Decimal] = [:]
            for (name, seconds) in timeline.podSeconds[key] ?? [:] {
                guard let request = requests[name] else { continue }
                workloads[name] = share(request, of: offered) * Decimal(seconds) / Decimal(nodeSeconds)
            }
            return (workloads, share(facts.daemonSetRequestsPerNode, of: offered))
        }
        guard let typePlan = plan.nodeTypes.first(where: { $0.groupName == line.group && $0.type.name == type }) else {
            return nil
        }
        let allocatable = typePlan.totalAllocatable
        let key = "\(typePlan.groupName)/\(typePlan.type.name)"
        var workloads: [String: Decimal] = [:]
        for placement in plan.placements {
            guard let count = placement.pods[key], let request = requests[placement.workload] else { continue }
            workloads[placement.workload, default: 0] += share(request.scaled(by: count), of: allocatable)
        }
        return (workloads, share(typePlan.daemonSetRequestsPerNode.scaled(by: typePlan.nodes), of: allocatable))
    }
}

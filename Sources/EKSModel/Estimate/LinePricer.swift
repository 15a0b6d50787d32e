import Autoscaling
import Foundation

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

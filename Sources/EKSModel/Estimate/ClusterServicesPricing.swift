import Foundation

/// The cost lines of what a cluster pays for beside its nodes and pods: the provisioned control
/// plane tier, EKS Auto Mode's fee, NAT gateways, load balancers and EBS volumes. Built in this
/// one place, each with its component and its computation.
///
/// Price keys come from `PriceKey+Items.swift`, as the importer writes them.
extension LinePricer {
    // MARK: Control plane

    /// A provisioned control plane tier, billed per tier-hour on top of the cluster fee.
    mutating func addProvisionedControlPlane(cluster: Cluster, path: String) {
        guard let tier = cluster.controlPlaneTier, tier != ControlPlaneTier.standard else { return }
        guard
            let price = price(
                .eksProvisionedControlPlane(tier: tier, region: region), for: "\(path).controlPlaneTier",
                expecting: .hour)
        else { return }
        lines.append(
            CostLine(
                cluster: cluster.name, component: .controlPlane, resource: "EKS provisioned control plane \(tier)",
                quantity: 1, unit: "cluster", price: price, hours: hours, hoursPerMonth: hours,
                basis: "controlPlaneScalingConfig.tier \(tier), billed per hour on top of the cluster fee",
                kind: .controlPlane))
    }

    // MARK: EKS Auto Mode

    /// EKS Auto Mode's management fee: per instance-hour of the nodes it launches, on top of
    /// their EC2 price (priced per instance type).
    mutating func addAutoModeFee(
        of group: NodeGroup, type: String, nodes: Decimal, nodeHours: Decimal? = nil,
        cluster: Cluster, path: String, runs: String? = nil
    ) {
        guard group.effectiveProvisioner == .autoMode else { return }
        guard let price = price(.eksAutoMode(type, region: region), for: "\(path).provisioner", expecting: .hour) else {
            return
        }
        lines.append(
            CostLine(
                cluster: cluster.name, component: .compute, group: group.name,
                resource: "\(type) EKS Auto Mode fee" + (runs.map { " for \($0) runs" } ?? ""),
                quantity: nodes, unit: "node", price: price, hours: nodeHours ?? hours, hoursPerMonth: hours,
                basis: "per instance-hour of the nodes EKS Auto Mode runs, on top of the EC2 price",
                kind: .autoModeFee(type: type, jobRuns: runs)))
    }

    // MARK: NAT gateways

    mutating func addNATGateways(cluster: Cluster, path: String) {
        guard let nat = cluster.networking.natGateways, nat.count > 0 else { return }
        let natPath = "\(path).networking.natGateways"
        if let price = price(.natGateway(region: region), for: natPath, expecting: .hour) {
            lines.append(
                CostLine(
                    cluster: cluster.name, component: .network, resource: "NAT gateway",
                    quantity: Decimal(nat.count), unit: "gateway", price: price, hours: hours, hoursPerMonth: hours,
                    basis: "\(nat.count) NAT gateway\(nat.count == 1 ? "" : "s") of the VPC, billed per hour",
                    kind: .natGateway))
        }
        guard let gigabytes = nat.dataProcessedGB, gigabytes > 0,
            let price = price(.natGatewayData(region: region), for: natPath, expecting: .gb)
        else { return }
        lines.append(
            CostLine(
                cluster: cluster.name, component: .network, resource: "NAT gateway data processed",
                quantity: gigabytes, unit: "GB", price: price, hours: hours, hoursPerMonth: hours,
                basis: "data processed in the month, as stated", kind: .natGateway))
    }

    // MARK: Load balancers

    mutating func addLoadBalancers(cluster: Cluster, path: String) {
        for (index, balancer) in cluster.loadBalancers.enumerated() {
            let balancerPath = "\(path).loadBalancers[\(index)]"
            if let price = price(.loadBalancer(balancer.kind, region: region), for: balancerPath, expecting: .hour) {
                lines.append(
                    CostLine(
                        cluster: cluster.name, component: .network, group: balancer.name,
                        resource: balancer.kind.title, quantity: 1, unit: "load balancer", price: price,
                        hours: hours, hoursPerMonth: hours, basis: balancer.reason, kind: .loadBalancer))
            }
            switch balancer.kind {
            case .application, .network:
                guard let units = balancer.capacityUnits, units > 0,
                    let price = price(
                        .loadBalancerUsage(balancer.kind, region: region), for: balancerPath, expecting: .lcuHour)
                else { continue }
                let unitName = balancer.kind == .network ? "NLCU" : "LCU"
                lines.append(
                    CostLine(
                        cluster: cluster.name, component: .network, group: balancer.name,
                        resource: "\(balancer.kind.title) capacity units", quantity: units, unit: unitName,
                        price: price, hours: hours, hoursPerMonth: hours,
                        basis: "average \(unitName)s per hour, as stated", kind: .loadBalancer))
            case .classic:
                guard let gigabytes = balancer.dataProcessedGB, gigabytes > 0,
                    let price = price(.loadBalancerUsage(.classic, region: region), for: balancerPath, expecting: .gb)
                else { continue }
                lines.append(
                    CostLine(
                        cluster: cluster.name, component: .network, group: balancer.name,
                        resource: "Classic Load Balancer data processed", quantity: gigabytes, unit: "GB",
                        price: price, hours: hours, hoursPerMonth: hours,
                        basis: "data processed in the month, as stated",
                        kind: .loadBalancer))
            }
        }
    }

    // MARK: EBS volumes

    /// `count` volumes like `volume`: storage per GB-month, and IOPS and throughput beyond what
    /// the GB price includes, each its own line.
    mutating func addVolumes(
        _ volume: EBSVolume, count: Decimal, cluster: Cluster, group: String, resource: String,
        basis: String, path: String, kind: CostLine.Kind
    ) {
        if let price = price(.ebsVolume(volume.type, region: region), for: path, expecting: .gbMonth) {
            lines.append(
                CostLine(
                    cluster: cluster.name, component: .storage, group: group, resource: resource,
                    quantity: count * Decimal(volume.sizeGiB), unit: "GiB", price: price, hours: hours,
                    hoursPerMonth: hours, basis: "\(basis) × \(volume.sizeGiB) GiB", kind: kind))
        }
        for (tier, iops) in volume.billedIOPSByTier.enumerated() where iops > 0 {
            guard
                let price = price(
                    .ebsIOPS(volume.type, tier: tier + 1, region: region), for: path, expecting: .iopsMonth)
            else { continue }
            let what =
                switch volume.type {
                case "gp3": "IOPS above the \(EBSVolume.gp3IncludedIOPS) included"
                case "io2": ["IOPS up to 32,000", "IOPS 32,001 to 64,000", "IOPS above 64,000"][tier]
                default: "provisioned IOPS"
                }
            lines.append(
                CostLine(
                    cluster: cluster.name, component: .storage, group: group, resource: "\(resource) \(what)",
                    quantity: count * Decimal(iops), unit: "IOPS", price: price, hours: hours, hoursPerMonth: hours,
                    basis: "\(basis) × \(iops) IOPS of \(volume.iops ?? 0) provisioned", kind: kind))
        }
        let throughput = volume.billedThroughputMiBps
        if throughput > 0,
            let price = price(.ebsThroughput(volume.type, region: region), for: path, expecting: .gibpsMonth)
        {
            // The Price List quotes gp3 throughput per GiB/s-month (GiBps-mo): 1 GiB/s = 1024 MiB/s.
            lines.append(
                CostLine(
                    cluster: cluster.name, component: .storage, group: group,
                    resource: "\(resource) throughput above \(EBSVolume.gp3IncludedThroughputMiBps) MiB/s",
                    quantity: count * Decimal(throughput) / 1024, unit: "GiB/s", price: price, hours: hours,
                    hoursPerMonth: hours, basis: "\(basis) × \(throughput) MiB/s ÷ 1024", kind: kind))
        }
    }

    /// A node group's root volume and eksctl `additionalVolumes`, `nodes` of each.
    mutating func addNodeVolumes(
        of group: NodeGroup, nodes: Decimal, nodesBasis: String, cluster: Cluster, path: String
    ) {
        if let volume = group.rootVolume {
            addVolumes(
                volume, count: nodes, cluster: cluster, group: group.name, resource: "\(volume.type) root volume",
                basis: nodesBasis, path: "\(path).rootVolume.type", kind: .nodeVolumes)
        }
        for (index, volume) in group.additionalVolumes.enumerated() {
            addVolumes(
                volume, count: nodes, cluster: cluster, group: group.name,
                resource: "\(volume.type) additional volume \(index + 1)", basis: nodesBasis,
                path: "\(path).additionalVolumes[\(index)]", kind: .nodeVolumes)
        }
    }

    /// PersistentVolumeClaims and static volumes of the cluster, and the volumes of its
    /// StatefulSets' claim templates: `volumesPerWorkload` gives each StatefulSet's volumes per
    /// template (the average over a simulated period) and how they were counted.
    mutating func addVolumeClaims(
        cluster: Cluster, volumesPerWorkload: [String: (count: Decimal, basis: String)],
        path: String, notes: inout [String]
    ) {
        func resolve(_ claim: VolumeClaim, at claimPath: String) -> (EBSVolume, String)? {
            switch StorageClassResolution.resolve(
                claim, classes: cluster.storageClasses, defaultClass: cluster.defaultStorageClass)
            {
            case .ebs(let volume, let basis):
                notes.append("\(cluster.name): \(basis).")
                return (volume, basis)
            case .notPriced(let reason):
                notes.append("\(cluster.name): \(reason).")
                return nil
            case .invalid(let reason):
                diagnostics.append(.error(reason, at: inputs.scenario.location(of: claimPath)))
                return nil
            }
        }
        for (index, claim) in cluster.volumeClaims.enumerated() {
            let claimPath = "\(path).volumeClaims[\(index)]"
            guard let (volume, _) = resolve(claim, at: claimPath) else { continue }
            addVolumes(
                volume, count: 1, cluster: cluster, group: claim.name, resource: "\(volume.type) persistent volume",
                basis: "1 volume", path: claimPath, kind: .persistentVolumes)
        }
        for (workloadIndex, workload) in cluster.workloads.enumerated() where !workload.volumeClaimTemplates.isEmpty {
            let counted =
                volumesPerWorkload[workload.qualifiedName] ?? (
                    Decimal(workload.replicas), "\(workload.replicas) replicas"
                )
            for (index, template) in workload.volumeClaimTemplates.enumerated() {
                let claimPath = "\(path).workloads[\(workloadIndex)].volumeClaimTemplates[\(index)]"
                guard let (volume, _) = resolve(template, at: claimPath) else { continue }
                addVolumes(
                    volume, count: counted.count, cluster: cluster, group: workload.qualifiedName,
                    resource: "\(volume.type) volumes of claim template \(template.name)", basis: counted.basis,
                    path: claimPath,
                    kind: .persistentVolumes)
            }
        }
    }
}

extension Estimator {
    /// The volumes of each StatefulSet's claim templates: its replicas, or in a simulated period
    /// the average volumes its replica trajectory held (one per replica, kept after a scale-down
    /// unless its retention policy deletes them).
    static func statefulSetVolumes(_ cluster: Cluster, timeline: ClusterTimeline?) -> [String: (
        count: Decimal, basis: String
    )] {
        var volumes: [String: (count: Decimal, basis: String)] = [:]
        let simulated =
            timeline.map { Dictionary(zip($0.workloadNames, $0.trajectories), uniquingKeysWith: { first, _ in first }) }
            ?? [:]
        for workload in cluster.workloads where !workload.volumeClaimTemplates.isEmpty {
            guard let timeline, let trajectory = simulated[workload.qualifiedName], timeline.periodSeconds > 0 else {
                volumes[workload.qualifiedName] = (
                    Decimal(workload.replicas), "\(workload.replicas) replica\(workload.replicas == 1 ? "" : "s")"
                )
                continue
            }
            let retained = workload.retainsVolumesWhenScaled
            let average =
                Decimal(trajectory.volumeSeconds(over: timeline.periodSeconds, retained: retained))
                / Decimal(timeline.periodSeconds)
            let rule =
                retained ? "kept after scale-down (whenScaled: Retain)" : "following the replicas (whenScaled: Delete)"
            volumes[workload.qualifiedName] = (
                average, "average volumes over the period, one per replica \(rule); peak \(trajectory.maximum)"
            )
        }
        return volumes
    }
}

extension ReplicaTrajectory {
    /// Volume-seconds of a StatefulSet's claims over `seconds`: one volume per replica, kept after
    /// a scale-down when `retained` (the volumes of the highest ordinal reached stay), else
    /// following the replicas.
    public func volumeSeconds(over seconds: Int, retained: Bool) -> Int64 {
        var total: Int64 = 0
        var held = 0
        for (index, change) in changes.enumerated() where change.time < seconds {
            held = retained ? max(held, change.replicas) : change.replicas
            let end = index + 1 < changes.count ? min(changes[index + 1].time, seconds) : seconds
            total += Int64(held) * Int64(end - change.time)
        }
        return total
    }

}

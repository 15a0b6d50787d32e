import Foundation

extension Comparer {
    /// For each long-running workload Fargate can run: Fargate per pod against dedicated
    /// nodes of the type its node group would use, as the replica count grows.
    static func breakEvens(_ inputs: EstimateInputs, trajectories: TrajectoryStore) -> [BreakEven] {
        let region = inputs.scenario.region
        let hours = inputs.period.hours
        let snapshot = inputs.snapshot
        guard let vcpu = snapshot.price(.fargateVCPU(region: region)),
            let memory = snapshot.price(.fargateMemory(region: region))
        else { return [] }
        let eni = snapshot.price(.eni(region: region))?.usd ?? 0
        var results: [BreakEven] = []
        for cluster in inputs.scenario.clusters {
            let onDemand = transform(Scenario(name: "", region: region, clusters: [cluster])) { c in
                c.fargateProfiles = []
                c.fargateAssignment = nil
            }.clusters[0]
            let plan = CapacityPlanner.plan(
                onDemand, catalog: inputs.catalog,
                price: CapacityPlanner.prices(from: snapshot, region: region), period: inputs.period)
            for workload in cluster.podWorkloads
            where FargateSizing.limitation(for: workload) == nil && workload.replicas > 0 {
                guard let size = FargateSizing.size(for: workload.podRequests) else { continue }
                let podUSD = (size.vcpu * vcpu.usd + size.memoryGB * memory.usd + eni) * hours
                // The node type its pods land on without Fargate, and how many fit per node.
                guard let placement = plan.placements.first(where: { $0.workload == workload.qualifiedName }),
                    let key = placement.pods.keys.sorted().first,
                    let typePlan = plan.nodeTypes.first(where: { "\($0.groupName)/\($0.type.name)" == key }),
                    let group = cluster.nodeGroups.first(where: { $0.name == typePlan.groupName }),
                    let nodePrice = snapshot.price(.instance(typePlan.type.name, os: group.os, region: region))
                else { continue }
                let room =
                    ResourceRequests(
                        cpuMillicores: Int64(typePlan.allocatablePerNode.cpu),
                        memoryBytes: Int64(typePlan.allocatablePerNode.memoryMiB) * 1_048_576)
                    - typePlan.daemonSetRequestsPerNode
                let requests = workload.podRequests
                var perNode = typePlan.maxPodsPerNode - typePlan.daemonSetPodsPerNode
                if requests.cpuMillicores > 0 {
                    perNode = min(perNode, Int(room.cpuMillicores / requests.cpuMillicores))
                }
                if requests.memoryBytes > 0 { perNode = min(perNode, Int(room.memoryBytes / requests.memoryBytes)) }
                guard perNode > 0 else { continue }
                var nodeUSD = nodePrice.usd * hours
                if let volume = group.rootVolume,
                    let ebs = snapshot.price(.ebsVolume(volume.type, region: region))
                {
                    nodeUSD += Decimal(volume.sizeGiB) * ebs.usd
                }
                if group.publicIPv4, let ip = snapshot.price(.publicIPv4(region: region)) {
                    nodeUSD += ip.usd * hours
                }
                let crossover = EC2VersusFargate.crossover(podUSD: podUSD, nodeUSD: nodeUSD, perNode: perNode)
                var result = BreakEven(
                    workload: workload.qualifiedName, replicas: workload.replicas, fargateSize: size,
                    fargatePodUSD: podUSD, nodeType: typePlan.type.name, podsPerNode: perNode,
                    nodeUSD: nodeUSD, ec2CheaperFrom: crossover?.first, ec2AlwaysCheaperFrom: crossover?.always)
                if workload.hpa != nil, workload.load != nil,
                    case .success(let trajectory) = trajectories.trajectory(
                        workload, requests: requests,
                        settings: inputs.scenario.simulation.forCluster(cluster))
                {
                    result.curve = CurveBreakEven(
                        peakReplicas: trajectory.maximum,
                        averageReplicas: trajectory.averageReplicas(over: inputs.period.seconds),
                        podUSD: podUSD, nodeUSD: nodeUSD, perNode: perNode)
                }
                results.append(result)
            }
        }
        return results
    }
}

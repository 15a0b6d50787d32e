import Foundation

extension Planner {
    // MARK: - Fargate

    /// Pods matching a Fargate profile run there, each sized by Fargate's rule; those Fargate
    /// cannot run are reported (EKS leaves them pending).
    func placeOnFargate(_ capacity: inout ClusterCapacity) {
        for workload in cluster.podWorkloads + cluster.jobWorkloads {
            guard let profile = cluster.fargateProfile(for: workload) else { continue }
            let pods = workload.kind.runsToCompletion ? (workload.job?.podsAtOnce ?? 1) : workload.replicas
            guard pods > 0 else { continue }
            if let limitation = FargateSizing.limitation(for: workload) {
                capacity.unschedulable.append(
                    UnschedulablePods(
                        workload: workload.qualifiedName, count: pods,
                        requests: workload.podRequests,
                        reason: .fargateCannotRun(profile: profile.name, limitation: limitation)))
                continue
            }
            var placement = FargatePlacement(
                workload: workload.qualifiedName, profile: profile.name, pods: pods,
                size: FargateSizing.size(for: workload.podRequests)!,
                extraStorageGB: FargateSizing.extraEphemeralStorageGB(workload),
                podsPerRun: pods)
            if let job = workload.job, workload.kind.runsToCompletion {
                placement.runs = job.runs(in: period)
                placement.billedSecondsPerPod = ShortLivedBilling.billedSeconds(job.runSeconds)
                placement.podsPerRun = job.completions
            }
            capacity.fargate.append(placement)
        }
    }

    // MARK: - Jobs on nodes

    /// A run that fits in the room the month's nodes leave free costs nothing more; otherwise
    /// the autoscaler launches nodes for it, billed for the run and until they are removed.
    func placeJobs(_ capacity: inout ClusterCapacity) {
        for workload in cluster.jobWorkloads where cluster.fargateProfile(for: workload) == nil {
            guard let job = workload.job else { continue }
            let request = workload.placementRequests
            let ports = workload.hostPorts
            let wave = job.podsAtOnce
            let runs = job.runs(in: period)
            // Spare room: first fit of one wave into the nodes as planned, without keeping it.
            var spare = pool.slotsInOrder.map { pool.bins[$0] }
            var left = wave
            for index in spare.indices where left > 0 {
                let template = templates[spare[index].template]
                guard template.admits(workload) else { continue }
                let take = min(
                    left,
                    PlacementRules.room(
                        for: request, in: template, used: spare[index].used, pods: spare[index].pods,
                        podPorts: ports, nodePorts: spare[index].hostPorts))
                spare[index].pods += take
                spare[index].used = spare[index].used + request.scaled(by: take)
                if take > 0 { spare[index].hostPorts += ports }
                left -= take
            }
            if left == 0 {
                capacity.jobs.append(
                    JobOnNodes(
                        workload: workload.qualifiedName, runs: runs, onSpareCapacity: true,
                        nodesPerRun: 0, billedSecondsPerNode: 0))
                continue
            }
            // Burst nodes: the cheapest admitting template of an autoscaled group.
            let candidates = cluster.nodeGroups.indices.filter { cluster.nodeGroups[$0].isAutoscaled }
                .flatMap { group in
                    cluster.nodeGroups[group].typeRule == .firstListed
                        ? Array(groupTemplates[group].prefix(1)) : groupTemplates[group]
                }
                .filter {
                    templates[$0].admits(workload)
                        && PlacementRules.room(for: request, in: templates[$0], used: .zero, pods: 0, podPorts: ports)
                            > 0
                }
            guard let best = rules.cheapestTemplate(candidates) else {
                capacity.unschedulable.append(explain(PodRun(workload: -1, count: wave), workload: workload))
                continue
            }
            let template = templates[best]
            let perNode = PlacementRules.room(for: request, in: template, used: .zero, pods: 0, podPorts: ports)
            let nodesPerRun = (wave + perNode - 1) / perNode
            let karpenter = cluster.nodeGroups[template.groupIndex].typeRule == .cheapestThatFits
            let scaleDown =
                karpenter
                ? ShortLivedBilling.karpenterScaleDownSeconds : ShortLivedBilling.clusterAutoscalerScaleDownSeconds
            capacity.jobs.append(
                JobOnNodes(
                    workload: workload.qualifiedName, runs: runs, onSpareCapacity: false, groupName: template.groupName,
                    type: template.type, nodesPerRun: nodesPerRun,
                    billedSecondsPerNode: ShortLivedBilling.billedSeconds(job.waves * job.runSeconds + scaleDown),
                    hourlyPrice: template.hourlyPrice))
        }
    }
}

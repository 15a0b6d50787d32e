public import Foundation

/// Places a cluster's pods on nodes the way EKS's autoscalers would, and counts the nodes.
///
/// 1. Nodes that exist anyway (fixed-size groups, `minSize` of autoscaled groups) take pods
///    first, first fit, largest pods first.
/// 2. Pending pods then scale groups up as the Cluster Autoscaler does: every group that could
///    take some of them estimates its new nodes by first-fit decreasing (pods ordered by
///    `cpu/allocatableCPU + mem/allocatableMem`, binpacking_estimator.go), and the least-waste
///    expander (expander/waste) picks the group that wastes the least CPU + memory share;
///    repeat until nothing more fits. An Auto Scaling group with several types is sized from its
///    first type (see `InstanceTypeRule`). A Karpenter or Auto Mode group packs like Karpenter
///    instead: pods by CPU then memory, descending, into node claims that keep every type still
///    able to hold them, each claim launching the cheapest type that fits.
/// 3. Pods left over are reported with the reason, never dropped.
///
/// A pod fits a node when its CPU, memory, pod slot and every extended resource it requests fit in
/// what is left (NodeResourcesFit) and no pod there binds a host port it binds (NodePorts).
public enum CapacityPlanner {
    /// Hourly price of an instance type for a node group (its capacity type and operating
    /// system), when known.
    public typealias PriceLookup = (_ instanceType: String, _ group: NodeGroup) -> Decimal?

    public static func plan(
        _ cluster: Cluster, catalog: InstanceCatalog, price: PriceLookup,
        period: BillingPeriod = .standard
    ) -> ClusterCapacity {
        var planner = Planner(cluster: cluster, catalog: catalog, price: price, period: period)
        return planner.run()
    }

    /// EC2 prices from a snapshot: on-demand, or spot for spot groups, at the group's operating
    /// system's rate (a Windows group chooses among its types by their Windows prices; a type
    /// without one is unpriced, never priced as Linux).
    public static func prices(from snapshot: PriceSnapshot, region: String) -> PriceLookup {
        { type, group in
            snapshot.price(
                .instance(
                    type, os: group.os, term: group.capacityType == .spot ? PriceKey.spot : PriceKey.onDemand,
                    region: region))?.usd
        }
    }

    /// What a plan means for the user: running out of subnet addresses is an error naming the
    /// groups and the numbers; pods that fit nowhere are warnings (the plan is incomplete).
    public static func diagnostics(
        for plan: ClusterCapacity, cluster: Cluster, clusterPath: String,
        in scenario: Scenario
    ) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for use in plan.subnetUse where use.isExhausted {
            var path = "\(clusterPath).networking.subnets"
            if use.groups.count == 1, let index = cluster.nodeGroups.firstIndex(where: { $0.name == use.groups[0] }),
                cluster.nodeGroups[index].subnets != nil
            {
                path = "\(clusterPath).nodeGroups[\(index)].subnets"
            }
            let who =
                use.groups.count == 1
                ? "node group \(use.groups[0])" : "node groups \(use.groups.joined(separator: ", "))"
            diagnostics.append(
                .error(
                    "\(who) of cluster \(cluster.name) need \(use.addressesUsed) subnet addresses (pods, ENI primary addresses and the VPC CNI warm pool) but the subnets (\(use.spec.description)) have \(use.spec.usableAddresses) usable",
                    at: scenario.location(of: path)))
        }
        for pods in plan.unschedulable {
            let index = cluster.workloads.firstIndex { $0.qualifiedName == pods.workload && $0.kind != .daemonSet }
            let path = index.map { "\(clusterPath).workloads[\($0)]" } ?? "\(clusterPath).workloads"
            diagnostics.append(
                .warning(
                    "cluster \(cluster.name): \(pods.count) pod\(pods.count == 1 ? "" : "s") of \(pods.workload) fit on no node: \(pods.explanation)",
                    at: scenario.location(of: path)))
        }
        return diagnostics
    }

    /// What the report says about how the cluster's nodes were chosen: the rule each group with
    /// several instance types followed, and requests that are not modelled.
    public static func notes(for cluster: Cluster, catalog: InstanceCatalog, price: PriceLookup) -> [String] {
        var notes: [String] = []
        for group in cluster.nodeGroups where group.typeRule != .single {
            let candidates = candidateTypes(of: group, catalog: catalog)
            let first = candidates.first { price($0.name, group) != nil } ?? candidates.first
            notes.append(
                "\(cluster.name): "
                    + group.typeRule.describe(group: group, firstType: first?.name ?? group.instanceType) + ".")
        }
        for workload in cluster.workloads {
            let ignored = workload.podRequests.extended.names.filter(ExtendedResources.notModelled.contains)
            guard !ignored.isEmpty else { continue }
            notes.append(
                "\(cluster.name)/\(workload.qualifiedName): \(ignored.joined(separator: ", ")) (security groups for pods) is not modelled: the branch ENIs each instance type offers (aws/amazon-vpc-resource-controller-k8s pkg/aws/vpc/limits.go) are not in the instance catalog, so its pods are placed as if every node had enough."
            )
        }
        return notes
    }

    /// The instance types a group may launch, in the order written (requirements: by name).
    public static func candidateTypes(of group: NodeGroup, catalog: InstanceCatalog) -> [InstanceType] {
        if let requirements = group.instanceRequirements {
            return catalog.names.compactMap { catalog[$0] }.filter(requirements.admits)
        }
        let names = group.instanceTypes ?? [group.instanceType]
        return names.compactMap { catalog[$0] }
    }
}

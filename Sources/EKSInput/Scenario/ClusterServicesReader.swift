import EKSModel
import Foundation
import Yams

/// The cluster keys of a scenario for what it pays beside nodes and pods: NAT gateways
/// (`networking.natGateways`), load balancers, the default storage class and the provisioned
/// control plane tier.
extension ScenarioLoader {
    static let clusterServiceKeys = ["loadBalancers", "defaultStorageClass", "controlPlaneTier"]
    static let natGatewayKeys = ["count", "dataProcessedGB"]

    static func readClusterServices(_ map: MappingReader, into cluster: inout Cluster) {
        let context = map.context
        cluster.defaultStorageClass = map.string("defaultStorageClass")
        cluster.controlPlaneTier = map.choice("controlPlaneTier", from: ControlPlaneTier.all)
        for (path, node) in map.list("loadBalancers") ?? [] {
            guard
                let balancer = MappingReader(
                    node, context: context, path: path, what: "a load balancer of \(map.what)",
                    named: "load balancer", allowedKeys: ["name", "type", "capacityUnits", "dataProcessedGB"])
            else { continue }
            let name =
                balancer.string("name", required: "a name for the load balancer, such as shop/web") ?? "load balancer"
            guard
                let type = balancer.choice("type", from: LoadBalancerKind.allCases.map(\.rawValue)).flatMap(
                    LoadBalancerKind.init)
            else {
                if !balancer.has("type") { balancer.missing("type", "alb, nlb or clb") }
                continue
            }
            let units = balancer.positiveDecimal("capacityUnits")
            let data = balancer.positiveDecimal("dataProcessedGB")
            if units != nil && type == .classic {
                context.error(
                    "a Classic Load Balancer is billed per GB processed, not per capacity unit: give dataProcessedGB",
                    at: balancer.value("capacityUnits")!)
            }
            if data != nil && type != .classic {
                context.error(
                    "an \(type.title) is billed per capacity unit (LCU, NLCU), not per GB: give capacityUnits",
                    at: balancer.value("dataProcessedGB")!)
            }
            cluster.loadBalancers.append(
                LoadBalancer(
                    name: name, kind: type, reason: "written in the scenario",
                    capacityUnits: type == .classic ? nil : units,
                    dataProcessedGB: type == .classic ? data : nil))
        }
    }

    /// `natGateways: 2` or `natGateways: {count: 2, dataProcessedGB: 500}`.
    static func readNATGateways(_ networking: MappingReader) -> NATGateways? {
        guard let node = networking.value("natGateways") else { return nil }
        if node.scalarText != nil {
            return networking.integer("natGateways", in: 0...1000).map { NATGateways(count: $0) }
        }
        guard
            let map = networking.mapping(
                "natGateways", what: "natGateways of \(networking.what)", allowedKeys: natGatewayKeys),
            let count = map.integer(
                "count", in: 0...1000, required: "how many NAT gateways the VPC has, such as 1 (or 3, one per zone)")
        else { return nil }
        return NATGateways(count: count, dataProcessedGB: map.positiveDecimal("dataProcessedGB"))
    }
}

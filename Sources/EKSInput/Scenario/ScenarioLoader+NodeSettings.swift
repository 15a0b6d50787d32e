import EKSModel
import Foundation
import Yams

/// Parts of a cluster and its node groups: VPC CNI networking and subnets, instance
/// requirements, EBS sizes.
extension ScenarioLoader {
    static func readNetworking(_ map: MappingReader) -> Networking {
        var networking = Networking()
        if map.bool("prefixDelegation") == true { networking.addressMode = .prefixDelegation }
        if let node = map.value("maxPodsCap"), let text = node.scalarText {
            switch text {
            case "none": networking.maxPodsCap = .none
            case "recommended": networking.maxPodsCap = .recommended
            default:
                if let value = Int(text), value > 0 {
                    networking.maxPodsCap = .fixed(value)
                } else {
                    map.context.error(
                        "maxPodsCap in \(map.what) must be none, recommended (110, or 250 above 30 vCPU) or a number of pods, found \(node.kindDescription)",
                        at: node)
                }
            }
        }
        if let target = map.integer("warmENITarget", in: 0...64) { networking.warmPool.warmENITarget = target }
        networking.warmPool.warmIPTarget = map.integer("warmIPTarget", in: 0...100_000)
        networking.warmPool.minimumIPTarget = map.integer("minimumIPTarget", in: 0...100_000)
        if let target = map.integer("warmPrefixTarget", in: 0...10_000) {
            networking.warmPool.warmPrefixTarget = target
        }
        networking.subnets = readSubnets(map)
        networking.natGateways = readNATGateways(map)
        return networking
    }

    /// `subnets: {prefixLength: 24, count: 3}`: the subnets node addresses come from.
    static func readSubnets(_ map: MappingReader) -> SubnetSpec? {
        guard
            let subnets = map.mapping(
                "subnets", what: "subnets of \(map.what)", allowedKeys: ["prefixLength", "count"])
        else { return nil }
        guard
            let prefix = subnets.integer(
                "prefixLength", in: 16...28, required: "the subnet size as a prefix length, 16 to 28 (24 for a /24)")
        else { return nil }
        return SubnetSpec(prefixLength: prefix, count: subnets.integer("count", in: 1...64) ?? 1)
    }

    /// `{vcpu: {min: 2, max: 8}, memory: {min: 4Gi, max: 32Gi}, architectures: [x86_64], families: [m5, c5]}`.
    static func readRequirements(_ map: MappingReader, context: YAMLDiagnostics) -> InstanceRequirements {
        var requirements = InstanceRequirements()
        if let vcpu = map.mapping("vcpu", what: "vcpu of \(map.what)", allowedKeys: ["min", "max"]) {
            requirements.minVCPU = vcpu.integer("min", in: 1...10_000)
            requirements.maxVCPU = vcpu.integer("max", in: 1...10_000)
        }
        if let memory = map.mapping("memory", what: "memory of \(map.what)", allowedKeys: ["min", "max"]) {
            requirements.minMemoryMiB = memory.quantity("min").map { Int($0.value / 1_048_576) }
            requirements.maxMemoryMiB = memory.quantity("max").map { Int(($0.value + 1_048_575) / 1_048_576) }
        }
        requirements.architectures = (map.list("architectures") ?? []).compactMap { item in
            guard let text = item.node.scalarText, ["x86_64", "arm64"].contains(text) else {
                context.error(
                    "architectures of \(map.what) take x86_64 and arm64, found \(item.node.kindDescription)",
                    at: item.node)
                return nil
            }
            return text
        }
        requirements.families = (map.list("families") ?? []).compactMap { $0.node.scalarText }
        requirements.includeBurstable = map.bool("burstable") ?? true
        requirements.includeBareMetal = map.bool("bareMetal") ?? false
        return requirements
    }

    /// EBS sizes are whole GiB: `20Gi`, `1Ti`, or a bare number meaning GiB (as eksctl's volumeSize).
    static func gibibytes(_ quantity: ResourceQuantity, node: Node, what: String, context: YAMLDiagnostics) -> Int? {
        let text = quantity.text
        if let whole = Int(text) { return whole }
        let gib = quantity.amount / Decimal(1 << 30)
        guard text.hasSuffix("i"), gib == DecimalText.truncated(gib), gib > 0 else {
            context.error("\(what) must be whole GiB, such as 20Gi, 1Ti or 20, found \"\(text)\"", at: node)
            return nil
        }
        return gib.intValue
    }
}

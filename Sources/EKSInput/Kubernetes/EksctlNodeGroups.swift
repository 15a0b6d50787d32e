import EKSModel
import Foundation
import Yams

/// One node group being read: its mapping, where it is, and what the messages call it.
struct EksctlNodeGroupSource {
    var map: MappingReader
    /// `nodeGroups[i]`, with managed groups numbered after the unmanaged ones.
    var path: String
    var managed: Bool
    var context: YAMLDiagnostics
    var what: String { map.what }

    /// Records that the model's `modelKey` was written as eksctl's `eksctlKey`, so that messages
    /// about it point into the eksctl file.
    func alias(_ modelKey: String, _ eksctlKey: String) {
        if let location = context.locations[map.childPath(eksctlKey)] {
            context.locations["\(path).\(modelKey)"] = location
        }
    }
}

/// eksctl's `instancesDistribution` share of on-demand instances.
struct OnDemandShare {
    var base: Int
    var percent: Int
}

/// Node groups (`nodeGroups`, `managedNodeGroups`): types, operating system, capacity type,
/// sizes, volumes, network, labels and taints, each as eksctl completes it.
extension EksctlReader {
    static func readNodeGroup(
        _ node: Node, path: String, managed: Bool, cluster: String, clusterName: String,
        context: YAMLDiagnostics
    ) -> NodeGroup? {
        let kind = managed ? "managed node group" : "node group"
        guard
            let map = MappingReader(
                node, context: context, path: path, what: "a \(kind) of \(clusterName)", named: kind,
                allowedKeys: managed ? managedKeys : unmanagedKeys)
        else { return nil }
        let name = map.string("name", required: "a name for the node group") ?? "nodegroup"
        let source = EksctlNodeGroupSource(map: map, path: path, managed: managed, context: context)
        var group = NodeGroup(name: name, instanceType: defaultInstanceType)
        // Both are Auto Scaling groups scaled by the Cluster Autoscaler: several types launch in the
        // order listed (see InstanceTypeRule).
        group.provisioner = managed ? .managedNodeGroup : .selfManaged
        let onDemandShare = readInstanceTypes(source, into: &group)
        readOperatingSystem(source, into: &group)
        readCapacityType(source, onDemandShare: onDemandShare, into: &group)
        readSizes(source, into: &group)
        readVolumes(source, into: &group)
        readNetworkLabelsAndTaints(source, cluster: cluster, into: &group)
        return group
    }

    /// `instanceType`, `instanceTypes`, `instancesDistribution` or `instanceSelector`; a group on
    /// an Outpost or whose type only a launch template gives is an error. Returns the
    /// distribution's on-demand share, when it gives one.
    static func readInstanceTypes(_ source: EksctlNodeGroupSource, into group: inout NodeGroup) -> OnDemandShare? {
        let (map, what, context) = (source.map, source.what, source.context)
        var types: [String]?
        if let items = map.list("instanceTypes") {
            types = typeNames(items, what: "instanceTypes of \(what)", context: context)
        }
        var onDemandShare: OnDemandShare?
        if let distribution = map.mapping(
            "instancesDistribution", what: "instancesDistribution of \(what)", allowedKeys: distributionKeys)
        {
            if let items = distribution.list("instanceTypes", required: "the instance types to mix") {
                types = typeNames(items, what: "instancesDistribution.instanceTypes of \(what)", context: context)
                if let location = context.locations[distribution.childPath("instanceTypes")] {
                    context.locations["\(source.path).instanceTypes"] = location
                }
            }
            onDemandShare = OnDemandShare(
                base: distribution.integer("onDemandBaseCapacity", in: 0...100_000) ?? 0,
                percent: distribution.integer("onDemandPercentageAboveBaseCapacity", in: 0...100) ?? 100)
        }
        if let type = map.string("instanceType"), type != "mixed" {
            if types != nil {
                context.error(
                    "\(what) gives instanceType and a list of instance types; eksctl takes one of them (instanceType: mixed, or leave it out)",
                    at: map.value("instanceType")!)
            }
            group.instanceType = type
        }
        if let types, !types.isEmpty {
            group.instanceType = types[0]
            group.instanceTypes = types.count > 1 ? types : nil
        }
        if let selector = map.mapping(
            "instanceSelector", what: "instanceSelector of \(what)",
            allowedKeys: ["vCPUs", "memory", "gpus", "cpuArchitecture"]), types == nil, !map.has("instanceType")
        {
            group.instanceRequirements = readInstanceSelector(selector, context: context)
            source.alias("instanceRequirements", "instanceSelector")
        }
        // A node group of a Region's cluster extended to an Outpost (FindNodeGroupOutpostARN).
        if let outpost = map.value("outpostARN") {
            context.error(
                "\(what): outpostARN places its nodes on \(outpostsUnsupported); remove outpostARN to price the group in the Region",
                at: outpost)
        }
        if source.managed, map.has("launchTemplate"), types == nil, !map.has("instanceType") {
            context.error(
                "\(what) takes its instance type from a launch template, which ekscost cannot read; add instanceType or instanceTypes",
                at: map.value("launchTemplate")!)
        }
        return onDemandShare
    }

    /// eksctl's WindowsServer* AMI families run Windows, License Included; AmazonLinux2,
    /// AmazonLinux2023, Bottlerocket and the Ubuntu families are Linux
    /// (pkg/apis/eksctl.io/v1alpha5/validation.go, `IsWindowsImage`).
    static func readOperatingSystem(_ source: EksctlNodeGroupSource, into group: inout NodeGroup) {
        if let family = source.map.string("amiFamily"), family.hasPrefix("WindowsServer") {
            group.os = .windows
            source.alias("os", "amiFamily")
        }
    }

    /// `spot: true` (managed groups), or an `instancesDistribution` with no on-demand part, is
    /// spot; a distribution that mixes both is priced on-demand, with a warning.
    static func readCapacityType(
        _ source: EksctlNodeGroupSource, onDemandShare: OnDemandShare?, into group: inout NodeGroup
    ) {
        if source.managed, source.map.bool("spot") == true {
            group.capacityType = .spot
            source.alias("capacityType", "spot")
        }
        guard let share = onDemandShare else { return }
        if share.base == 0 && share.percent == 0 {
            group.capacityType = .spot
            source.alias("capacityType", "instancesDistribution")
        } else if share.percent < 100 {
            source.context.warning(
                "\(source.what) mixes on-demand and spot instances (onDemandBaseCapacity \(share.base), onDemandPercentageAboveBaseCapacity \(share.percent)); ekscost prices a group with one capacity type and prices it all on-demand: split it into an on-demand and a spot group to price the mix",
                at: source.map.value("instancesDistribution")!)
        }
    }

    /// Sizes, completed as eksctl completes them (validation.go for managed groups,
    /// pkg/cfn/builder/nodegroup.go for unmanaged ones): min = max is a fixed group.
    static func readSizes(_ source: EksctlNodeGroupSource, into group: inout NodeGroup) {
        let (map, path, context) = (source.map, source.path, source.context)
        let desired = map.integer("desiredCapacity", in: 0...100_000)
        var minSize = map.integer("minSize", in: 0...100_000)
        var maxSize = map.integer("maxSize", in: 0...100_000)
        source.alias("desiredSize", "desiredCapacity")
        source.alias("minSize", "minSize")
        source.alias("maxSize", "maxSize")
        if minSize == nil { minSize = desired ?? defaultNodeCount }
        if maxSize == nil { maxSize = desired ?? minSize }
        if let minSize, let maxSize, minSize == maxSize, desired == nil || desired == minSize {
            group.desiredSize = minSize
            if context.locations["\(path).desiredSize"] == nil {
                context.locations["\(path).desiredSize"] =
                    context.locations["\(path).minSize"] ?? context.locations[path]
            }
        } else {
            group.desiredSize = desired
            group.minSize = minSize
            group.maxSize = maxSize
        }
    }

    /// The root volume (`volumeSize`, `volumeType`, `volumeIOPS`, `volumeThroughput`) and the
    /// `additionalVolumes`.
    static func readVolumes(_ source: EksctlNodeGroupSource, into group: inout NodeGroup) {
        let map = source.map
        let size = map.integer("volumeSize", in: 1...65_536) ?? defaultVolumeSizeGiB
        let volumeType = map.choice("volumeType", from: volumeTypes) ?? defaultVolumeType
        // io1 without volumeIOPS gets eksctl's DefaultNodeVolumeIO1IOPS, 100 (types.go).
        let iops = map.integer("volumeIOPS", in: 100...256_000) ?? (volumeType == "io1" ? 100 : nil)
        group.rootVolume = RootVolume(
            type: volumeType, sizeGiB: size, iops: iops,
            throughputMiBps: map.integer("volumeThroughput", in: 125...2000))
        source.alias("rootVolume.size", "volumeSize")
        source.alias("rootVolume.type", "volumeType")
        group.additionalVolumes = readAdditionalVolumes(map, what: source.what, context: source.context)
    }

    /// Public addresses (`privateNetworking`), labels with the two eksctl adds, taints; a
    /// `maxPodsPerNode` is not applied (a warning says so).
    static func readNetworkLabelsAndTaints(
        _ source: EksctlNodeGroupSource, cluster: String, into group: inout NodeGroup
    ) {
        let (map, context) = (source.map, source.context)
        group.publicIPv4 = !(map.bool("privateNetworking") ?? false)
        source.alias("publicIPv4", "privateNetworking")
        var labels = WorkloadReader.stringMap(map, "labels") ?? [:]
        if !cluster.isEmpty { labels["alpha.eksctl.io/cluster-name"] = cluster }
        labels["alpha.eksctl.io/nodegroup-name"] = group.name
        group.labels = labels
        if let node = map.value("taints") {
            group.taints = readTaints(
                node, path: "\(source.path).taints", owner: source.what, managed: source.managed, context: context)
        }
        if let node = map.value("maxPodsPerNode") {
            context.warning(
                "\(source.what): maxPodsPerNode is not applied per node group; set networking.maxPodsCap on the scenario's cluster to cap pods per node",
                at: node)
        }
    }

    static func typeNames(_ items: [(path: String, node: Node)], what: String, context: YAMLDiagnostics) -> [String] {
        let names = items.compactMap { item -> String? in
            guard let text = item.node.scalarText, !text.isEmpty else {
                context.error("\(what) must list instance type names", at: item.node)
                return nil
            }
            return text
        }
        if names.isEmpty, let first = items.first {
            context.error("\(what) must list at least one type", at: first.node)
        }
        return names
    }

    /// `instanceSelector: {vCPUs: 2, memory: "8", cpuArchitecture: arm64}`: eksctl picks the types
    /// with exactly these vCPUs and memory (GiB when no unit is given).
    static func readInstanceSelector(_ map: MappingReader, context: YAMLDiagnostics) -> InstanceRequirements {
        var requirements = InstanceRequirements()
        if let vcpus = map.integer("vCPUs", in: 1...10_000) {
            requirements.minVCPU = vcpus
            requirements.maxVCPU = vcpus
        }
        if let node = map.value("memory"), let text = node.scalarText {
            let lower = text.lowercased().replacingOccurrences(of: " ", with: "")
            let number =
                lower.hasSuffix("gib")
                ? String(lower.dropLast(3)) : lower.hasSuffix("gb") ? String(lower.dropLast(2)) : lower
            // eksctl's instanceSelector memory: GiB, within what the largest instances have.
            if case .success(let gib) = CheckedNumber.decimal(number, in: 0...1_048_576), gib > 0 {
                let mib = DecimalText.ceiling(gib * 1024).intValue
                requirements.minMemoryMiB = mib
                requirements.maxMemoryMiB = mib
            } else {
                context.error(
                    "memory of \(map.what) must be GiB from 0 to 1048576, such as 8 or 8GiB, found \"\(text)\"",
                    at: node)
            }
        }
        if let arch = map.choice("cpuArchitecture", from: ["x86_64", "amd64", "arm64"]) {
            requirements.architectures = [arch == "amd64" ? "x86_64" : arch]
        }
        if let gpus = map.value("gpus"), gpus.scalarText != "0" {
            context.warning("gpus of \(map.what) is not used to choose instance types", at: gpus)
        }
        return requirements
    }

    /// The list form `[{key, value, effect}]` (both kinds of group) or the map form
    /// `{key: "value:Effect"}` (unmanaged groups, eksctl's `taintsWrapper`).
    static func readTaints(_ node: Node, path: String, owner: String, managed: Bool, context: YAMLDiagnostics)
        -> [Taint]
    {
        switch node {
        case .sequence(let items):
            return items.enumerated().compactMap { index, item in
                WorkloadReader.readTaint(item, path: "\(path)[\(index)]", owner: owner, context: context)
            }
        case .mapping(let entries) where !managed:
            var taints: [Taint] = []
            for (keyNode, valueNode) in entries {
                let key = keyNode.scalarText ?? ""
                guard let text = valueNode.scalarText, let colon = text.lastIndex(of: ":") else {
                    context.error(
                        "taint \(key) of \(owner) must be written value:Effect, such as \"web:NoSchedule\" or \":NoExecute\", found \(valueNode.kindDescription)",
                        at: valueNode)
                    continue
                }
                let effectText = String(text[text.index(after: colon)...])
                guard let effect = Taint.Effect(rawValue: effectText) else {
                    var message =
                        "taint \(key) of \(owner) has effect \"\(effectText)\"; expected NoSchedule, PreferNoSchedule or NoExecute"
                    if let hint = EditDistance.closest(to: effectText, in: Taint.Effect.allCases.map(\.rawValue)) {
                        message += " (did you mean \(hint)?)"
                    }
                    context.error(message, at: valueNode)
                    continue
                }
                taints.append(Taint(key: key, value: String(text[..<colon]), effect: effect))
            }
            return taints
        default:
            let expected =
                managed
                ? "a list of {key, value, effect}" : "a list of {key, value, effect} or a mapping of key: value:Effect"
            context.error("taints of \(owner) must be \(expected), found \(node.kindDescription)", at: node)
            return []
        }
    }
}

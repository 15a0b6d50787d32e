public import EKSModel
import Foundation
import Yams

/// Reads scenario YAML files into `Scenario` values, reporting every problem with its location.
///
/// The format is documented in docs/scenario.md. Loading checks structure, types
/// and spelling; `ScenarioValidator` checks what needs the catalog and the price snapshot.
public enum ScenarioLoader {
    public static let apiVersion = "ekscost/v1"
    public static let kind = "Scenario"

    /// Loads the file at `path`. The scenario comes back whenever the file could be read as YAML,
    /// even with errors, so that validation can report its problems in the same run.
    public static func load(path: String) -> (scenario: Scenario?, diagnostics: [Diagnostic]) {
        let (text, problem) = InputFile.text(path, what: "scenario")
        guard let text else { return (nil, problem.map { [$0] } ?? []) }
        return parse(yaml: text, file: path)
    }

    public static func parse(yaml: String, file: String) -> (scenario: Scenario?, diagnostics: [Diagnostic]) {
        let context = YAMLDiagnostics(file: file)
        let root: Node?
        if let line = ComplexKeys.firstLine(in: yaml) { return (nil, [ComplexKeys.diagnostic(line: line, file: file)]) }
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            context.syntaxError(error)
            return (nil, context.diagnostics)
        }
        guard let root else {
            return (
                nil,
                [
                    .error(
                        "scenario file is empty: expected apiVersion: \(apiVersion), kind: \(kind), metadata and spec",
                        at: SourceLocation(file: file, line: 1))
                ]
            )
        }
        let scenario = readScenario(root, context: context, file: file)
        return (scenario, context.diagnostics)
    }

    static func readScenario(_ root: Node, context: YAMLDiagnostics, file: String) -> Scenario? {
        guard
            let top = MappingReader(
                root, context: context, path: "", what: "the scenario",
                allowedKeys: ["apiVersion", "kind", "metadata", "spec"])
        else { return nil }
        if let version = top.string("apiVersion", required: "write apiVersion: \(apiVersion)"), version != apiVersion {
            context.error("apiVersion must be \(apiVersion), found \"\(version)\"", at: top.value("apiVersion")!)
        }
        if let kind = top.string("kind", required: "write kind: \(kind)"), kind != self.kind {
            context.error("kind must be \(self.kind), found \"\(kind)\"", at: top.value("kind")!)
        }
        var name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        var description: String?
        if let metadata = top.mapping("metadata", what: "metadata", allowedKeys: ["name", "description", "labels"]) {
            if let given = metadata.string("name") {
                if isValidName(given) {
                    name = given
                } else {
                    context.error(
                        "metadata.name must be lower-case letters, digits, '-', '_' or '.', starting with a letter or digit (it names the report folder), found \"\(given)\"",
                        at: metadata.value("name")!)
                }
            }
            description = metadata.string("description")
            _ = metadata.value("labels")
        } else if !top.has("metadata") {
            top.missing("metadata", "a mapping with the scenario's name")
        }
        // Model paths leave out "spec": `clusters[0].nodeGroups[1].instanceType`.
        guard let specNode = top.value("spec"),
            let spec = MappingReader(
                specNode, context: context, path: "", what: "spec",
                allowedKeys: [
                    "region", "pricing", "hoursPerMonth", "month", "asOf", "clusters", "loadCurves", "simulation",
                    "sources", "loads",
                    "commitments",
                ])
        else {
            if !top.has("spec") { top.missing("spec", "a mapping with region and clusters") }
            return nil
        }

        // With spec.sources, the eksctl file may give the region, node groups and clusters.
        let hasSources = spec.has("sources")
        let region = spec.string("region", required: hasSources ? nil : "the AWS region code, such as us-east-1") ?? ""
        if !region.isEmpty && !isRegionCode(region) {
            context.error(
                "region must be an AWS region code such as us-east-1 or ap-northeast-2, found \"\(region)\"",
                at: spec.value("region")!)
        }
        let pricing = spec.string("pricing")
        var period: BillingPeriod?
        if let hours = spec.positiveDecimal("hoursPerMonth", maximum: 744) {
            period = BillingPeriod(hoursPerMonth: hours)
        }
        if let text = spec.string("month") {
            if let month = CalendarMonth(text) {
                if period != nil {
                    context.error("give either hoursPerMonth or month, not both", at: spec.value("month")!)
                } else {
                    period = BillingPeriod(month: month)
                }
            } else {
                context.error("month must be written YYYY-MM, found \"\(text)\"", at: spec.value("month")!)
            }
        }
        let asOf = spec.date("asOf")
        let (curves, unreadable) = readLoadCurves(spec, file: file, context: context)
        var simulation = SimulationSettings()
        if let settings = spec.mapping(
            "simulation", what: "simulation", allowedKeys: ["hpaSyncSeconds", "reportStepSeconds"])
        {
            simulation.hpaSyncSeconds = settings.integer("hpaSyncSeconds", in: 1...86_400) ?? simulation.hpaSyncSeconds
            simulation.reportStepSeconds =
                settings.integer("reportStepSeconds", in: 60...86_400) ?? simulation.reportStepSeconds
            if simulation.reportStepSeconds % simulation.hpaSyncSeconds != 0 {
                context.error(
                    "simulation.reportStepSeconds (\(simulation.reportStepSeconds)) must be a multiple of hpaSyncSeconds (\(simulation.hpaSyncSeconds)), such as \(max(simulation.hpaSyncSeconds, simulation.reportStepSeconds / simulation.hpaSyncSeconds * simulation.hpaSyncSeconds))",
                    at: settings.value("reportStepSeconds") ?? settings.node)
            }
        }

        var clusters: [Cluster] = []
        if let items = spec.list(
            "clusters", required: hasSources ? nil : "a list of clusters, each with a name and node groups")
        {
            if items.isEmpty { context.error("clusters must list at least one cluster", at: spec.value("clusters")!) }
            for (path, node) in items {
                if let cluster = readCluster(node, path: path, context: context, nodeGroupsOptional: hasSources) {
                    clusters.append(cluster)
                }
            }
        }
        let commitments = CommitmentsReader.read(spec, region: region)
        var scenario = Scenario(
            name: name, description: description, region: region, pricingSnapshot: pricing,
            period: period, asOf: asOf, clusters: clusters,
            origin: SourceLocation(file: file, line: 1), locations: context.locations)
        scenario.curves = curves
        scenario.unreadableCurves = unreadable
        scenario.simulation = simulation
        scenario.commitments = commitments
        KubernetesSources.apply(spec, to: &scenario, file: file, context: context)
        return scenario
    }

    static func readCluster(_ node: Node, path: String, context: YAMLDiagnostics, nodeGroupsOptional: Bool = false)
        -> Cluster?
    {
        guard
            let map = MappingReader(
                node, context: context, path: path, what: "a cluster", named: "cluster",
                allowedKeys: [
                    "name", "kubernetesVersion", "supportType", "networking", "nodeGroups", "workloads",
                    "vmMemoryOverhead",
                    "fargateProfiles",
                ] + clusterServiceKeys)
        else { return nil }
        let name = map.string("name", required: "a name for the cluster") ?? "cluster"
        let what = map.what
        var cluster = Cluster(name: name)
        cluster.kubernetesVersion = map.string("kubernetesVersion")
        if let version = cluster.kubernetesVersion, EKSVersionCalendar.minorVersion(version) == nil {
            context.error(
                "kubernetesVersion of \(what) must be a Kubernetes version such as \"1.31\", found \"\(version)\"",
                at: map.value("kubernetesVersion")!)
        }
        if let policy = map.choice("supportType", from: SupportPolicy.allCases.map(\.rawValue)) {
            cluster.supportPolicy = SupportPolicy(rawValue: policy)!
        }
        if let networking = map.mapping(
            "networking", what: "networking of \(what)",
            allowedKeys: [
                "prefixDelegation", "maxPodsCap", "warmENITarget", "warmIPTarget", "minimumIPTarget",
                "warmPrefixTarget", "subnets",
                "natGateways",
            ])
        {
            cluster.networking = readNetworking(networking)
        }
        if let overhead = map.value("vmMemoryOverhead") {
            if let text = overhead.scalarText, let value = DecimalText.parse(text), value >= 0, value < 1 {
                cluster.vmMemoryOverhead = value
            } else {
                context.error(
                    "vmMemoryOverhead of \(what) must be a fraction from 0 to below 1, such as 0.075, found \(overhead.kindDescription)",
                    at: overhead)
            }
        }
        if let items = map.list("fargateProfiles") {
            cluster.fargateProfiles = items.compactMap {
                WorkloadReader.readFargateProfile($0.node, path: $0.path, cluster: name, context: context)
            }
        }
        let nodeGroupsExpectation: String? =
            map.has("fargateProfiles") || nodeGroupsOptional ? nil : "a list of node groups"
        if let items = map.list("nodeGroups", required: nodeGroupsExpectation) {
            for (groupPath, groupNode) in items {
                if let group = readNodeGroup(groupNode, path: groupPath, cluster: name, context: context) {
                    cluster.nodeGroups.append(group)
                }
            }
        }
        if let items = map.list("workloads") {
            cluster.workloads = items.compactMap {
                WorkloadReader.readWorkload($0.node, path: $0.path, cluster: name, context: context)
            }
        }
        readClusterServices(map, into: &cluster)
        return cluster
    }

    static func readNodeGroup(_ node: Node, path: String, cluster: String, context: YAMLDiagnostics) -> NodeGroup? {
        guard
            let map = MappingReader(
                node, context: context, path: path, what: "a node group of cluster \(cluster)",
                named: "node group",
                allowedKeys: [
                    "name", "instanceType", "instanceTypes", "instanceRequirements", "capacityType", "desiredSize",
                    "minSize",
                    "maxSize", "rootVolume", "publicIPv4", "labels", "taints", "subnets", "reserved", "provisioner",
                    "os",
                ])
        else { return nil }
        let name = map.string("name", required: "a name for the node group") ?? "nodegroup"
        let what = map.what
        var group = NodeGroup(name: name, instanceType: "")
        let ways = ["instanceType", "instanceTypes", "instanceRequirements"].filter(map.has)
        if ways.isEmpty {
            map.missing(
                "instanceType",
                "an EC2 instance type such as m5.large (or instanceTypes: [...], or instanceRequirements)")
        } else if ways.count > 1 {
            context.error("\(what) gives \(ways.joined(separator: " and ")); give only one", at: map.value(ways[1])!)
        }
        if let type = map.string("instanceType") { group.instanceType = type }
        if let items = map.list("instanceTypes") {
            let names = items.compactMap { item -> String? in
                guard let text = item.node.scalarText, !text.isEmpty else {
                    context.error("instanceTypes of \(what) must list instance type names", at: item.node)
                    return nil
                }
                return text
            }
            if names.isEmpty {
                context.error("instanceTypes of \(what) must list at least one type", at: map.value("instanceTypes")!)
            }
            group.instanceTypes = names
            group.instanceType = names.first ?? ""
        }
        if let requirements = map.mapping(
            "instanceRequirements", what: "instanceRequirements of \(what)",
            allowedKeys: [
                "vcpu", "memory", "architectures", "families", "burstable", "bareMetal",
            ])
        {
            group.instanceRequirements = readRequirements(requirements, context: context)
        }
        if let capacity = map.choice("capacityType", from: CapacityType.allCases.map(\.rawValue)) {
            group.capacityType = CapacityType(rawValue: capacity)!
        }
        if let provisioner = map.choice("provisioner", from: NodeProvisioner.allCases.map(\.rawValue)) {
            group.provisioner = NodeProvisioner(rawValue: provisioner)
        }
        group.desiredSize = map.integer("desiredSize", in: 0...100_000)
        // An invalid desiredSize is already reported; do not also report it as missing.
        if group.desiredSize == nil && map.has("desiredSize") { group.desiredSize = 0 }
        group.minSize = map.integer("minSize", in: 0...100_000)
        group.maxSize = map.integer("maxSize", in: 0...100_000)
        group.publicIPv4 = map.bool("publicIPv4") ?? false
        if let os = map.choice("os", from: OperatingSystem.allCases.map(\.rawValue)) {
            group.os = OperatingSystem(rawValue: os)!
        }
        group.labels = WorkloadReader.stringMap(map, "labels") ?? [:]
        if let items = map.list("taints") {
            group.taints = items.compactMap {
                WorkloadReader.readTaint($0.node, path: $0.path, owner: what, context: context)
            }
        }
        group.subnets = readSubnets(map)
        if let volume = map.mapping("rootVolume", what: "rootVolume of \(what)", allowedKeys: ["type", "size"]) {
            let type = volume.choice("type", from: EBSVolumeLimits.types) ?? "gp3"
            var size = 0
            if let quantity = volume.quantity("size") {
                size =
                    gibibytes(
                        quantity, node: volume.value("size")!, what: "rootVolume size of \(what)", context: context)
                    ?? 0
            } else if !volume.has("size") {
                volume.missing("size", "the volume size in GiB, such as 20Gi")
            }
            group.rootVolume = RootVolume(type: type, sizeGiB: size)
        }
        if let reserved = map.mapping(
            "reserved", what: "reserved of \(what)", allowedKeys: ["term", "offeringClass", "payment"])
        {
            let length = reserved.choice("term", from: ReservedTerm.Length.allCases.map(\.rawValue))
            if !reserved.has("term") { reserved.missing("term", "the reservation's length, 1yr or 3yr") }
            let offeringClass =
                reserved.choice("offeringClass", from: ReservedTerm.OfferingClass.allCases.map(\.rawValue))
                ?? "standard"
            let payment =
                reserved.choice("payment", from: ReservedTerm.Payment.allCases.map(\.rawValue)) ?? "no-upfront"
            if let length {
                group.reserved = ReservedTerm(
                    length: ReservedTerm.Length(rawValue: length)!,
                    offeringClass: ReservedTerm.OfferingClass(rawValue: offeringClass)!,
                    payment: ReservedTerm.Payment(rawValue: payment)!)
            }
            if group.capacityType == .spot {
                context.error(
                    "\(what) is spot capacity; a reservation covers on-demand instances only",
                    at: map.value("reserved")!)
            }
            context.diagnostics.append(
                Diagnostic(
                    .note,
                    "\(what): 'reserved' is the form read before spec.commitments: in a simulated cluster it reserves the group's minSize instances (the rest run on demand), in a fixed plan every node; write spec.commitments.reservedInstances with instanceType and count to choose how many",
                    at: context.location(map.value("reserved")!)))
        }
        return group
    }

    static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.count <= 100,
            CharacterSet.lowercaseLetters.union(.decimalDigits).contains(first)
        else { return false }
        return name.unicodeScalars.allSatisfy {
            $0.isASCII
                && (CharacterSet.lowercaseLetters.contains($0) || CharacterSet.decimalDigits.contains($0)
                    || "-_.".unicodeScalars.contains($0))
        }
    }

    /// `us-east-1`, `ap-northeast-2`, `us-gov-west-1`, `cn-north-1`.
    public static func isRegionCode(_ text: String) -> Bool {
        let parts = text.split(separator: "-")
        guard parts.count >= 3, let last = parts.last, Int(last) != nil else { return false }
        return parts.dropLast().allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isLetter && $0.isLowercase } }
    }
}

public import Foundation

/// Options for comparing strategies.
public struct CompareOptions: Sendable {
    /// Assumed Spot discount off on-demand for types the snapshot has no Spot price for
    /// (0.7 = 70 % off). Nil: such types make the spot strategy unpriceable.
    public var spotDiscount: Decimal?

    public init(spotDiscount: Decimal? = nil) { self.spotDiscount = spotDiscount }
}

/// The same workloads under several compute strategies, ranked, with per-workload shares and
/// Fargate / EC2 break-even points.
public struct Comparison: Sendable {
    public var scenario: String
    public var region: String
    public var snapshotID: String
    public var period: BillingPeriod
    /// In rank order: priced and complete first, cheapest first; then the others.
    public var strategies: [StrategyResult]
    public var breakEvens: [BreakEven]

    /// The cheapest comparable strategy.
    public var cheapest: StrategyResult? { strategies.first { $0.isComparable } }
}

public enum Comparer {
    /// The strategies, one estimate after the other.
    public static func compare(_ inputs: EstimateInputs, options: CompareOptions = CompareOptions()) -> Comparison {
        let run = ComparisonRun(inputs, options: options)
        return run.assemble(run.jobs.map { $0() })
    }

    /// The strategies' estimates as child tasks on every core (the comparison does not depend on
    /// which finishes first). `asWritten`, when given, is the scenario's own estimate, already made.
    public static func compare(
        _ inputs: EstimateInputs, options: CompareOptions = CompareOptions(),
        asWritten: (estimate: Estimate?, diagnostics: [Diagnostic])? = nil,
        trajectories: TrajectoryStore? = nil
    ) async -> Comparison {
        let run = ComparisonRun(inputs, options: options, asWritten: asWritten, trajectories: trajectories)
        return run.assemble(await Concurrently.run(run.jobs))
    }

    /// One strategy to price: the scenario changed, the prices to use (nil: it cannot be priced), and
    /// what the note says.
    struct Plan: Sendable {
        var kind: StrategyResult.Kind
        var title: String
        var scenario: Scenario
        var snapshot: PriceSnapshot?
        var note: String
    }

    /// The non-empty parts, joined with "; ".
    static func join(_ parts: String...) -> String { parts.filter { !$0.isEmpty }.joined(separator: "; ") }

    static func transform(_ scenario: Scenario, _ change: (inout Cluster) -> Void) -> Scenario {
        var copy = scenario
        for index in copy.clusters.indices { change(&copy.clusters[index]) }
        return copy
    }

    /// The plans of the fixed strategies, in the order they are listed before ranking: as written,
    /// on-demand, spot, then Fargate (the cheapest family goes between spot and Fargate).
    static func plans(_ inputs: EstimateInputs, options: CompareOptions) -> (fixed: [Plan], fargate: Plan) {
        let scenario = inputs.scenario
        let asWritten = Plan(
            kind: .asWritten, title: "As written (node groups and Fargate profiles)", scenario: scenario,
            snapshot: inputs.snapshot, note: "node groups and Fargate profiles as the scenario says")
        let onDemandScenario = transform(scenario) { cluster in
            cluster.fargateProfiles = []
            cluster.fargateAssignment = nil
            for index in cluster.nodeGroups.indices { cluster.nodeGroups[index].capacityType = .onDemand }
        }
        let onDemandChanges = StrategyChanges.describe(from: scenario, to: onDemandScenario)
        let onDemand = Plan(
            kind: .onDemand, title: "EC2 on-demand, node groups as written", scenario: onDemandScenario,
            snapshot: inputs.snapshot,
            note: onDemandChanges.isEmpty
                ? "the same as written: no Fargate profiles or spot groups to change" : onDemandChanges)
        let spotScenario = transform(scenario) { cluster in
            cluster.fargateProfiles = []
            cluster.fargateAssignment = nil
            for index in cluster.nodeGroups.indices {
                cluster.nodeGroups[index].capacityType = .spot
                cluster.nodeGroups[index].reserved = nil
            }
        }
        let (spotSnapshot, spotNote) = spotPrices(for: spotScenario, inputs: inputs, options: options)
        let spot = Plan(
            kind: .spot, title: "EC2 spot, node groups as written", scenario: spotScenario, snapshot: spotSnapshot,
            note: join(StrategyChanges.describe(from: scenario, to: spotScenario), spotNote))
        let fargateScenario = transform(scenario) { cluster in
            var assigned = Set<String>()
            for workload in cluster.podWorkloads + cluster.jobWorkloads
            where FargateSizing.limitation(for: workload) == nil {
                assigned.insert(workload.qualifiedName)
            }
            cluster.fargateAssignment = assigned
        }
        let stayOnNodes = scenario.clusters.flatMap { $0.podWorkloads + $0.jobWorkloads }
            .filter { FargateSizing.limitation(for: $0) != nil }.map(\.qualifiedName)
        let fargateNote =
            stayOnNodes.isEmpty
            ? "every workload on Fargate"
            : "on nodes, as Fargate cannot run them: \(stayOnNodes.joined(separator: ", "))"
        let fargate = Plan(
            kind: .fargate, title: "Everything Fargate can run on Fargate", scenario: fargateScenario,
            snapshot: inputs.snapshot,
            note: join(
                StrategyChanges.describe(from: scenario, to: fargateScenario), fargateNote,
                "autoscaled node groups follow the pods left on them, down to their minSize"))
        return ([asWritten, onDemand, spot], fargate)
    }

    /// A strategy's result from its estimate (nil when it could not be priced).
    static func result(_ plan: Plan, _ outcome: (estimate: Estimate?, diagnostics: [Diagnostic])?) -> StrategyResult {
        guard let (estimate, diagnostics) = outcome else {
            return StrategyResult(kind: plan.kind, title: plan.title, estimate: nil, note: plan.note, shares: [])
        }
        var note = plan.note
        if estimate == nil {
            let reasons = diagnostics.errors.map(\.message)
            note = join(
                note,
                "not priced: " + (reasons.first ?? "unknown")
                    + (reasons.count > 1 ? " (and \(reasons.count - 1) more)" : ""))
        } else if estimate?.isComplete == false {
            let unplaced = estimate!.capacity.reduce(0) { $0 + $1.unschedulable.reduce(0) { $0 + $1.count } }
            note = join(note, "incomplete: \(unplaced) pods fit nowhere")
        }
        let shares = estimate.map { CostSharing.shares(of: $0, scenario: plan.scenario) } ?? []
        return StrategyResult(kind: plan.kind, title: plan.title, estimate: estimate, note: note, shares: shares)
    }

    /// The strategies ranked: priced and complete first, cheapest first; then the others, in order.
    static func rank(_ results: [StrategyResult]) -> [StrategyResult] {
        results.enumerated().sorted { a, b in
            switch (a.element.isComparable, b.element.isComparable) {
            case (true, false): return true
            case (false, true): return false
            case (true, true):
                if a.element.totalUSD! != b.element.totalUSD! { return a.element.totalUSD! < b.element.totalUSD! }
                return a.offset < b.offset
            default: return a.offset < b.offset
            }
        }.map(\.element)
    }

    /// Spot prices: the snapshot's where it has them, else on-demand less `spotDiscount`; each type
    /// at the rate of the operating system of the groups that may launch it (a Windows group's
    /// type without a Windows price stays unpriced, and its estimate says so).
    static func spotPrices(for scenario: Scenario, inputs: EstimateInputs, options: CompareOptions) -> (
        PriceSnapshot?, String
    ) {
        let region = scenario.region
        var types = Set<TypeOnOS>()
        for cluster in scenario.clusters {
            for group in cluster.nodeGroups {
                CapacityPlanner.candidateTypes(of: group, catalog: inputs.catalog).forEach {
                    types.insert(TypeOnOS(type: $0.name, os: group.os))
                }
            }
        }
        var added: [Price] = []
        var missing: [String] = []
        var fromSnapshot = 0
        for (type, os) in types.sorted().map({ ($0.type, $0.os) }) {
            if inputs.snapshot.price(.instance(type, os: os, term: PriceKey.spot, region: region)) != nil {
                fromSnapshot += 1
                continue
            }
            guard inputs.snapshot.price(.instance(type, os: os, region: region)) != nil else { continue }
            if let assumed = assumedSpotPrice(type, os: os, inputs: inputs, options: options) {
                added.append(assumed)
            } else {
                missing.append(TypeOnOS(type: type, os: os).description)
            }
        }
        if !missing.isEmpty {
            return (
                nil,
                "not priced: snapshot \(inputs.snapshot.id) has no Spot price for \(missing.joined(separator: ", ")); pass --spot-discount (0.6 = 60 % off on-demand) to assume one"
            )
        }
        var note = fromSnapshot > 0 ? "Spot prices observed in snapshot \(inputs.snapshot.id)" : ""
        if !added.isEmpty {
            note +=
                (note.isEmpty ? "" : "; ")
                + "assumed on-demand less \(DecimalText.format(options.spotDiscount! * 100)) % for \(added.map { TypeOnOS($0.key).description }.joined(separator: ", "))"
        }
        let snapshot = PriceSnapshot(
            id: inputs.snapshot.id, date: inputs.snapshot.date,
            prices: Array(inputs.snapshot.prices.values) + added)
        return (snapshot, note)
    }

    /// The Spot price assumed for `type` as on-demand (at `os`'s rate) less `--spot-discount`,
    /// when one is given.
    static func assumedSpotPrice(
        _ type: String, os: OperatingSystem = .linux, inputs: EstimateInputs, options: CompareOptions
    ) -> Price? {
        let region = inputs.scenario.region
        guard let discount = options.spotDiscount,
            let onDemand = inputs.snapshot.price(.instance(type, os: os, region: region))
        else { return nil }
        return Price(
            key: .instance(type, os: os, term: PriceKey.spot, region: region), unit: .hour,
            usd: onDemand.usd * (1 - discount),
            source: "assumed: on-demand less \(DecimalText.format(discount * 100)) % (--spot-discount)",
            sourceDate: onDemand.sourceDate)
    }

    /// Every node group on one instance family (each node the cheapest priced size that fits),
    /// for each family the snapshot prices; the cheapest complete one wins. Graviton (arm64)
    /// families only where every workload's images include arm64. The plans, and what the note
    /// says about the families.
    static func familyPlans(_ scenario: Scenario, inputs: EstimateInputs, options: CompareOptions) -> (
        plans: [Plan], note: String
    ) {
        let title = "Cheapest instance family"
        let region = scenario.region
        let pricedTypes = inputs.snapshot.prices.keys
            .filter { $0.region == region && $0.service == "ec2" && $0.term == PriceKey.onDemand }
            .compactMap { inputs.catalog[$0.item] }
        let workloads = scenario.clusters.flatMap(\.workloads)
        let armReady = workloads.allSatisfy { $0.imageArchitectures.contains("arm64") }
        var families = Set(pricedTypes.map(\.family)).sorted()
        var skippedArm: [String] = []
        if !armReady {
            skippedArm = families.filter { family in
                pricedTypes.contains { $0.family == family && $0.architecture == "arm64" }
            }
            families.removeAll { skippedArm.contains($0) }
        }
        let spotOSes = Set(scenario.clusters.flatMap(\.nodeGroups).filter { $0.capacityType == .spot }.map(\.os))
        let spotGroups = !spotOSes.isEmpty
        var plans: [Plan] = []
        var tried: [String] = []
        var noSpot: [String] = []
        for family in families {
            let sizes = pricedTypes.filter { $0.family == family }.map(\.name).sorted()
            // Spot groups stay on Spot: the sizes with a Spot price, observed or assumed (--spot-discount).
            var assumed: [Price] = []
            var spotSizes: [String] = []
            // A size is a Spot size when it has a Spot price (or an assumed one) for the operating
            // system of every spot group (Linux when there are none, for the note).
            for size in sizes {
                var sizeAssumed: [Price] = []
                let priced = (spotGroups ? spotOSes.sorted { $0.rawValue < $1.rawValue } : [.linux]).allSatisfy { os in
                    if inputs.snapshot.price(.instance(size, os: os, term: PriceKey.spot, region: region)) != nil {
                        return true
                    }
                    guard let price = assumedSpotPrice(size, os: os, inputs: inputs, options: options) else {
                        return false
                    }
                    sizeAssumed.append(price)
                    return true
                }
                if priced {
                    assumed += sizeAssumed
                    spotSizes.append(size)
                }
            }
            if spotGroups && spotSizes.isEmpty {
                noSpot.append(family)
                continue
            }
            let variant = transform(scenario) { cluster in
                cluster.fargateProfiles = []
                cluster.fargateAssignment = nil
                for index in cluster.nodeGroups.indices {
                    var group = cluster.nodeGroups[index]
                    let groupSizes = group.capacityType == .spot ? spotSizes : sizes
                    group.reserved = nil
                    group.instanceRequirements = nil
                    group.provisioner = .karpenter
                    group.instanceTypes = groupSizes
                    group.instanceType = groupSizes[0]
                    if groupSizes.count == 1 && !group.isAutoscaled { group.instanceTypes = nil }
                    cluster.nodeGroups[index] = group
                }
            }
            let snapshot =
                assumed.isEmpty
                ? inputs.snapshot
                : PriceSnapshot(
                    id: inputs.snapshot.id, date: inputs.snapshot.date,
                    prices: Array(inputs.snapshot.prices.values) + assumed)
            var note =
                "every node group on \(family) (\(sizes.joined(separator: ", "))), each node the cheapest size that fits its pods, as a Karpenter NodePool on that family launches them"
            note = join(note, StrategyChanges.describe(from: scenario, to: variant))
            if !assumed.isEmpty {
                note = join(
                    note,
                    "Spot assumed on-demand less \(DecimalText.format(options.spotDiscount! * 100)) % for \(assumed.map { TypeOnOS($0.key).description }.joined(separator: ", "))"
                )
            }
            plans.append(
                Plan(
                    kind: .cheapestFamily, title: "\(title): \(family)", scenario: variant, snapshot: snapshot,
                    note: note))
            tried.append(family)
        }
        var note = "families tried: \(tried.joined(separator: ", "))"
        if !noSpot.isEmpty {
            note +=
                "; families without Spot prices for the spot groups (pass --spot-discount to assume them): \(noSpot.joined(separator: ", "))"
        }
        if !skippedArm.isEmpty {
            note +=
                "; Graviton families skipped (\(skippedArm.joined(separator: ", "))): not every workload lists arm64 in imageArchitectures"
        }
        return (plans, note)
    }

    /// The cheapest complete family (the first on ties), with what was tried in its note.
    static func cheapestFamily(_ results: [StrategyResult], note: String) -> StrategyResult {
        var best: StrategyResult?
        for result in results where result.isComparable {
            if best == nil || result.totalUSD! < best!.totalUSD! { best = result }
        }
        guard var chosen = best else {
            return StrategyResult(
                kind: .cheapestFamily, title: "Cheapest instance family", estimate: nil,
                note: "no family could place every pod; " + note, shares: [])
        }
        chosen.note += "; " + note
        return chosen
    }

}

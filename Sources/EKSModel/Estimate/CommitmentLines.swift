public import Foundation

/// What an estimate says about commitments: the bill of those held, and the Savings Plan
/// commitments to buy, worked out from the same hourly usage.
public struct CommitmentReport: Sendable {
    /// The commitments held (`spec.commitments`, and the reservations of old-form `reserved:`
    /// groups of simulated clusters), billed hour by hour; nil when none are held.
    public var held: CommitmentBill?
    /// Per offer (Compute: each term and payment; EC2 Instance: the same per family used), the
    /// commitment minimising the period's cost on top of the commitments held.
    public var recommendations: [CommitmentRecommendation]
    /// Hours billed, and whether they come from a simulation (else the plan holds all period).
    public var hours: Int
    public var simulated: Bool
    /// The headline offer's best commitment with every HPA at its minimum and at its maximum,
    /// and the cost there of the commitment recommended for the expected load.
    public var range: [CommitmentRangePoint] = []
    /// What the recommendation was worked out from, for the range.
    var usage: HourlyUsage
    var portfolio: CommitmentPortfolio
    var rates: CommitmentRates

    /// The plan `compare` adds and the range is shown for: a Compute Savings Plan for one year with
    /// no upfront payment, the one that follows any change of instance type, region or Fargate and
    /// pays nothing ahead.
    public static let headlineOffer = SavingsPlanOffer(kind: .compute, length: .oneYear, payment: .noUpfront)

    public var headline: CommitmentRecommendation? { recommendations.first { $0.offer == Self.headlineOffer } }

    /// The headline offer under the low and high loads: their own best commitment, and the cost
    /// there of the one recommended for the expected load.
    mutating func addRange(low: CommitmentReport?, high: CommitmentReport?) {
        guard let expected = headline else { return }
        for (load, report) in [("low", low), ("high", high)] {
            guard let report, let best = report.headline?.best else { continue }
            range.append(
                CommitmentRangePoint(
                    load: load, best: best,
                    expectedCommitment: report.evaluate(
                        expected.plan(hourlyCommitmentUSD: expected.best.hourlyCommitmentUSD))))
        }
    }

    /// The eligible usage's cost with `plan` added to what is held.
    func evaluate(_ plan: SavingsPlan) -> CommitmentPoint {
        CommitmentAdvisor.evaluate(plan, on: usage, holding: portfolio, rates: rates)
    }
}

/// The headline recommendation under another load.
public struct CommitmentRangePoint: Sendable {
    /// `low` (every HPA at its minimum) or `high` (at its maximum).
    public var load: String
    /// The best commitment for that load.
    public var best: CommitmentPoint
    /// The commitment recommended for the expected load, under that load.
    public var expectedCommitment: CommitmentPoint
}

/// Commitments applied to an estimate's usage: the cost lines (fees, and the covered usage's
/// on-demand cost taken off as AWS's Cost and Usage Report does with its `SavingsPlanNegation`
/// and `DiscountedUsage` lines) and the report.
enum CommitmentLines {
    /// One cluster's usage: from its simulated timeline, or its static plan.
    struct ClusterUsage {
        var cluster: Cluster
        var timeline: ClusterTimeline?
        var usage: HourlyUsage
    }

    struct Result {
        var lines: [CostLine] = []
        var report: CommitmentReport?
        var diagnostics: [Diagnostic] = []
    }

    /// `portfolio`: the scenario's commitments, then reservations of old-form groups, whose paths
    /// `reservationPaths` gives (in the portfolio's order). `headlineOnly` recommends the headline
    /// offer alone (for the low and high loads).
    static func price(
        _ clusters: [ClusterUsage], portfolio: CommitmentPortfolio, reservationPaths: [String],
        inputs: EstimateInputs, headlineOnly: Bool
    ) -> Result {
        var result = Result()
        let scenario = inputs.scenario
        let snapshot = inputs.snapshot
        let usage = HourlyUsage.sum(clusters.map(\.usage))
        let families = Set(
            usage.keys.compactMap { key -> String? in
                guard case .instance(let type, _) = key.resource else { return nil }
                return InstanceSize.family(of: type)
            }
        ).sorted()
        let offers =
            headlineOnly
            ? [CommitmentReport.headlineOffer] : SavingsPlanOffer.all(.compute) + SavingsPlanOffer.all(.ec2Instance)
        var (rates, missing) = CommitmentRates.from(snapshot, keys: usage.keys, portfolio: portfolio, offers: offers)
        for index in missing.indices {
            for (position, path) in reservationPaths.enumerated()
            where missing[index].path == "commitments.reservedInstances[\(position)]" {
                missing[index].path = path
            }
        }
        let withoutRates = plansWithoutRates(portfolio.savingsPlans, region: scenario.region, snapshot: snapshot)
        result.diagnostics = withoutRates.map { index, what in
            Diagnostic.error(
                "no \(what) in snapshot \(snapshot.id); run 'ekscost pricing fetch \(portfolio.savingsPlans[index].region ?? scenario.region)', which fetches AWS's Savings Plans and Reserved prices for the region, or import its price lists with 'ekscost pricing import'",
                at: scenario.location(of: "commitments.savingsPlans[\(index)]"))
        }
        let reported = Set(withoutRates.map { "commitments.savingsPlans[\($0.0)]" })
        result.diagnostics += missing.filter { !reported.contains($0.path) }.map {
            $0.diagnostic(in: scenario, snapshot: snapshot)
        }
        guard result.diagnostics.isEmpty else { return result }
        for key in usage.keys where rates.onDemand[key] == nil { rates.onDemand[key] = 0 }

        var report = CommitmentReport(
            held: nil, recommendations: [], hours: usage.hourCount,
            simulated: clusters.contains { $0.timeline != nil }, usage: usage, portfolio: portfolio, rates: rates)
        if !portfolio.isEmpty {
            let bill = CommitmentBilling.bill(usage, portfolio: portfolio, rates: rates, keepResidual: true)
            report.held = bill
            result.lines = lines(
                bill, usage: usage, clusters: clusters, reservationPaths: reservationPaths, inputs: inputs)
        }
        for offer in offers {
            let scopes: [String?] = offer.kind == .compute ? [nil] : families
            for family in scopes {
                let covered = usage.keys.filter { key in
                    guard rates.savingsPlan[offer]?[key] != nil else { return false }
                    guard let family else { return true }
                    if case .instance(let type, _) = key.resource { return InstanceSize.family(of: type) == family }
                    return false
                }
                guard !covered.isEmpty else { continue }
                report.recommendations.append(
                    CommitmentAdvisor.recommend(
                        usage, holding: portfolio, rates: rates, offer: offer, family: family,
                        region: family == nil ? nil : scenario.region,
                        curvePoints: offer == CommitmentReport.headlineOffer ? 24 : 0))
            }
        }
        if report.held != nil || !report.recommendations.isEmpty { result.report = report }
        return result
    }

    /// The plans for whose offer, region (and family) the snapshot has no rate at all, with what
    /// is missing: a plan bought where no rate is known cannot be billed.
    static func plansWithoutRates(_ plans: [SavingsPlan], region: String, snapshot: PriceSnapshot) -> [(Int, String)] {
        guard !plans.isEmpty else { return [] }
        var known = Set<String>()
        for price in snapshot.allPrices where price.key.term.hasPrefix("savings-plan-") {
            known.insert("\(price.key.term) \(price.key.region)")
            if price.key.service == "ec2" {
                known.insert("\(price.key.term) \(price.key.region) \(InstanceSize.family(of: price.key.item))")
            }
        }
        return plans.enumerated().compactMap { index, plan in
            let planRegion = plan.region ?? region
            let wanted = "\(plan.offer.priceTerm) \(planRegion)" + (plan.family.map { " \($0)" } ?? "")
            guard !known.contains(wanted) else { return nil }
            let scope = plan.family.map { "the \($0) family in \(planRegion)" } ?? planRegion
            return (
                index,
                "\(plan.offer.kind.title) rate (\(plan.offer.length.rawValue) \(plan.offer.payment.rawValue)) for \(scope)"
            )
        }
    }

    /// The fee lines of every commitment held, and per cluster and usage the on-demand cost
    /// the commitments covered, taken off.
    static func lines(
        _ bill: CommitmentBill, usage: HourlyUsage, clusters: [ClusterUsage], reservationPaths: [String],
        inputs: EstimateInputs
    ) -> [CostLine] {
        let scenario = inputs.scenario
        let snapshot = inputs.snapshot
        let hours = Decimal(bill.hours)
        let feeCluster = clusters.count == 1 ? clusters[0].cluster.name : "all clusters"
        var lines: [CostLine] = []
        func fee(_ resource: String, group: String, quantity: Decimal, unit: String, price: Price, basis: String) {
            lines.append(
                CostLine(
                    cluster: feeCluster, component: .commitments, group: group, resource: resource, quantity: quantity,
                    unit: unit, price: price, hours: hours, hoursPerMonth: inputs.period.hours, basis: basis,
                    kind: .commitmentFee))
        }
        for (index, planBill) in bill.plans.enumerated() {
            let plan = planBill.plan
            let path = "commitments.savingsPlans[\(index)]"
            let written = scenario.location(of: path).map { " (\($0.file):\($0.line))" } ?? ""
            let key = PriceKey(
                region: plan.region ?? scenario.region, service: "savingsplans",
                item: plan.offer.kind.rawValue + (plan.family.map { "-\($0)" } ?? ""), term: plan.offer.priceTerm)
            let name =
                plan.offer.kind.title + (plan.family.map { " \($0)" } ?? "")
                + " \(plan.offer.length.rawValue) \(plan.offer.payment.rawValue)"
            let upfrontShare = plan.upfrontPercent / 100
            let use =
                "used \(percent(planBill.utilisation)), covered \(percent(share(planBill.coveredOnDemandEquivalentUSD, of: bill)))"
            if upfrontShare < 1 {
                fee(
                    "\(name) commitment, billed hourly", group: "savings-plan-\(index + 1)", quantity: 1, unit: "plan",
                    price: Price(
                        key: key, unit: .hour, usd: plan.hourlyCommitmentUSD * (1 - upfrontShare),
                        source:
                            "hourly commitment \(DecimalText.format(plan.hourlyCommitmentUSD)) USD in the scenario\(written)",
                        sourceDate: inputs.asOf.description),
                    basis: "billed every hour, used or not; \(use)")
            }
            if upfrontShare > 0 {
                let termHours = plan.offer.length.hours
                fee(
                    "\(name) upfront payment, amortised", group: "savings-plan-\(index + 1)", quantity: 1, unit: "plan",
                    price: Price(
                        key: PriceKey(
                            region: key.region, service: key.service, item: key.item,
                            term: key.term + "-upfront-per-hour"),
                        unit: .hour, usd: plan.hourlyCommitmentUSD * upfrontShare,
                        source:
                            "\(DecimalText.format(plan.upfrontPercent)) % of the commitment paid upfront in the scenario\(written)",
                        sourceDate: inputs.asOf.description),
                    basis:
                        "upfront \(DecimalText.format(DecimalText.rounded(plan.hourlyCommitmentUSD * upfrontShare * termHours, scale: 2))) USD ÷ \(DecimalText.format(termHours)) hours of the term, per hour; \(use)"
                )
            }
        }
        for (index, reservationBill) in bill.reservations.enumerated() {
            let reservation = reservationBill.reservation
            let key = reservation.priceKey
            let group =
                index < scenario.commitments.reservations.count
                ? "reserved-\(index + 1)" : "reserved-\(index + 1) (\(reservationPaths[index]))"
            let use =
                "used \(percent(reservationBill.utilisation)), covered \(percent(share(reservationBill.coveredOnDemandEquivalentUSD, of: bill)))"
            let title =
                "\(reservation.instanceType)\(reservation.os == .windows ? " Windows" : "") reserved \(reservation.term)"
            if let price = snapshot.price(key), price.usd > 0 {
                fee(
                    "\(title), hourly fee", group: group, quantity: Decimal(reservation.count), unit: "reservation",
                    price: price,
                    basis: "billed every hour of the term, used or not; \(use)")
            }
            if reservation.term.hasUpfrontFee, let upfront = snapshot.upfrontFee(key) {
                let termHours = reservation.term.length.hours
                let perHour = Price(
                    key: key, unit: .hour, usd: upfront.usd / termHours,
                    source:
                        "upfront fee \(DecimalText.format(upfront.usd)) USD ÷ \(DecimalText.format(termHours)) hours; \(upfront.source)",
                    sourceDate: upfront.sourceDate)
                fee(
                    "\(title), upfront fee amortised", group: group, quantity: Decimal(reservation.count),
                    unit: "reservation", price: perHour,
                    basis: "the upfront fee spread over the term's hours (AWS amortises it per hour); \(use)")
            }
        }
        lines += coveredLines(bill, usage: usage, clusters: clusters, inputs: inputs)
        return lines
    }

    /// Per cluster and usage key, the on-demand cost of what the commitments covered, negative:
    /// each hour's covered share of the key's usage, applied to the cluster's part of it.
    static func coveredLines(
        _ bill: CommitmentBill, usage: HourlyUsage, clusters: [ClusterUsage], inputs: EstimateInputs
    ) -> [CostLine] {
        let keyIndex = Dictionary(uniqueKeysWithValues: usage.keys.enumerated().map { ($1, $0) })
        // coveredShare[hour][k]: the part of the hour's usage of keys[k] a commitment covered.
        let coveredShare = usage.quantities.enumerated().map { hour, quantities in
            quantities.enumerated().map { k, quantity in
                quantity > 0 ? (quantity - bill.residual[hour][k]) / quantity : 0
            }
        }
        var lines: [CostLine] = []
        let hours = inputs.period.hours
        for clusterUsage in clusters {
            var covered: [UsageKey: Decimal] = [:]
            var perStep: [UsageKey: [Decimal]] = [:]
            if let timeline = clusterUsage.timeline {
                HourlyUsage.visit(timeline, cluster: clusterUsage.cluster, region: inputs.scenario.region) {
                    step, hour, key, quantity in
                    guard let k = keyIndex[key], coveredShare[hour][k] > 0 else { return }
                    let part = quantity * coveredShare[hour][k]
                    covered[key, default: 0] += part
                    perStep[key, default: Array(repeating: 0, count: timeline.stepCount)][step] +=
                        part * bill.usage[k].onDemandRate
                }
            } else {
                for (hour, quantities) in clusterUsage.usage.quantities.enumerated() {
                    for (c, quantity) in quantities.enumerated() where quantity > 0 {
                        let key = clusterUsage.usage.keys[c]
                        guard let k = keyIndex[key], coveredShare[hour][k] > 0 else { continue }
                        covered[key, default: 0] += quantity * coveredShare[hour][k]
                    }
                }
            }
            for key in covered.keys.sorted() where covered[key]! > 0 {
                let k = keyIndex[key]!
                guard let price = inputs.snapshot.price(key.priceKey(term: PriceKey.onDemand)) else { continue }
                let (resource, unit): (String, String) =
                    switch key.resource {
                    case .instance(let type, let os):
                        ("\(type)\(os == .windows ? " Windows" : "") on-demand usage covered by commitments", "node")
                    case .fargateVCPU: ("Fargate vCPU usage covered by commitments", "vCPU")
                    case .fargateMemory: ("Fargate memory usage covered by commitments", "GB")
                    }
                let quantityHours = covered[key]!
                lines.append(
                    CostLine(
                        cluster: clusterUsage.cluster.name, component: .commitments, group: "covered",
                        resource: resource,
                        quantity: -quantityHours / hours, unit: unit, price: price, hours: hours, hoursPerMonth: hours,
                        basis:
                            "\(DecimalText.format(DecimalText.rounded(quantityHours, scale: 2))) \(key.resource.unit)s of \(DecimalText.format(DecimalText.rounded(bill.usage[k].quantity, scale: 2))) covered hour by hour (Reserved Instances, then EC2 Instance, then Compute Savings Plans); their on-demand cost is in the lines above and taken off here",
                        kind: .commitmentCovered(resource: key.resource, perStep: perStep[key] ?? [])))
            }
        }
        return lines
    }

    static func share(_ part: Decimal, of bill: CommitmentBill) -> Decimal? {
        let all = bill.onDemandEquivalentUSD
        return all > 0 ? part / all : nil
    }

    static func percent(_ value: Decimal?) -> String {
        value.map { "\(DecimalText.format(DecimalText.rounded($0 * 100, scale: 1))) %" } ?? "–"
    }
}

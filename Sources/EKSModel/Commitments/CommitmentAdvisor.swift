public import Foundation

/// One commitment tried: the eligible usage's cost with it, and how well it is used.
public struct CommitmentPoint: Sendable, Hashable {
    public var hourlyCommitmentUSD: Decimal
    /// The eligible usage's cost over the period with the plan (and the commitments already held).
    public var totalUSD: Decimal
    /// Against the commitments already held, without the plan (negative: it costs more).
    public var savingsUSD: Decimal
    /// Share of the plan's commitment used; nil at 0.
    public var utilisation: Decimal?
    /// Share of the usage's on-demand cost covered by every commitment.
    public var coverage: Decimal?
}

/// The Savings Plan commitment that minimises the period's cost, and points around it.
public struct CommitmentRecommendation: Sendable {
    public var offer: SavingsPlanOffer
    /// For an EC2 Instance plan: its family and region.
    public var family: String?
    public var region: String?
    /// Without the plan.
    public var baselineUSD: Decimal
    public var best: CommitmentPoint
    /// A few commitments around the best (0, 50 %, 80 %, 90 %, 100 %, 110 %, 120 %, 150 %).
    public var points: [CommitmentPoint]
    /// Evenly spaced from 0 to twice the best, for the curve (empty when not asked for).
    public var curve: [CommitmentPoint]

    public func plan(hourlyCommitmentUSD: Decimal) -> SavingsPlan {
        SavingsPlan(offer: offer, hourlyCommitmentUSD: hourlyCommitmentUSD, family: family, region: region)
    }
}

/// Finds the commitment to buy from usage simulated hour by hour.
///
/// With one plan added, the period's cost is `c × hours + Σ on-demand left each hour`. Each
/// hour, a dollar more of commitment covers the usage the plan reaches next, saving its
/// on-demand rate ÷ plan rate in on-demand dollars; the plan reaches the highest savings first,
/// so that ratio only falls as `c` grows and the cost is convex and piecewise linear. Its
/// minimum is the first break point where the hours still saving more than a dollar per dollar
/// no longer outweigh the hours (`hours − Σ ratio ≥ 0`). AWS takes commitments in steps of
/// 0.001 USD/hour (CreateSavingsPlan: "between 0.001 and 1 million", at most five decimals;
/// the coarser step keeps reports readable): the better of the two steps around it is taken.
/// The plan is applied after every commitment already held; an EC2 Instance plan recommended
/// beside Compute plans already held is then exact only at the points evaluated.
public enum CommitmentAdvisor {
    public static let step = Decimal(string: "0.001")!
    static let aroundBest: [Decimal] = [
        0, Decimal(string: "0.5")!, Decimal(string: "0.8")!, Decimal(string: "0.9")!, 1,
        Decimal(string: "1.1")!, Decimal(string: "1.2")!, Decimal(string: "1.5")!,
    ]

    public static func recommend(
        _ usage: HourlyUsage, holding portfolio: CommitmentPortfolio, rates: CommitmentRates,
        offer: SavingsPlanOffer, family: String? = nil, region: String? = nil,
        curvePoints: Int = 24
    ) -> CommitmentRecommendation {
        let baseline = CommitmentBilling.bill(usage, portfolio: portfolio, rates: rates, keepResidual: true)
        let probe = SavingsPlan(offer: offer, hourlyCommitmentUSD: 0, family: family, region: region)
        let onDemand = usage.keys.map { rates.onDemand[$0] ?? 0 }
        let queue = PlanQueue(plan: probe, keys: usage.keys, onDemand: onDemand, rates: rates.savingsPlan[offer] ?? [:])
        let exact = minimum(residual: baseline.residual, queue: queue, onDemand: onDemand)

        func point(_ commitment: Decimal) -> CommitmentPoint {
            evaluate(
                probe.with(commitment), on: usage, holding: portfolio, rates: rates, baselineUSD: baseline.totalUSD)
        }
        let down = DecimalText.truncated(exact / step) * step
        var best = point(down)
        if down != exact {
            let up = point(down + step)
            if up.totalUSD < best.totalUSD { best = up }
        }
        let commitment = best.hourlyCommitmentUSD
        var seen = Set<Decimal>()
        let points = aroundBest.map { DecimalText.rounded($0 * commitment / step, scale: 0) * step }
            .filter { seen.insert($0).inserted }
            .map { $0 == commitment ? best : point($0) }
        let curve =
            curvePoints == 0
            ? []
            : commitment == 0
                ? [best]
                : (0...curvePoints).map { index in
                    point(
                        DecimalText.rounded(commitment * 2 * Decimal(index) / Decimal(curvePoints) / step, scale: 0)
                            * step)
                }
        return CommitmentRecommendation(
            offer: offer, family: family, region: region, baselineUSD: baseline.totalUSD,
            best: best, points: points, curve: curve)
    }

    /// The eligible usage's cost with `plan` added to the commitments held; `baselineUSD` is the
    /// cost without it (worked out when not given).
    public static func evaluate(
        _ plan: SavingsPlan, on usage: HourlyUsage, holding portfolio: CommitmentPortfolio,
        rates: CommitmentRates, baselineUSD: Decimal? = nil
    ) -> CommitmentPoint {
        var held = portfolio
        held.savingsPlans.append(plan)
        let bill = CommitmentBilling.bill(usage, portfolio: held, rates: rates)
        let baseline = baselineUSD ?? CommitmentBilling.bill(usage, portfolio: portfolio, rates: rates).totalUSD
        return CommitmentPoint(
            hourlyCommitmentUSD: plan.hourlyCommitmentUSD, totalUSD: bill.totalUSD,
            savingsUSD: baseline - bill.totalUSD,
            utilisation: bill.plans.last?.utilisation, coverage: bill.coverage)
    }

    /// The exact minimising commitment over the break points of every hour.
    static func minimum(residual: [[Decimal]], queue: PlanQueue, onDemand: [Decimal]) -> Decimal {
        // (commitment at which the ratio changes, change of the ratio)
        var events: [(at: Decimal, change: Decimal)] = []
        var slope: Decimal = 0  // Σ ratio just above 0
        for hour in residual {
            var spent: Decimal = 0
            var current: Decimal = 0
            for (k, rate) in queue.order where hour[k] > 0 {
                let ratio = onDemand[k] / rate
                if spent == 0 && current == 0 { slope += ratio } else { events.append((spent, ratio - current)) }
                current = ratio
                spent += hour[k] * rate
            }
            if current > 0 { events.append((spent, -current)) }
        }
        let hours = Decimal(residual.count)
        guard slope > hours else { return 0 }
        events.sort { $0.at < $1.at }
        var index = 0
        while index < events.count {
            let at = events[index].at
            while index < events.count && events[index].at == at {
                slope += events[index].change
                index += 1
            }
            if slope <= hours { return at }
        }
        return events.last?.at ?? 0
    }
}

extension SavingsPlan {
    func with(_ hourlyCommitmentUSD: Decimal) -> SavingsPlan {
        var plan = self
        plan.hourlyCommitmentUSD = hourlyCommitmentUSD
        return plan
    }
}

public import Foundation

/// Applies commitments to usage hour by hour, the way AWS bills them.
///
/// Savings Plans User Guide, "Understanding how Savings Plans apply to your usage"
/// (docs.aws.amazon.com/savingsplans/latest/userguide/sp-applying.html):
/// - "Savings Plans apply to your usage after the Amazon EC2 Reserved Instances (RI) are applied."
/// - "EC2 Instance Savings Plans are applied before Compute Savings Plans because Compute
///   Savings Plans have broader applicability."
/// - "Your Savings Plans are applied to your highest savings percentage first. If there are
///   multiple usages with equal savings percentages, Savings Plans are applied to the first
///   usage with the lowest Savings Plans rate."
/// - "Each hour's commitment can only be used within that hour and cannot be carried over."
///
/// Reserved Instances (EC2 User Guide, "How Reserved Instances are applied"): a regional Linux
/// reservation supplies its normalization factor in units per hour to its family in its region,
/// "applied from the smallest to the largest instance size within the instance family"; other
/// reservations cover their exact type. They are billed every hour of the term, used or not.
///
/// Several plans of one kind are applied one after the other in the order written (AWS applies
/// them "together"; with equal rates the result is the same). One account: no sharing order.
public enum CommitmentBilling {
    /// The bill of `usage` under `portfolio`; with `keepResidual`, also what each hour left on
    /// demand (for a recommendation of one more plan).
    public static func bill(
        _ usage: HourlyUsage, portfolio: CommitmentPortfolio, rates: CommitmentRates,
        keepResidual: Bool = false
    ) -> CommitmentBill {
        let keys = usage.keys
        let onDemand = keys.map { rates.onDemand[$0] ?? 0 }
        let pools = ReservationPool.pools(portfolio.reservations, keys: keys)
        let planOrder = portfolio.savingsPlans.indices.sorted { a, b in
            let (pa, pb) = (portfolio.savingsPlans[a].offer.kind, portfolio.savingsPlans[b].offer.kind)
            return pa != pb ? pa == .ec2Instance : a < b
        }
        let planQueues = planOrder.map { index in
            PlanQueue(
                plan: portfolio.savingsPlans[index], keys: keys, onDemand: onDemand,
                rates: rates.savingsPlan[portfolio.savingsPlans[index].offer] ?? [:])
        }

        var bill = CommitmentBill(
            usage: keys.enumerated().map { UsageBill(key: $1, onDemandRate: onDemand[$0]) },
            plans: portfolio.savingsPlans.map { PlanBill(plan: $0) },
            reservations: portfolio.reservations.map { ReservationBill(reservation: $0) },
            hours: usage.hourCount)
        let reservationFeePerHour = portfolio.reservations.map { reservation -> (Decimal, Decimal) in
            let count = Decimal(reservation.count)
            let hourly = (rates.reservedHourly[reservation.priceKey] ?? 0) * count
            let upfront = (rates.reservedUpfront[reservation.priceKey] ?? 0) * count / reservation.term.length.hours
            return (hourly, upfront)
        }
        let fixedPerHour =
            portfolio.savingsPlans.reduce(Decimal(0)) { $0 + $1.hourlyCommitmentUSD }
            + reservationFeePerHour.reduce(Decimal(0)) { $0 + $1.0 + $1.1 }

        for hour in usage.quantities {
            var remaining = hour
            for (k, quantity) in hour.enumerated() {
                bill.usage[k].quantity += quantity
            }
            // 1. Reserved Instances.
            for pool in pools {
                var units = pool.unitsPerHour
                var coveredOnDemandUSD: Decimal = 0
                for (k, factor) in pool.eligible where units > 0 && remaining[k] > 0 {
                    let needed = remaining[k] * factor
                    let covered = min(needed, units)
                    units -= covered
                    let quantity = covered == needed ? remaining[k] : covered / factor
                    remaining[k] -= quantity
                    bill.usage[k].reservedQuantity += quantity
                    coveredOnDemandUSD += quantity * onDemand[k]
                }
                pool.attribute(
                    used: pool.unitsPerHour - units, coveredOnDemandUSD: coveredOnDemandUSD, to: &bill.reservations)
            }
            // 2. EC2 Instance Savings Plans, then 3. Compute Savings Plans.
            for (position, queue) in planQueues.enumerated() {
                let p = planOrder[position]
                var budget = queue.plan.hourlyCommitmentUSD
                for (k, rate) in queue.order where budget > 0 && remaining[k] > 0 {
                    let cost = remaining[k] * rate
                    let quantity = cost <= budget ? remaining[k] : budget / rate
                    budget -= cost <= budget ? cost : budget
                    remaining[k] -= quantity
                    if queue.plan.offer.kind == .compute {
                        bill.usage[k].computePlanQuantity += quantity
                    } else {
                        bill.usage[k].ec2PlanQuantity += quantity
                    }
                    bill.usage[k].planSpendUSD += quantity * rate
                    bill.plans[p].coveredOnDemandEquivalentUSD += quantity * onDemand[k]
                }
                bill.plans[p].usedUSD += queue.plan.hourlyCommitmentUSD - budget
            }
            var hourTotal = fixedPerHour
            for (k, quantity) in remaining.enumerated() where quantity > 0 {
                bill.usage[k].onDemandQuantity += quantity
                hourTotal += quantity * onDemand[k]
            }
            bill.hourlyTotalUSD.append(hourTotal)
            if keepResidual { bill.residual.append(remaining) }
        }
        let hours = Decimal(usage.hourCount)
        for (index, plan) in portfolio.savingsPlans.enumerated() {
            bill.plans[index].committedUSD = plan.hourlyCommitmentUSD * hours
            bill.plans[index].upfrontShareUSD = plan.hourlyCommitmentUSD * hours * plan.upfrontPercent / 100
        }
        for (index, fees) in reservationFeePerHour.enumerated() {
            bill.reservations[index].hourlyFeesUSD = fees.0 * hours
            bill.reservations[index].upfrontShareUSD = fees.1 * hours
        }
        return bill
    }
}

/// Reservations that share their discount: a family in a region (size-flexible Linux ones, in
/// normalized units), or one exact type and OS (in instance-hours).
struct ReservationPool {
    /// Indices into the portfolio's reservations, in the order written.
    var reservations: [Int]
    var unitsPerHour: Decimal
    /// Usage indices the pool may cover, smallest size first, with the units one instance-hour
    /// of each uses.
    var eligible: [(Int, Decimal)]
    /// Units each reservation supplies per hour, in `reservations` order.
    var supplies: [Decimal]

    static func pools(_ reservations: [ReservedInstances], keys: [UsageKey]) -> [ReservationPool] {
        var pools: [ReservationPool] = []
        var poolIndex: [String: Int] = [:]
        for (index, reservation) in reservations.enumerated() {
            let flexible = reservation.isSizeFlexible
            let name =
                flexible
                ? "\(reservation.region) \(InstanceSize.family(of: reservation.instanceType))"
                : "\(reservation.region) \(reservation.instanceType) \(reservation.os.rawValue)"
            let supply =
                Decimal(reservation.count)
                * (flexible ? InstanceSize.normalizationFactor(of: reservation.instanceType)! : 1)
            if let existing = poolIndex[name] {
                pools[existing].reservations.append(index)
                pools[existing].supplies.append(supply)
                pools[existing].unitsPerHour += supply
                continue
            }
            var eligible: [(Int, Decimal)] = []
            for (k, key) in keys.enumerated() {
                guard key.region == reservation.region, case .instance(let type, let os) = key.resource else {
                    continue
                }
                if flexible {
                    guard os == .linux,
                        InstanceSize.family(of: type) == InstanceSize.family(of: reservation.instanceType),
                        let factor = InstanceSize.normalizationFactor(of: type)
                    else { continue }
                    eligible.append((k, factor))
                } else if type == reservation.instanceType && os == reservation.os {
                    eligible.append((k, 1))
                }
            }
            eligible.sort { ($0.1, keys[$0.0]) < ($1.1, keys[$1.0]) }
            poolIndex[name] = pools.count
            pools.append(
                ReservationPool(reservations: [index], unitsPerHour: supply, eligible: eligible, supplies: [supply]))
        }
        return pools
    }

    /// Spreads the units used in an hour, and the on-demand cost they cover, over the pool's
    /// reservations, first written first.
    func attribute(used: Decimal, coveredOnDemandUSD: Decimal, to bills: inout [ReservationBill]) {
        var left = used
        for (position, index) in reservations.enumerated() {
            let share = min(left, supplies[position])
            bills[index].usedUnits += share
            bills[index].suppliedUnits += supplies[position]
            if used > 0 { bills[index].coveredOnDemandEquivalentUSD += coveredOnDemandUSD * share / used }
            left -= share
        }
    }
}

/// One plan's usage in the order it is applied: highest savings percentage first, then lowest
/// Savings Plans rate, then the key.
struct PlanQueue {
    var plan: SavingsPlan
    var order: [(Int, Decimal)]

    init(plan: SavingsPlan, keys: [UsageKey], onDemand: [Decimal], rates: [UsageKey: Decimal]) {
        self.plan = plan
        var order: [(Int, Decimal)] = []
        for (k, key) in keys.enumerated() where plan.covers(key) && onDemand[k] > 0 {
            if let rate = rates[key], rate > 0 { order.append((k, rate)) }
        }
        // Savings a = 1 − rate_a / od_a is higher than b's when rate_a × od_b < rate_b × od_a.
        order.sort { a, b in
            let (left, right) = (a.1 * onDemand[b.0], b.1 * onDemand[a.0])
            if left != right { return left < right }
            if a.1 != b.1 { return a.1 < b.1 }
            return keys[a.0] < keys[b.0]
        }
        self.order = order
    }
}

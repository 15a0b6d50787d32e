public import Foundation

/// What commitments did over a period: per usage, per plan, per reservation, and each hour's
/// total. Amounts are exact (not rounded); reports round them.
public struct CommitmentBill: Sendable {
    public var usage: [UsageBill]
    public var plans: [PlanBill]
    public var reservations: [ReservationBill]
    public var hours: Int
    /// Each hour's cost of the eligible usage: commitments billed plus what ran on demand.
    public var hourlyTotalUSD: [Decimal] = []
    /// With `keepResidual`: each hour's quantities left on demand, by usage index.
    var residual: [[Decimal]] = []

    /// Savings Plans commitments and reservation fees, used or not.
    public var commitmentUSD: Decimal {
        plans.reduce(0) { $0 + $1.committedUSD } + reservations.reduce(0) { $0 + $1.feesUSD }
    }

    /// What ran on demand after every commitment.
    public var onDemandUSD: Decimal { usage.reduce(0) { $0 + $1.onDemandUSD } }

    /// The eligible usage's cost with the commitments.
    public var totalUSD: Decimal { commitmentUSD + onDemandUSD }

    /// The same usage all on demand.
    public var onDemandEquivalentUSD: Decimal { usage.reduce(0) { $0 + $1.onDemandEquivalentUSD } }

    /// What the commitments save against on demand (negative when they cost more).
    public var savingsUSD: Decimal { onDemandEquivalentUSD - totalUSD }

    /// Share of the on-demand cost of the usage that commitments covered (AWS's coverage).
    public var coverage: Decimal? {
        let all = onDemandEquivalentUSD
        guard all > 0 else { return nil }
        let covered =
            plans.reduce(Decimal(0)) { $0 + $1.coveredOnDemandEquivalentUSD }
            + reservations.reduce(Decimal(0)) { $0 + $1.coveredOnDemandEquivalentUSD }
        return covered / all
    }

    /// Share of the Savings Plans commitment used (AWS's utilisation: "if you have a 10 $/hour
    /// commitment, and your usage billed with Savings Plans rates totals to $9.80 for the hour,
    /// your utilization for that hour is 98 percent").
    public var savingsPlanUtilisation: Decimal? {
        let committed = plans.reduce(Decimal(0)) { $0 + $1.committedUSD }
        guard committed > 0 else { return nil }
        return plans.reduce(Decimal(0)) { $0 + $1.usedUSD } / committed
    }

    /// Share of the reserved units used.
    public var reservationUtilisation: Decimal? {
        let supplied = reservations.reduce(Decimal(0)) { $0 + $1.suppliedUnits }
        guard supplied > 0 else { return nil }
        return reservations.reduce(Decimal(0)) { $0 + $1.usedUnits } / supplied
    }
}

/// One kind of usage over the period: how much, and what covered it.
public struct UsageBill: Sendable {
    public var key: UsageKey
    public var onDemandRate: Decimal
    public var quantity: Decimal = 0
    public var reservedQuantity: Decimal = 0
    public var ec2PlanQuantity: Decimal = 0
    public var computePlanQuantity: Decimal = 0
    public var onDemandQuantity: Decimal = 0
    /// What the plans' rates charged against their commitments for it.
    public var planSpendUSD: Decimal = 0

    public init(key: UsageKey, onDemandRate: Decimal) {
        self.key = key
        self.onDemandRate = onDemandRate
    }

    public var onDemandUSD: Decimal { onDemandQuantity * onDemandRate }
    public var onDemandEquivalentUSD: Decimal { quantity * onDemandRate }
    public var coveredQuantity: Decimal { reservedQuantity + ec2PlanQuantity + computePlanQuantity }
}

/// One Savings Plan over the period.
public struct PlanBill: Sendable {
    public var plan: SavingsPlan
    /// The commitment × hours: what the plan costs, used or not.
    public var committedUSD: Decimal = 0
    /// The part of it that covered usage at the plan's rates.
    public var usedUSD: Decimal = 0
    /// The part paid upfront, amortised over the term's hours.
    public var upfrontShareUSD: Decimal = 0
    /// On-demand cost of the usage it covered.
    public var coveredOnDemandEquivalentUSD: Decimal = 0

    public init(plan: SavingsPlan) { self.plan = plan }

    /// The part billed as a recurring fee.
    public var recurringUSD: Decimal { committedUSD - upfrontShareUSD }
    public var unusedUSD: Decimal { committedUSD - usedUSD }
    public var utilisation: Decimal? { committedUSD > 0 ? usedUSD / committedUSD : nil }
}

/// One reservation over the period.
public struct ReservationBill: Sendable {
    public var reservation: ReservedInstances
    /// The hourly rate × count × hours, billed used or not.
    public var hourlyFeesUSD: Decimal = 0
    /// The upfront fee × count, amortised: fee ÷ term hours × hours.
    public var upfrontShareUSD: Decimal = 0
    /// Normalized units (instance-hours for a reservation without size flexibility).
    public var usedUnits: Decimal = 0
    public var suppliedUnits: Decimal = 0
    public var coveredOnDemandEquivalentUSD: Decimal = 0

    public init(reservation: ReservedInstances) { self.reservation = reservation }

    public var feesUSD: Decimal { hourlyFeesUSD + upfrontShareUSD }
    public var utilisation: Decimal? { suppliedUnits > 0 ? usedUnits / suppliedUnits : nil }
}

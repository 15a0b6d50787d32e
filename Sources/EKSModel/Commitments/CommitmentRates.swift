public import Foundation

/// The rates commitments are billed at: on-demand rates of the usage, each Savings Plan
/// offer's rate for it, and each reservation's hourly rate and upfront fee.
public struct CommitmentRates: Sendable {
    public var onDemand: [UsageKey: Decimal]
    public var savingsPlan: [SavingsPlanOffer: [UsageKey: Decimal]]
    /// By the reservation's snapshot key (`ReservedInstances.priceKey`).
    public var reservedHourly: [PriceKey: Decimal]
    public var reservedUpfront: [PriceKey: Decimal]

    public init(
        onDemand: [UsageKey: Decimal] = [:], savingsPlan: [SavingsPlanOffer: [UsageKey: Decimal]] = [:],
        reservedHourly: [PriceKey: Decimal] = [:], reservedUpfront: [PriceKey: Decimal] = [:]
    ) {
        self.onDemand = onDemand
        self.savingsPlan = savingsPlan
        self.reservedHourly = reservedHourly
        self.reservedUpfront = reservedUpfront
    }

    /// A rate the billing needs and the snapshot lacks.
    public struct Missing: Sendable, Hashable {
        public var key: PriceKey
        /// Why it is needed: `Compute Savings Plan 1yr no-upfront covers m5.large in us-east-1`.
        public var reason: String
        /// The scenario path of the commitment that needs it (`commitments.savingsPlans[0]`).
        public var path: String
    }

    /// The rates `portfolio` needs for `keys` (plus `offers`, for a recommendation), read from
    /// `snapshot`, and every one it lacks. A plan's rate is needed for each usage it may cover;
    /// an upfront fee only for a reservation paying one.
    public static func from(
        _ snapshot: PriceSnapshot, keys: [UsageKey], portfolio: CommitmentPortfolio,
        offers: [SavingsPlanOffer] = []
    ) -> (rates: CommitmentRates, missing: [Missing]) {
        var rates = CommitmentRates()
        var missing: [Missing] = []
        for key in keys {
            if let price = snapshot.price(key.priceKey(term: PriceKey.onDemand)) { rates.onDemand[key] = price.usd }
        }
        var wanted: [(SavingsPlanOffer, SavingsPlan?, String)] = portfolio.savingsPlans.enumerated().map {
            ($1.offer, $1, "commitments.savingsPlans[\($0)]")
        }
        wanted += offers.map { ($0, nil, "") }
        for (offer, plan, path) in wanted {
            for key in keys where plan?.covers(key) ?? (offer.kind == .compute || key.isInstance) {
                let priceKey = key.priceKey(term: offer.priceTerm)
                if let price = snapshot.price(priceKey) {
                    rates.savingsPlan[offer, default: [:]][key] = price.usd
                } else if let plan, !missing.contains(where: { $0.key == priceKey }) {
                    missing.append(
                        Missing(
                            key: priceKey,
                            reason:
                                "\(plan.offer.kind.title) \(offer.length.rawValue) \(offer.payment.rawValue) covers \(key)",
                            path: path))
                }
            }
        }
        for (index, reservation) in portfolio.reservations.enumerated() {
            let key = reservation.priceKey
            let path = "commitments.reservedInstances[\(index)]"
            if let price = snapshot.price(key) {
                rates.reservedHourly[key] = price.usd
            } else {
                missing.append(Missing(key: key, reason: reservation.title, path: path))
            }
            guard reservation.term.hasUpfrontFee else { continue }
            if let fee = snapshot.upfrontFee(key) {
                rates.reservedUpfront[key] = fee.usd
            } else {
                missing.append(Missing(key: key, reason: "\(reservation.title): its upfront fee", path: path))
            }
        }
        return (rates, missing)
    }
}

extension UsageKey {
    var isInstance: Bool {
        if case .instance = resource { return true }
        return false
    }
}

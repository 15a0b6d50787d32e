public import Foundation

/// What a price is for: a service's item in a region under a purchase term.
///
/// The keys ekscost reads are built in one place, `PriceKey+Items.swift`; `Pricing/README.md`
/// lists them all.
public struct PriceKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var region: String
    public var service: String
    public var item: String
    public var term: String

    public init(region: String, service: String, item: String, term: String = PriceKey.onDemand) {
        self.region = region
        self.service = service
        self.item = item
        self.term = term
    }

    public static let onDemand = "on-demand"
    public static let spot = "spot"

    public static func < (lhs: PriceKey, rhs: PriceKey) -> Bool {
        (lhs.region, lhs.service, lhs.item, lhs.term) < (rhs.region, rhs.service, rhs.item, rhs.term)
    }

    /// `ec2 m5.large on-demand in us-east-1`: how error messages name what was looked up.
    public var description: String { "\(service) \(item) \(term) in \(region)" }
}

/// The unit a price is quoted per.
public enum PriceUnit: String, Sendable, Hashable, CaseIterable {
    /// Per hour of one thing (instance, cluster, ENI, address, gateway).
    case hour
    /// Per GB of storage for a whole month, prorated by the hours it exists.
    case gbMonth = "GB-month"
    case vcpuHour = "vCPU-hour"
    case gbHour = "GB-hour"
    /// Per GB transferred or processed.
    case gb = "GB"
    case lcuHour = "LCU-hour"
    /// Per provisioned IOPS for a whole month (EBS io1, io2, gp3 above its included 3000).
    case iopsMonth = "IOPS-month"
    /// Per GiB/s of provisioned throughput for a whole month (EBS gp3 above its included 125 MiB/s),
    /// as AWS's offer file quotes it (`GiBps-mo`).
    case gibpsMonth = "GiBps-month"
    /// A one-time fee (reserved-instance upfront payment).
    case upfront

    /// Whether the price is quoted per month rather than per hour.
    public var isMonthly: Bool { self == .gbMonth || self == .iopsMonth || self == .gibpsMonth }

    /// Whether the price is per unit of a quantity the month moves (GB processed), not per hour:
    /// such a line costs quantity × price, whatever its hours.
    public var isPerQuantity: Bool { self == .gb }
}

/// One sourced price.
public struct Price: Sendable, Hashable {
    public var key: PriceKey
    public var unit: PriceUnit
    /// USD, every digit the source gives.
    public var usd: Decimal
    /// Where the price comes from (price list file, page, announcement).
    public var source: String
    /// When the source said so, `YYYY-MM` or `YYYY-MM-DD`.
    public var sourceDate: String

    public init(key: PriceKey, unit: PriceUnit, usd: Decimal, source: String, sourceDate: String) {
        self.key = key
        self.unit = unit
        self.usd = usd
        self.source = source
        self.sourceDate = sourceDate
    }
}

/// A dated set of prices, as bundled in `Pricing/` or imported from AWS's offer files.
///
/// A key has at most one price per unit class: its rate (per hour, per GB-month…) in `prices`,
/// and for Reserved Instance terms the one-time fee in `upfrontFees`, under the same key.
public struct PriceSnapshot: Sendable {
    public let id: String
    /// The day the snapshot was put together.
    public let date: CalendarDate
    /// Every price but upfront fees.
    public let prices: [PriceKey: Price]
    /// Reserved Instance upfront fees (unit `upfront`), keyed like the hourly rate of the term.
    public let upfrontFees: [PriceKey: Price]

    public init(id: String, date: CalendarDate, prices: [Price]) {
        self.id = id
        self.date = date
        var byKey: [PriceKey: Price] = [:]
        var fees: [PriceKey: Price] = [:]
        for price in prices {
            if price.unit == .upfront { fees[price.key] = price } else { byKey[price.key] = price }
        }
        self.prices = byKey
        self.upfrontFees = fees
    }

    public func price(_ key: PriceKey) -> Price? { prices[key] }

    public func upfrontFee(_ key: PriceKey) -> Price? { upfrontFees[key] }

    /// Rows in the snapshot: rates and fees.
    public var count: Int { prices.count + upfrontFees.count }

    /// Every price, rates before fees for the same key, sorted by key.
    public var allPrices: [Price] {
        Set(prices.keys).union(upfrontFees.keys).sorted().flatMap { key in
            [prices[key], upfrontFees[key]].compactMap { $0 }
        }
    }

    public var regions: [String] { Set(prices.keys.map(\.region)).union(upfrontFees.keys.map(\.region)).sorted() }

    /// Distinct sources, in order of first appearance by key.
    public var sources: [String] {
        var seen = Set<String>()
        return allPrices.compactMap { seen.insert($0.source).inserted ? $0.source : nil }
    }

    public func hasRegion(_ region: String) -> Bool {
        prices.keys.contains { $0.region == region } || upfrontFees.keys.contains { $0.region == region }
    }
}

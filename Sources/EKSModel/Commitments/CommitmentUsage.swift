public import Foundation

/// What a commitment can cover: on-demand EC2 instance-hours of a type, or Fargate vCPU-hours
/// and GB-hours (Compute Savings Plans only). Spot, the EKS fee, EBS, addresses and load
/// balancers are never covered, so they are never usage here.
public enum UsageResource: Sendable, Hashable, Comparable {
    case instance(type: String, os: OperatingSystem)
    case fargateVCPU
    case fargateMemory

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.sortKey < rhs.sortKey }

    var sortKey: String {
        switch self {
        case .instance(let type, let os): "0 \(type) \(os.rawValue)"
        case .fargateVCPU: "1 vcpu"
        case .fargateMemory: "2 memory"
        }
    }

    /// `m5.large`, `m5.large Windows`, `Fargate vCPU`, `Fargate memory`.
    public var title: String {
        switch self {
        case .instance(let type, let os): os == .windows ? "\(type) Windows" : type
        case .fargateVCPU: "Fargate vCPU"
        case .fargateMemory: "Fargate memory"
        }
    }

    /// What one unit of it is for an hour.
    public var unit: String {
        switch self {
        case .instance: "instance-hour"
        case .fargateVCPU: "vCPU-hour"
        case .fargateMemory: "GB-hour"
        }
    }
}

/// One kind of usage in one region.
public struct UsageKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var region: String
    public var resource: UsageResource

    public init(region: String, resource: UsageResource) {
        self.region = region
        self.resource = resource
    }

    public static func instance(_ type: String, os: OperatingSystem = .linux, region: String) -> UsageKey {
        UsageKey(region: region, resource: .instance(type: type, os: os))
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.region, lhs.resource) < (rhs.region, rhs.resource) }

    public var description: String { "\(resource.title) in \(region)" }

    /// The snapshot key of its rate under `term` (on-demand, a Savings Plan offer's term).
    public func priceKey(term: String) -> PriceKey {
        switch resource {
        case .instance(let type, let os): .instance(type, os: os, term: term, region: region)
        case .fargateVCPU: PriceKey(region: region, service: "fargate", item: "vcpu", term: term)
        case .fargateMemory: PriceKey(region: region, service: "fargate", item: "memory", term: term)
        }
    }
}

/// Usage hour by hour over a period: quantities (instance-hours, vCPU-hours, GB-hours) used in
/// each clock hour. A node that ran half an hour is half an instance-hour: EC2 bills per second
/// and a Reserved Instance covers up to 3600 seconds of usage per clock-hour (EC2 User Guide,
/// "How Reserved Instances are applied").
public struct HourlyUsage: Sendable, Hashable {
    /// Every key used in any hour, sorted.
    public let keys: [UsageKey]
    /// `quantities[hour][k]` is the quantity of `keys[k]` in that hour.
    public let quantities: [[Decimal]]

    public init(keys: [UsageKey], quantities: [[Decimal]]) {
        self.keys = keys
        self.quantities = quantities
    }

    /// The same quantities every hour for `hours` hours.
    public init(constant: [UsageKey: Decimal], hours: Int) {
        let keys = constant.keys.sorted()
        self.keys = keys
        let row = keys.map { constant[$0]! }
        quantities = Array(repeating: row, count: hours)
    }

    /// Hour rows given as dictionaries.
    public init(hours: [[UsageKey: Decimal]]) {
        let keys = Set(hours.flatMap(\.keys)).sorted()
        self.keys = keys
        quantities = hours.map { hour in keys.map { hour[$0] ?? 0 } }
    }

    public var hourCount: Int { quantities.count }
}

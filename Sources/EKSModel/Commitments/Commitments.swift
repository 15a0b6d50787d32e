public import Foundation

/// The two kinds of Savings Plans that cover what an EKS cluster runs.
public enum SavingsPlanKind: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Any EC2 instance (any family, size, region, OS, tenancy) and Fargate vCPU and memory.
    case compute
    /// EC2 instances of one family in one region, any size and OS.
    case ec2Instance = "ec2-instance"

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// AWS's name: `Compute Savings Plan`, `EC2 Instance Savings Plan`.
    public var title: String { self == .compute ? "Compute Savings Plan" : "EC2 Instance Savings Plan" }

    /// The Price List's `Product Family` of its rates.
    public var productFamily: String { self == .compute ? "ComputeSavingsPlans" : "EC2InstanceSavingsPlans" }
}

/// What AWS publishes one set of Savings Plans rates for: kind, term and payment.
public struct SavingsPlanOffer: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var kind: SavingsPlanKind
    public var length: ReservedTerm.Length
    public var payment: ReservedTerm.Payment

    public init(kind: SavingsPlanKind, length: ReservedTerm.Length, payment: ReservedTerm.Payment) {
        self.kind = kind
        self.length = length
        self.payment = payment
    }

    /// The snapshot term its rates are kept under, on the key of the usage they discount
    /// (`ec2 m5.large savings-plan-compute-1yr-no-upfront`, `fargate vcpu savings-plan-compute-3yr-all-upfront`).
    public var priceTerm: String { "savings-plan-\(kind.rawValue)-\(length.rawValue)-\(payment.rawValue)" }

    /// `compute 1yr no-upfront`.
    public var description: String { "\(kind.rawValue) \(length.rawValue) \(payment.rawValue)" }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.priceTerm < rhs.priceTerm }

    /// The six offers of a kind: 1 and 3 years, each payment option.
    public static func all(_ kind: SavingsPlanKind) -> [SavingsPlanOffer] {
        ReservedTerm.Length.allCases.flatMap { length in
            ReservedTerm.Payment.allCases.map { SavingsPlanOffer(kind: kind, length: length, payment: $0) }
        }
    }

    /// The offer a snapshot term names, if it names one.
    public init?(priceTerm: String) {
        guard let offer = (Self.all(.compute) + Self.all(.ec2Instance)).first(where: { $0.priceTerm == priceTerm })
        else { return nil }
        self = offer
    }
}

/// A Savings Plan bought: an hourly commitment in USD for the term.
public struct SavingsPlan: Sendable, Hashable {
    public var offer: SavingsPlanOffer
    /// USD per hour, billed every hour of the term whether used or not.
    public var hourlyCommitmentUSD: Decimal
    /// For an EC2 Instance Savings Plan: the instance family (`m5`) and region it covers.
    public var family: String?
    public var region: String?
    /// The share of the commitment paid upfront, in percent: 0 for No Upfront, 100 for All
    /// Upfront, 50 to 99 for Partial Upfront (CreateSavingsPlan's `upfrontPaymentAmount`: "a whole
    /// number between 50 and 99 percent of the total value of the Savings Plan").
    public var upfrontPercent: Decimal

    public init(
        offer: SavingsPlanOffer, hourlyCommitmentUSD: Decimal, family: String? = nil, region: String? = nil,
        upfrontPercent: Decimal? = nil
    ) {
        self.offer = offer
        self.hourlyCommitmentUSD = hourlyCommitmentUSD
        self.family = family
        self.region = region
        self.upfrontPercent = upfrontPercent ?? Self.defaultUpfrontPercent(offer.payment)
    }

    public static func defaultUpfrontPercent(_ payment: ReservedTerm.Payment) -> Decimal {
        switch payment {
        case .noUpfront: 0
        case .partialUpfront: 50
        case .allUpfront: 100
        }
    }

    /// `Compute Savings Plan 1yr no-upfront, 1.25 USD/hour` or `… (m5, us-east-1) …`.
    public var title: String {
        let scope = offer.kind == .ec2Instance ? " (\(family ?? "?"), \(region ?? "?"))" : ""
        return
            "\(offer.kind.title)\(scope) \(offer.length.rawValue) \(offer.payment.rawValue), \(DecimalText.format(hourlyCommitmentUSD)) USD/hour"
    }

    /// Whether the plan may cover `key`: a Compute plan any instance or Fargate usage, an EC2
    /// Instance plan instances of its family in its region.
    public func covers(_ key: UsageKey) -> Bool {
        switch offer.kind {
        case .compute: return true
        case .ec2Instance:
            guard case .instance(let type, _) = key.resource else { return false }
            return key.region == region && InstanceSize.family(of: type) == family
        }
    }
}

/// Regional Reserved Instances: `count` instances of a type, for a term, in a region.
public struct ReservedInstances: Sendable, Hashable {
    public var instanceType: String
    public var count: Int
    public var term: ReservedTerm
    public var region: String
    public var os: OperatingSystem

    public init(instanceType: String, count: Int, term: ReservedTerm, region: String, os: OperatingSystem = .linux) {
        self.instanceType = instanceType
        self.count = count
        self.term = term
        self.region = region
        self.os = os
    }

    /// The key its rate and upfront fee are kept under in a snapshot.
    public var priceKey: PriceKey { .instance(instanceType, os: os, term: term.priceTerm, region: region) }

    /// Whether the reservation's discount reaches other sizes of its family: regional Linux
    /// Reserved Instances with default tenancy, except the families AWS names (EC2 User Guide,
    /// "Instance size flexibility": not for G4ad, G4dn, G5, G5g and Inf1, not for Windows).
    public var isSizeFlexible: Bool {
        os == .linux && InstanceSize.normalizationFactor(of: instanceType) != nil
            && !InstanceSize.familiesWithoutSizeFlexibility.contains(InstanceSize.family(of: instanceType))
    }

    /// `2 × m5.large reserved 1yr standard no-upfront`.
    public var title: String {
        "\(count) × \(instanceType)\(os == .windows ? " Windows" : "") reserved \(term)"
    }
}

/// Every commitment a scenario holds.
public struct CommitmentPortfolio: Sendable, Hashable {
    public var savingsPlans: [SavingsPlan]
    public var reservations: [ReservedInstances]

    public init(savingsPlans: [SavingsPlan] = [], reservations: [ReservedInstances] = []) {
        self.savingsPlans = savingsPlans
        self.reservations = reservations
    }

    public var isEmpty: Bool { savingsPlans.isEmpty && reservations.isEmpty }
}

/// Hours in a term: AWS counts a year as 365 days (EC2 API DescribeReservedInstancesOfferings,
/// `Duration`: 31536000 seconds for one year, 94608000 for three), so 8760 and 26280 hours.
extension ReservedTerm.Length {
    public var hours: Decimal { self == .oneYear ? 8760 : 26280 }
}

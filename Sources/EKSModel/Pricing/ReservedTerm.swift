/// An EC2 Reserved Instance offer: length, offering class and payment option. AWS publishes
/// twelve of them for every instance type that can be reserved.
public struct ReservedTerm: Sendable, Hashable, CustomStringConvertible {
    public enum Length: String, Sendable, Hashable, CaseIterable {
        case oneYear = "1yr"
        case threeYears = "3yr"
    }

    public enum OfferingClass: String, Sendable, Hashable, CaseIterable {
        case standard, convertible
    }

    public enum Payment: String, Sendable, Hashable, CaseIterable {
        case noUpfront = "no-upfront"
        case partialUpfront = "partial-upfront"
        case allUpfront = "all-upfront"

        /// AWS's wording in the Price List `PurchaseOption` column.
        public var priceListName: String {
            switch self {
            case .noUpfront: "No Upfront"
            case .partialUpfront: "Partial Upfront"
            case .allUpfront: "All Upfront"
            }
        }
    }

    public var length: Length
    public var offeringClass: OfferingClass
    public var payment: Payment

    public init(length: Length, offeringClass: OfferingClass, payment: Payment) {
        self.length = length
        self.offeringClass = offeringClass
        self.payment = payment
    }

    /// The price snapshot term of the hourly rate and of the upfront fee:
    /// `reserved-1yr-standard-partial-upfront`.
    public var priceTerm: String { "reserved-\(length.rawValue)-\(offeringClass.rawValue)-\(payment.rawValue)" }

    /// Months the upfront fee is spread over: 12 or 36.
    public var months: Int { length == .oneYear ? 12 : 36 }

    /// Whether the term has an upfront fee.
    public var hasUpfrontFee: Bool { payment != .noUpfront }

    /// `1yr standard partial-upfront`.
    public var description: String { "\(length.rawValue) \(offeringClass.rawValue) \(payment.rawValue)" }

    /// The twelve terms, in the order of their snapshot term names.
    public static let all: [ReservedTerm] = Length.allCases.flatMap { length in
        OfferingClass.allCases.sorted { $0.rawValue < $1.rawValue }.flatMap { offeringClass in
            Payment.allCases.sorted { $0.rawValue < $1.rawValue }.map {
                ReservedTerm(length: length, offeringClass: offeringClass, payment: $0)
            }
        }
    }
}

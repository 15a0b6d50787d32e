import CSVStream
import EKSModel
import Foundation

/// Field access shared by raw records (before parsing) and parsed ones, so one set of rules
/// decides both what the fast path skips and what the parsed path keeps.
protocol OfferFields {
    func field(_ index: Int, equals literal: StaticString) -> Bool
    func field(_ index: Int, equalsBytes bytes: [UInt8]) -> Bool
}

extension RawRecord: OfferFields {
    @inline(__always)
    func field(_ index: Int, equalsBytes bytes: [UInt8]) -> Bool { field(index, equals: bytes) }
}

extension CSVRecordView: OfferFields {
    func field(_ index: Int, equalsBytes bytes: [UInt8]) -> Bool { field(index, equals: bytes) }
}

/// What the checks of one offer need: the offer, its columns and the regions asked for.
struct OfferRules: Sendable {
    let offer: OfferCode
    let columns: OfferColumns
    /// `--region` values as bytes; empty for every region.
    let regions: [[UInt8]]

    /// How an AmazonEC2 row is read.
    enum EC2Row {
        case skip(SkipReason)
        /// On-Demand, Linux, Shared tenancy, an instance product in an AWS Region: counted for the
        /// check figures, then priced if software, licence and capacity status say list price.
        case onDemandInstance
        /// On-Demand, Windows (License Included is checked with the rest of the list-price
        /// filter), Shared tenancy, an instance product in an AWS Region.
        case onDemandWindowsInstance
        /// A Reserved rate or upfront fee of an instance's list-price product.
        case reservedInstance
        case storage
        /// Provisioned IOPS (`System Operation`) and throughput (`Provisioned Throughput`) of EBS volumes.
        case storagePerformance
        /// NAT gateways and public IPv4 addresses: priced by usage type.
        case usagePriced
    }

    /// The checks of PRICING-FACTS §1 in a fixed order (ascending columns of the 2025 layout,
    /// which keeps raw lookups cheap). Exact on a raw record (the scanner only hands out
    /// well-formed ones, compared with quote-free literals) and on a parsed one.
    @inline(__always)
    func classifyEC2<F: OfferFields>(_ f: F) -> EC2Row {
        let c = columns
        let onDemand: Bool
        if f.field(c.termType, equals: "OnDemand") {
            onDemand = true
        } else if f.field(c.termType, equals: "Reserved") {
            onDemand = false
        } else {
            return .skip(.termType)
        }
        let instance =
            f.field(c.productFamily, equals: "Compute Instance")
            || f.field(c.productFamily, equals: "Compute Instance (bare metal)")
        var other: EC2Row = .skip(.productFamily)
        if !instance {
            if f.field(c.productFamily, equals: "Storage") {
                other = .storage
            } else if f.field(c.productFamily, equals: "System Operation")
                || f.field(c.productFamily, equals: "Provisioned Throughput")
            {
                other = .storagePerformance
            } else if f.field(c.productFamily, equals: "NAT Gateway") || f.field(c.productFamily, equals: "IP Address")
            {
                other = .usagePriced
            } else {
                return .skip(.productFamily)
            }
            if !onDemand { return .skip(.termType) }
        }
        guard f.field(c.locationType, equals: "AWS Region") else { return .skip(.notInRegion) }
        var windows = false
        if instance {
            guard f.field(c.tenancy, equals: "Shared") else { return .skip(.tenancy) }
            if !f.field(c.operatingSystem, equals: "Linux") {
                // Windows rows are kept on demand only: Reserved Windows terms are not read.
                guard onDemand, f.field(c.operatingSystem, equals: "Windows") else { return .skip(.operatingSystem) }
                windows = true
            }
            if !onDemand, let reason = listPriceProduct(f) { return .skip(reason) }
        }
        if !regions.isEmpty && !regions.contains(where: { f.field(c.regionCode, equalsBytes: $0) }) {
            return .skip(.regionNotSelected)
        }
        if instance { return windows ? .onDemandWindowsInstance : onDemand ? .onDemandInstance : .reservedInstance }
        return other
    }

    /// The rest of the list-price filter: no pre-installed software, no licence to bring,
    /// a running instance rather than a capacity reservation.
    @inline(__always)
    func listPriceProduct<F: OfferFields>(_ f: F) -> SkipReason? {
        let c = columns
        guard f.field(c.licenseModel, equals: "No License required") else { return .license }
        guard f.field(c.capacityStatus, equals: "Used") else { return .capacity }
        guard f.field(c.preInstalledSoftware, equals: "NA") else { return .software }
        return nil
    }
}

/// One price found, in 32 bytes: names are numbers in the scan's `NameTable`; record and line
/// count from the start of the segment that found it.
struct FoundPrice: Sendable {
    var price: PriceValue
    var region: UInt32
    var item: UInt32
    var record: UInt32
    var line: UInt32
    var thing: PricedThing
    /// 0 for on-demand, else 1 + the index in `ReservedTerm.all`.
    var term: UInt8
    var upfront: Bool

    static let termNames = ["on-demand"] + ReservedTerm.all.map(\.priceTerm)
}

/// Region and item names seen in a scan, numbered.
struct NameTable: Sendable {
    private(set) var names: [String] = [""]
    private var ids: [String: UInt32] = ["": 0]

    mutating func id(_ name: String) -> UInt32 {
        if let id = ids[name] { return id }
        let id = UInt32(names.count)
        names.append(name)
        ids[name] = id
        return id
    }
}

/// A row the filter refuses: a price that is not a number, a fee with no term.
struct OfferRowError: Error, CustomStringConvertible {
    let description: String
}

/// The filter and collector of one segment of one offer file.
struct OfferRowFilter: CSVRecordFilter {
    let rules: OfferRules
    var skipped = [Int](repeating: 0, count: SkipReason.allCases.count)
    /// On-Demand Linux rows on shared tenancy, whatever their software, licence and capacity
    /// status, and the sum of their prices: the figures a plain query of the file gives.
    var checkRows = 0
    var checkSum = PriceSum()
    var names = NameTable()
    var found: [FoundPrice] = []

    init(rules: OfferRules) { self.rules = rules }

    /// Decides from the raw bytes, as `visit` would from the parsed record, every row that
    /// gives no price; libcsv parses the rest. An On-Demand Linux row that is not a list price
    /// still counts for the check figures: its price is read raw when it needs no unescaping
    /// and is a plain number (else libcsv parses the row and `visit` says what is wrong).
    mutating func wants(_ record: RawRecord) -> Bool {
        guard rules.offer == .ec2 else { return true }  // the other offers are small: parse everything
        switch rules.classifyEC2(record) {
        case .skip(let reason):
            skipped[reason.rawValue] += 1
            return false
        case .onDemandInstance:
            guard let reason = rules.listPriceProduct(record) else { return true }
            guard let value = record.withPlainField(rules.columns.pricePerUnit, PriceValue.parse) ?? nil else {
                return true
            }
            checkRows += 1
            checkSum.add(value)
            skipped[reason.rawValue] += 1
            return false
        case .onDemandWindowsInstance:
            guard let reason = rules.listPriceProduct(record) else { return true }
            skipped[reason.rawValue] += 1
            return false
        default:
            return true
        }
    }

    mutating func visit(_ record: CSVRecordView) throws {
        let c = rules.columns
        if rules.offer != .ec2 {
            guard record.field(c.termType, equals: "OnDemand") else { return skip(.termType) }
            guard record.field(c.locationType, equals: "AWS Region") else { return skip(.notInRegion) }
            guard
                rules.regions.isEmpty || rules.regions.contains(where: { record.field(c.regionCode, equalsBytes: $0) })
            else {
                return skip(.regionNotSelected)
            }
            let usage = PricedThing.usageName(record.string(at: c.usageType))
            switch rules.offer {
            case .elb:
                guard let thing = PricedThing.loadBalancer(family: record.string(at: c.productFamily), usage: usage)
                else {
                    return skip(.usageType)
                }
                return try add(record, thing, item: nil, term: 0, upfront: false, price: try price(record))
            case .eks:
                // Auto Mode's management fee: one product per instance type, `eksproducttype`
                // AutoMode (vantage-sh/ec2instances.info scraper/aws/ec2/eks_auto_mode.go).
                if c.eksProductType >= 0, record.field(c.eksProductType, equals: "AutoMode") {
                    guard c.instanceType >= 0 else { return skip(.missingName) }
                    return try add(
                        record, .eksAutoMode, item: record.string(at: c.instanceType), term: 0, upfront: false,
                        price: try price(record))
                }
                if PricedThing.byUsageType[String(usage)] == nil, let tier = PricedThing.controlPlaneTier(usage: usage)
                {
                    let item = PriceKey.eksProvisionedControlPlane(tier: tier, region: "").item
                    return try add(
                        record, .eksControlPlaneTier, item: item, term: 0, upfront: false, price: try price(record))
                }
            default:
                break
            }
            return try addUsagePriced(record)
        }
        switch rules.classifyEC2(record) {
        case .skip(let reason):
            skip(reason)
        case .onDemandInstance:
            let value = try price(record)
            checkRows += 1
            checkSum.add(value)
            if let reason = rules.listPriceProduct(record) { return skip(reason) }
            guard record.field(c.unit, equals: "Hrs") else { return skip(.unit) }
            try add(
                record, .ec2Instance, item: record.string(at: c.instanceType), term: 0, upfront: false, price: value)
        case .onDemandWindowsInstance:
            if let reason = rules.listPriceProduct(record) { return skip(reason) }
            guard record.field(c.unit, equals: "Hrs") else { return skip(.unit) }
            try add(
                record, .ec2WindowsInstance, item: record.string(at: c.instanceType), term: 0, upfront: false,
                price: try price(record))
        case .reservedInstance:
            guard let term = reservedTerm(record) else { return skip(.reservedTerm) }
            let upfront: Bool
            if record.field(c.unit, equals: "Hrs") {
                upfront = false
            } else if record.field(c.unit, equals: "Quantity") {
                upfront = true
            } else {
                return skip(.unit)
            }
            try add(
                record, .ec2Instance, item: record.string(at: c.instanceType), term: term, upfront: upfront,
                price: try price(record))
        case .storage:
            guard record.field(c.unit, equals: "GB-Mo") else { return skip(.unit) }
            guard PricedThing.usageName(record.string(at: c.usageType)).hasPrefix("EBS:VolumeUsage") else {
                return skip(.usageType)
            }
            try add(
                record, .ebsVolume, item: record.string(at: c.volumeAPIName), term: 0, upfront: false,
                price: try price(record))
        case .storagePerformance:
            guard
                let (thing, item) = PricedThing.ebsPerformanceItem(
                    usage: PricedThing.usageName(record.string(at: c.usageType)))
            else {
                return skip(.usageType)
            }
            guard record.field(c.unit, equals: thing == .ebsIOPS ? "IOPS-Mo" : "GiBps-mo") else { return skip(.unit) }
            try add(record, thing, item: item, term: 0, upfront: false, price: try price(record))
        case .usagePriced:
            try addUsagePriced(record)
        }
    }

    mutating func skip(_ reason: SkipReason) { skipped[reason.rawValue] += 1 }

    /// A row priced by its usage type (EKS, Fargate, public IPv4, NAT gateway).
    mutating func addUsagePriced(_ record: CSVRecordView) throws {
        guard
            let thing = PricedThing.byUsageType[
                String(PricedThing.usageName(record.string(at: rules.columns.usageType)))]
        else {
            return skip(.usageType)
        }
        try add(record, thing, item: nil, term: 0, upfront: false, price: try price(record))
    }

    /// `item`: the name the row gives (instance type, volume type, tier), nil for things with a fixed item.
    mutating func add(
        _ record: CSVRecordView, _ thing: PricedThing, item name: String?, term: UInt8, upfront: Bool,
        price: PriceValue
    ) throws {
        let c = rules.columns
        guard record.field(c.currency, equals: "USD") else { return skip(.currency) }
        let region = record.string(at: c.regionCode)
        var item: UInt32 = 0
        if let name {
            guard !name.isEmpty else { return skip(.missingName) }
            item = names.id(name)
        }
        guard !region.isEmpty else { return skip(.missingName) }
        found.append(
            FoundPrice(
                price: price, region: names.id(region), item: item,
                record: UInt32(truncatingIfNeeded: record.number), line: UInt32(truncatingIfNeeded: record.line),
                thing: thing, term: term, upfront: upfront))
    }

    func price(_ record: CSVRecordView) throws -> PriceValue {
        guard let value = record.withBytes(at: rules.columns.pricePerUnit, PriceValue.parse) else {
            throw OfferRowError(
                description:
                    "PricePerUnit '\(record.string(at: rules.columns.pricePerUnit))' is not a plain decimal number of at most 19 significant digits and 20 decimals, such as 0.0960000000"
            )
        }
        return value
    }

    /// 1 + the index of the row's term in `ReservedTerm.all`, from LeaseContractLength,
    /// OfferingClass and PurchaseOption.
    func reservedTerm(_ record: CSVRecordView) -> UInt8? {
        let c = rules.columns
        let length = record.string(at: c.leaseContractLength)
        let offeringClass = record.string(at: c.offeringClass)
        let option = record.string(at: c.purchaseOption)
        guard
            let index = ReservedTerm.all.firstIndex(where: {
                $0.length.rawValue == length && $0.offeringClass.rawValue == offeringClass
                    && $0.payment.priceListName == option
            })
        else { return nil }
        return UInt8(index + 1)
    }
}

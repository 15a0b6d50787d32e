import CSVStream
public import EKSModel
import Foundation

/// Reads AWS's Savings Plans price list (CSV) into snapshot rates.
///
/// Where: `https://pricing.us-east-1.amazonaws.com/savingsPlan/v1.0/aws/AWSComputeSavingsPlan/
/// current/region_index.json` lists a file per region (`versionUrl` …/<version>/<region>/index.json;
/// the CSV beside it ends in index.csv). One offer, `AWSComputeSavingsPlan`, holds both kinds
/// (`Product Family` `ComputeSavingsPlans` and `EC2InstanceSavingsPlans`), every term and payment.
/// Layout: the five metadata rows of every price list file (AWS Billing User Guide, "Reading
/// the service price list file for a Savings Plan"), then the header: `SKU, RateCode, Unit,
/// EffectiveDate, DiscountedRate, Currency, DiscountedSKU, DiscountedServiceCode,
/// DiscountedUsageType, DiscountedOperation, PurchaseOption, LeaseContractLength,
/// LeaseContractLengthUnit, ServiceCode, UsageType, Operation, Description, Instance Family,
/// Location, Location Type, Granularity, Product Family, DiscountedRegionCode,
/// DiscountedInstanceType`. Columns are found by name.
///
/// A row's `DiscountedRate` is the plan's rate for the on-demand usage it names: EC2 instances
/// on shared tenancy (`BoxUsage:<type>`; operation `RunInstances` Linux, `RunInstances:0002`
/// Windows) and Fargate Linux/x86 vCPU-hours and GB-hours (`Fargate-vCPU-Hours:perCPU`,
/// `Fargate-GB-Hours`; AmazonEKS rows preferred over AmazonECS ones, which bill the same usage
/// type). Each becomes a rate on the usage's own key under the offer's term
/// (`ec2 m5.large savings-plan-compute-1yr-no-upfront`), with the file as source and its
/// publication day as date.
public enum SavingsPlanOfferFile {
    public static let offerCodes: Set<String> = ["AWSComputeSavingsPlan"]

    public struct Imported: Sendable {
        public var prices: [Price]
        public var records: Int
        public var version: String
        public var publicationDate: String
        public var skipped: Int
    }

    /// Whether the file's metadata names a Savings Plans offer (read before the offer importer,
    /// which would refuse it).
    public static func isSavingsPlanFile(path: String) -> Bool {
        var code: String?
        var rows = 0
        do {
            try CSVReader(path: path, options: CSVReadOptions(strict: false)).forEachRecord { record in
                rows += 1
                if record.count == 2 && record.string(at: 0) == "OfferCode" { code = record.string(at: 1) }
                if rows >= 8 { throw Stop() }
            }
        } catch {}
        return code.map(offerCodes.contains) ?? false
    }

    struct Stop: Error {}

    static let columnNames = [
        "DiscountedRate", "Currency", "Unit", "DiscountedServiceCode", "DiscountedUsageType", "DiscountedOperation",
        "PurchaseOption", "LeaseContractLength", "Product Family", "DiscountedRegionCode",
    ]

    /// Reads the rates of `regions` (all when empty); `label` names the file in sources.
    public static func read(path: String, regions: [String] = [], label: String? = nil) -> Result<Imported, Diagnostic>
    {
        func failure(_ message: String, line: Int = 1) -> Result<Imported, Diagnostic> {
            .failure(.error(message, at: SourceLocation(file: path, line: line)))
        }
        var metadata: [String: String] = [:]
        var columns: [String: Int] = [:]
        var found: [PriceKey: (price: Price, service: String, line: Int)] = [:]
        var records = 0
        var skipped = 0
        var problem: Diagnostic?
        var source = ""
        var sourceDate = ""
        do {
            try CSVReader(path: path).forEachRecord { record in
                if columns.isEmpty {
                    if record.count == 2 {
                        metadata[record.string(at: 0)] = record.string(at: 1)
                        return
                    }
                    let header = record.strings
                    for name in columnNames {
                        if let index = header.firstIndex(of: name) { columns[name] = index }
                    }
                    let missing = columnNames.filter { columns[$0] == nil }
                    guard metadata["OfferCode"].map(offerCodes.contains) == true else {
                        problem = .error(
                            "not an AWS Savings Plans price list (CSV): expected metadata rows ending with \"OfferCode\",\"AWSComputeSavingsPlan\", then the header row",
                            at: SourceLocation(file: path, line: record.line))
                        throw Stop()
                    }
                    guard missing.isEmpty else {
                        problem = .error(
                            "the Savings Plans header has no column \(missing.map { "'\($0)'" }.joined(separator: ", ")); is this a price list of another kind or version?",
                            at: SourceLocation(file: path, line: record.line))
                        throw Stop()
                    }
                    let version = metadata["Version"] ?? ""
                    source =
                        "AWS Price List AWSComputeSavingsPlan \(label ?? (path as NSString).lastPathComponent), version \(version)"
                    sourceDate =
                        CalendarDate(String((metadata["Publication Date"] ?? "").prefix(10)))?.description ?? ""
                    guard !version.isEmpty, !sourceDate.isEmpty else {
                        problem = .error(
                            "the Savings Plans price list has no \"Version\" or \"Publication Date\" metadata row",
                            at: SourceLocation(file: path, line: 1))
                        throw Stop()
                    }
                    return
                }
                records += 1
                func field(_ name: String) -> String { record.string(at: columns[name]!) }
                guard record.count > columns.values.max()!, let rate = rate(record, field: field, regions: regions)
                else {
                    skipped += 1
                    return
                }
                guard let usd = DecimalText.parse(field("DiscountedRate")), usd > 0, usd <= 1_000_000_000 else {
                    problem = .error(
                        "record \(record.number): DiscountedRate must be a number above 0 and at most 10^9, found \"\(field("DiscountedRate"))\"",
                        at: SourceLocation(file: path, line: record.line))
                    throw Stop()
                }
                let service = field("DiscountedServiceCode")
                let price = Price(
                    key: rate.key, unit: rate.unit, usd: usd,
                    source: source + (service == "AmazonECS" ? " (AmazonECS Fargate rate)" : ""), sourceDate: sourceDate
                )
                if let earlier = found[rate.key] {
                    // The same usage type under AmazonEKS and AmazonECS: the EKS row wins.
                    if earlier.service != service {
                        if service == "AmazonEKS" { found[rate.key] = (price, service, record.line) }
                        return
                    }
                    guard earlier.price.usd == usd else {
                        problem = .error(
                            "record \(record.number): a second rate for \(rate.key), \(DecimalText.format(usd)), where line \(earlier.line) gave \(DecimalText.format(earlier.price.usd))",
                            at: SourceLocation(file: path, line: record.line))
                        throw Stop()
                    }
                    return
                }
                found[rate.key] = (price, service, record.line)
            }
        } catch let error as CSVError {
            return failure(error.message, line: error.line ?? 1)
        } catch is Stop {
        } catch {
            return failure("\(error)")
        }
        if let problem { return .failure(problem) }
        if columns.isEmpty { return failure("not an AWS Savings Plans price list (CSV): no header row") }
        return .success(
            Imported(
                prices: found.values.map(\.price).sorted { $0.key < $1.key }, records: records,
                version: metadata["Version"] ?? "", publicationDate: metadata["Publication Date"] ?? "",
                skipped: skipped))
    }

    /// The key and unit a row prices, or nil for a row ekscost does not read.
    static func rate(_ record: CSVRecordView, field: (String) -> String, regions: [String]) -> (
        key: PriceKey, unit: PriceUnit
    )? {
        let kind: SavingsPlanKind
        switch field("Product Family") {
        case SavingsPlanKind.compute.productFamily: kind = .compute
        case SavingsPlanKind.ec2Instance.productFamily: kind = .ec2Instance
        default: return nil
        }
        guard field("Currency") == "USD" else { return nil }
        let region = field("DiscountedRegionCode")
        guard ScenarioLoader.isRegionCode(region), regions.isEmpty || regions.contains(region) else { return nil }
        guard let length = leaseLength(field("LeaseContractLength")),
            let payment = ReservedTerm.Payment.allCases.first(where: { $0.priceListName == field("PurchaseOption") })
        else { return nil }
        let term = SavingsPlanOffer(kind: kind, length: length, payment: payment).priceTerm
        let usage = withoutRegionPrefix(field("DiscountedUsageType"))
        switch field("DiscountedServiceCode") {
        case "AmazonEC2":
            guard usage.hasPrefix("BoxUsage:"), field("Unit") == "Hrs" else { return nil }
            let type = String(usage.dropFirst("BoxUsage:".count))
            let os: OperatingSystem
            switch field("DiscountedOperation") {
            case "RunInstances": os = .linux
            case "RunInstances:0002": os = .windows
            default: return nil
            }
            return (.instance(type, os: os, term: term, region: region), .hour)
        case "AmazonECS", "AmazonEKS":
            guard kind == .compute else { return nil }
            switch usage {
            case "Fargate-vCPU-Hours:perCPU":
                return (PriceKey(region: region, service: "fargate", item: "vcpu", term: term), .vcpuHour)
            case "Fargate-GB-Hours":
                return (PriceKey(region: region, service: "fargate", item: "memory", term: term), .gbHour)
            default: return nil
            }
        default: return nil
        }
    }

    /// The usage type after its region prefix (`USE1-`, `APN2-`; EC2 in us-east-1 has none).
    static func withoutRegionPrefix(_ usageType: String) -> String {
        guard let dash = usageType.firstIndex(of: "-") else { return usageType }
        let prefix = usageType[..<dash]
        guard (2...6).contains(prefix.count), prefix.allSatisfy({ $0.isUppercase || $0.isNumber }) else {
            return usageType
        }
        return String(usageType[usageType.index(after: dash)...])
    }

    /// `1` or `3` (with LeaseContractLengthUnit `year`), or `1yr`/`3yr`.
    static func leaseLength(_ text: String) -> ReservedTerm.Length? {
        switch text {
        case "1", "1yr": .oneYear
        case "3", "3yr": .threeYears
        default: nil
        }
    }
}

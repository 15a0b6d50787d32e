public import CSVStream
public import EKSModel
import FileAccess
import Foundation

/// The AWS Price List offers ekscost imports, by their `OfferCode` metadata value.
public enum OfferCode: String, Sendable, CaseIterable {
    case ec2 = "AmazonEC2"
    case eks = "AmazonEKS"
    case ecs = "AmazonECS"
    case vpc = "AmazonVPC"
    case elb = "AWSELB"
}

/// What the metadata rows and the header row of an offer file (CSV) say.
///
/// Layout (PRICING-FACTS §1): two-field metadata rows (`FormatVersion`, `Disclaimer`,
/// `Publication Date`, `Version`, `OfferCode`), then the header row, then data rows with as
/// many fields as the header. Columns are found by name, never by position.
public struct OfferHead: Sendable {
    public let path: String
    public let offer: OfferCode
    public let version: String
    /// As written, `2025-09-12T22:53:08Z`.
    public let publicationDate: String
    public let columns: [String]
    /// Where the data rows start, and what comes before them.
    let dataStart: Int
    let recordsBefore: Int
    let linesBefore: Int
    public let fileSize: Int
    /// What `source` calls the file; its name unless the importer is told otherwise (a fetched
    /// file is named by its offer, region and version).
    public var label: String?

    /// The day part of the publication date.
    public var publicationDay: CalendarDate? { CalendarDate(String(publicationDate.prefix(10))) }

    /// `AWS Price List AmazonEC2 index.csv, version 20250912225308`: the `source` of every
    /// price taken from the file.
    public var source: String {
        "AWS Price List \(offer.rawValue) \(label ?? (path as NSString).lastPathComponent), version \(version)"
    }

    /// The `source_date` of every price taken from the file: the publication day.
    public var sourceDate: String { publicationDay?.description ?? String(publicationDate.prefix(10)) }

    /// Bytes of data rows.
    public var dataBytes: Int { fileSize - dataStart }

    /// Reads the metadata rows and the header, or says why the file is not an offer file.
    /// `streamed`: the file is a download read as it arrives (`path` only names it).
    public static func read(path: String, streamed: StreamedBytes? = nil) -> Result<OfferHead, Diagnostic> {
        func failure(_ message: String, line: Int = 1) -> Result<OfferHead, Diagnostic> {
            .failure(.error(message, at: SourceLocation(file: path, line: line)))
        }
        let notAnOffer =
            "not an AWS Price List offer file (CSV): expected metadata rows \"FormatVersion\", \"Disclaimer\", \"Publication Date\", \"Version\", \"OfferCode\", then the header row"
        // FileHandle's reads trap on a folder; RegularFile refuses anything but a file at once.
        if streamed == nil, let problem = RegularFile.problem(path) { return failure("cannot open: \(problem.reason)") }
        let prefix =
            streamed.map { stream in try? stream.bytes(at: 0, count: min(64, (try? stream.size()) ?? 0)) }
            ?? (try? RegularFile.prefix(path, count: 64))
        if let first = prefix {
            if first.isEmpty { return failure("the file is empty; \(notAnOffer)") }
            if first.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) == UInt8(ascii: "{") {
                return failure("this looks like the JSON offer file; ekscost reads the CSV one (…/current/index.csv)")
            }
            if first.starts(with: [0x1F, 0x8B]) {
                return failure("the file is gzip-compressed; decompress it first (gunzip)")
            }
        }
        let head: CSVHead
        do {
            let isHeader: (CSVRecord) -> Bool = { $0.fields.count > 2 }
            if let streamed {
                head = try ParallelCSVScan.head(source: streamed, maxRecords: 16, isLast: isHeader)
            } else {
                head = try ParallelCSVScan.head(path: path, maxRecords: 16, isLast: isHeader)
            }
        } catch let error as CSVError {
            if case .cannotOpen(_, let reason) = error { return failure("cannot open: \(reason)") }
            return failure(
                error.message + (error.record.map { $0 <= 16 ? "; \(notAnOffer)" : "" } ?? ""), line: error.line ?? 1)
        } catch {
            return failure("\(error)")
        }
        guard let header = head.records.last, header.fields.count > 2 else {
            return failure(notAnOffer)
        }
        var metadata: [String: String] = [:]
        for record in head.records.dropLast() {
            guard record.fields.count == 2 else {
                return failure(
                    "record \(record.number): a metadata row has 2 fields, found \(record.fields.count); \(notAnOffer)",
                    line: record.line)
            }
            metadata[record.fields[0]] = record.fields[1]
        }
        guard head.records.first?.fields.first == "FormatVersion", let code = metadata["OfferCode"] else {
            return failure(notAnOffer)
        }
        guard let offer = OfferCode(rawValue: code) else {
            return failure(
                "offer \(code) is not one ekscost imports; it reads \(OfferCode.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        guard let version = metadata["Version"], !version.isEmpty else {
            return failure("the offer file has no \"Version\" metadata row")
        }
        guard let date = metadata["Publication Date"], CalendarDate(String(date.prefix(10))) != nil else {
            return failure(
                "the offer file has no \"Publication Date\" metadata row with a date such as 2025-09-12T22:53:08Z")
        }
        return .success(
            OfferHead(
                path: path, offer: offer, version: version, publicationDate: date,
                columns: header.fields, dataStart: head.end, recordsBefore: head.records.count,
                linesBefore: head.lines, fileSize: head.fileSize))
    }

    /// The header's line.
    var headerLine: Int { linesBefore }
}

/// Columns an offer file's header lacks.
struct MissingColumns: Error {
    let names: [String]
}

/// Where the columns ekscost reads are in one offer file's rows.
struct OfferColumns: Sendable {
    let termType: Int
    let pricePerUnit: Int
    let unit: Int
    let currency: Int
    let locationType: Int
    let regionCode: Int
    let usageType: Int
    // AmazonEC2 only (Product Family also AWSELB, Instance Type also AmazonEKS); -1 where absent.
    let productFamily: Int
    let tenancy: Int
    let operatingSystem: Int
    let licenseModel: Int
    let preInstalledSoftware: Int
    let capacityStatus: Int
    let instanceType: Int
    let volumeAPIName: Int
    let leaseContractLength: Int
    let purchaseOption: Int
    let offeringClass: Int
    /// AmazonEKS's `eksproducttype` (AutoMode…); -1 where the file has none.
    let eksProductType: Int

    static let common = ["TermType", "PricePerUnit", "Unit", "Currency", "Location Type", "Region Code", "usageType"]
    static let ec2 = [
        "Product Family", "Tenancy", "Operating System", "License Model", "Pre Installed S/W",
        "CapacityStatus", "Instance Type", "Volume API Name", "LeaseContractLength", "PurchaseOption",
        "OfferingClass",
    ]

    /// Finds the columns by name (exactly, else ignoring case), or lists every one missing.
    static func find(in header: [String], offer: OfferCode) -> Result<OfferColumns, MissingColumns> {
        var exact: [String: Int] = [:]
        var folded: [String: Int] = [:]
        // The CSV header spells some attributes as words ("Instance Type") where the JSON
        // attribute is one word (`instanceType`, `eksproducttype`): the last fallback ignores
        // case and spaces.
        func squeezed(_ name: String) -> String { name.lowercased().filter { $0 != " " } }
        for (index, name) in header.enumerated() {
            if exact[name] == nil { exact[name] = index }
            if folded[squeezed(name)] == nil { folded[squeezed(name)] = index }
        }
        var missing: [String] = []
        func index(_ name: String, required: Bool = true) -> Int {
            if let found = exact[name] ?? folded[squeezed(name)] { return found }
            if required { missing.append(name) }
            return -1
        }
        let isEC2 = offer == .ec2
        let columns = OfferColumns(
            termType: index("TermType"), pricePerUnit: index("PricePerUnit"), unit: index("Unit"),
            currency: index("Currency"), locationType: index("Location Type"), regionCode: index("Region Code"),
            usageType: index("usageType"),
            productFamily: index("Product Family", required: isEC2 || offer == .elb),
            tenancy: index("Tenancy", required: isEC2),
            operatingSystem: index("Operating System", required: isEC2),
            licenseModel: index("License Model", required: isEC2),
            preInstalledSoftware: index("Pre Installed S/W", required: isEC2),
            capacityStatus: index("CapacityStatus", required: isEC2),
            instanceType: index("Instance Type", required: isEC2),
            volumeAPIName: index("Volume API Name", required: isEC2),
            leaseContractLength: index("LeaseContractLength", required: isEC2),
            purchaseOption: index("PurchaseOption", required: isEC2),
            offeringClass: index("OfferingClass", required: isEC2),
            eksProductType: index("eksproducttype", required: false))
        return missing.isEmpty ? .success(columns) : .failure(MissingColumns(names: missing))
    }
}

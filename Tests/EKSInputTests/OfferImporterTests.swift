import CSVStream
import EKSModel
import Foundation
import Testing

@testable import EKSInput

/// Offer files written for the tests, in the layout of AWS's AmazonEC2 index.csv (2025-09).
enum OfferText {
    /// The 91 columns of the AmazonEC2 CSV offer of 2025-09, in order.
    static let ec2Columns = [
        "SKU", "OfferTermCode", "RateCode", "TermType", "PriceDescription", "EffectiveDate", "StartingRange",
        "EndingRange", "Unit", "PricePerUnit", "Currency", "RelatedTo", "LeaseContractLength", "PurchaseOption",
        "OfferingClass", "Product Family", "serviceCode", "Location", "Location Type", "Instance Type",
        "Current Generation", "Instance Family", "vCPU", "Physical Processor", "Clock Speed", "Memory", "Storage",
        "Network Performance", "Processor Architecture", "Storage Media", "Volume Type", "Max Volume Size",
        "Max IOPS/volume", "Max IOPS Burst Performance", "Max throughput/volume", "Provisioned", "Tenancy",
        "EBS Optimized", "Operating System", "License Model", "Group", "Group Description", "Transfer Type",
        "From Location", "From Location Type", "To Location", "To Location Type", "usageType", "operation",
        "AvailabilityZone", "CapacityStatus", "ClassicNetworkingSupport", "Dedicated EBS Throughput", "ECU",
        "Elastic Graphics Type", "Enhanced Networking Supported", "From Region Code", "GPU", "GPU Memory", "Instance",
        "Instance Capacity - 10xlarge", "Instance Capacity - 12xlarge", "Instance Capacity - 16xlarge",
        "Instance Capacity - 18xlarge", "Instance Capacity - 24xlarge", "Instance Capacity - 2xlarge",
        "Instance Capacity - 32xlarge", "Instance Capacity - 4xlarge", "Instance Capacity - 8xlarge",
        "Instance Capacity - 9xlarge", "Instance Capacity - large", "Instance Capacity - medium",
        "Instance Capacity - metal", "Instance Capacity - xlarge", "instanceSKU", "Intel AVX2 Available",
        "Intel AVX Available", "Intel Turbo Available", "MarketOption", "Normalization Size Factor", "Physical Cores",
        "Pre Installed S/W", "Processor Features", "Product Type", "Region Code", "Resource Type", "serviceName",
        "SnapshotArchiveFeeType", "To Region Code", "Volume API Name", "VPCNetworkingSupport",
    ]

    /// Every non-empty field quoted, embedded quotes doubled, empty fields written as nothing.
    static func line(_ fields: [String]) -> String {
        fields.map { $0.isEmpty ? "" : "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(
            separator: ",") + "\n"
    }

    static func metadata(
        offer: String = "AmazonEC2", version: String = "20250912225308",
        published: String = "2025-09-12T22:53:08Z"
    ) -> String {
        line(["FormatVersion", "v1.0"])
            + line([
                "Disclaimer",
                "This pricing list is for informational purposes only. All prices are subject to the additional terms included in the pricing pages on http://aws.amazon.com.",
            ])
            + line(["Publication Date", published]) + line(["Version", version]) + line(["OfferCode", offer])
    }

    /// An EC2 row: an m5.large-like instance product unless `values` says otherwise.
    static func ec2Row(_ values: [String: String]) -> String {
        var row: [String: String] = [
            "SKU": "SKU0000000000001", "OfferTermCode": "JRTCKXETXF",
            "RateCode": "SKU0000000000001.JRTCKXETXF.6YS6EN2CT7",
            "TermType": "OnDemand", "PriceDescription": "$0.096 per On Demand Linux m5.large Instance Hour",
            "EffectiveDate": "2025-09-01", "StartingRange": "0", "EndingRange": "Inf", "Unit": "Hrs",
            "PricePerUnit": "0.0960000000", "Currency": "USD", "Product Family": "Compute Instance",
            "serviceCode": "AmazonEC2", "Location": "US East (N. Virginia)", "Location Type": "AWS Region",
            "Instance Type": "m5.large", "Current Generation": "Yes", "Instance Family": "General purpose", "vCPU": "2",
            "Physical Processor": "Intel Xeon Platinum 8175 (Skylake)", "Clock Speed": "3.1 GHz", "Memory": "8 GiB",
            "Storage": "EBS only", "Network Performance": "Up to 10 Gigabit", "Processor Architecture": "64-bit",
            "Tenancy": "Shared", "Operating System": "Linux", "License Model": "No License required",
            "usageType": "BoxUsage:m5.large", "operation": "RunInstances", "AvailabilityZone": "NA",
            "CapacityStatus": "Used", "ClassicNetworkingSupport": "false", "ECU": "10",
            "Enhanced Networking Supported": "Yes",
            "GPU Memory": "NA", "Intel AVX2 Available": "Yes", "Intel AVX Available": "Yes",
            "Intel Turbo Available": "Yes",
            "MarketOption": "OnDemand", "Normalization Size Factor": "4", "Pre Installed S/W": "NA",
            "Processor Features": "Intel AVX; Intel AVX2; Intel AVX512; Intel Turbo", "Region Code": "us-east-1",
            "serviceName": "Amazon Elastic Compute Cloud", "VPCNetworkingSupport": "true",
        ]
        for (key, value) in values { row[key] = value }
        return line(ec2Columns.map { row[$0] ?? "" })
    }

    static func reserved(
        _ length: String, _ option: String, _ offeringClass: String, hourly: String, fee: String?,
        _ extra: [String: String] = [:]
    ) -> String {
        var text = ec2Row(
            extra.merging([
                "TermType": "Reserved", "OfferTermCode": "4NA7Y494T4", "EffectiveDate": "2025-09-12",
                "PriceDescription": "Linux/UNIX (Amazon VPC), m5.large reserved instance applied",
                "PricePerUnit": hourly,
                "LeaseContractLength": length, "PurchaseOption": option, "OfferingClass": offeringClass,
            ]) { old, _ in old })
        if let fee {
            text += ec2Row(
                extra.merging([
                    "TermType": "Reserved", "PriceDescription": "Upfront Fee", "Unit": "Quantity", "PricePerUnit": fee,
                    "StartingRange": "", "EndingRange": "", "EffectiveDate": "2025-09-12",
                    "LeaseContractLength": length, "PurchaseOption": option, "OfferingClass": offeringClass,
                ]) { old, _ in old })
        }
        return text
    }

    /// Rows modelled on the real file: what should and should not give a price.
    static let handWritten: String =
        metadata() + line(ec2Columns)
        // Kept: the list price of m5.large in us-east-1 and two Reserved terms of the same product.
        + ec2Row([:])
        + reserved("1yr", "Partial Upfront", "standard", hourly: "0.0285000000", fee: "250")
        + reserved(
            "3yr", "All Upfront", "convertible", hourly: "0.0000000000", fee: "1390",
            ["PriceDescription": "USD 0.0 per Linux/UNIX (Amazon VPC), m5.large reserved instance applied"])
        + reserved("1yr", "No Upfront", "standard", hourly: "0.0600000000", fee: nil)
        // Kept: bare metal in Seoul, with a prefixed usage type and a description with a quote.
        + ec2Row([
            "Instance Type": "m5.metal", "Product Family": "Compute Instance (bare metal)",
            "Region Code": "ap-northeast-2",
            "Location": "Asia Pacific (Seoul)", "usageType": "APN2-BoxUsage:m5.metal", "PricePerUnit": "5.6640000000",
            "PriceDescription": "$5.664 per \"On Demand\" Linux m5.metal Instance Hour, bare metal",
        ])
        // Kept: EBS gp3 in us-east-1.
        + ec2Row([
            "Product Family": "Storage", "Instance Type": "", "Tenancy": "", "Operating System": "",
            "License Model": "",
            "CapacityStatus": "", "Pre Installed S/W": "", "Unit": "GB-Mo", "PricePerUnit": "0.0800000000",
            "Volume API Name": "gp3", "Volume Type": "General Purpose", "usageType": "EBS:VolumeUsage.gp3",
            "PriceDescription":
                "$0.08 per GB-month of General Purpose (gp3) provisioned storage - US East (N. Virginia)",
        ])
        // Skipped, and counted for the check figures: a Linux capacity reservation priced 0.
        + ec2Row([
            "CapacityStatus": "AllocatedCapacityReservation", "PricePerUnit": "0.0000000000",
            "usageType": "Reservation:m5.large",
            "PriceDescription": "$0.00 per Reservation Linux m5.large Instance Hour",
        ])
        // Skipped, and counted: Linux with SQL Web.
        + ec2Row(["Pre Installed S/W": "SQL Web", "PricePerUnit": "0.1130000000"])
        // Kept apart from Linux: Windows (License Included) on demand.
        + ec2Row(["Operating System": "Windows", "PricePerUnit": "0.1880000000"])
        // Skipped: Dedicated tenancy, an Outposts row, a Reserved Windows row, data transfer.
        + ec2Row(["Tenancy": "Dedicated", "PricePerUnit": "0.1056000000", "usageType": "DedicatedUsage:m5.large"])
        + ec2Row([
            "Location Type": "AWS Outposts", "Location": "US East (N. Virginia) Outposts",
            "PricePerUnit": "0.0000000000",
        ])
        + reserved(
            "1yr", "Partial Upfront", "standard", hourly: "0.0900000000", fee: "700", ["Operating System": "Windows"])
        + ec2Row([
            "Product Family": "Data Transfer", "Instance Type": "", "Tenancy": "", "Operating System": "",
            "Unit": "GB", "PricePerUnit": "0.0200000000", "Transfer Type": "InterRegion Outbound",
            "PriceDescription": "$0.02 per GB - US East (N. Virginia) data transfer out, \"0\" tier",
        ])
}

private func write(_ text: String, _ name: String = "offer.csv") -> String {
    let path = TestPaths.temporaryFolder() + "/" + name
    TestPaths.write(text, to: path)
    return path
}

private func imported(_ path: String, workers: Int = 2, segmentBytes: Int = 32 << 20, regions: [String] = []) throws
    -> ImportedOffer
{
    var settings = OfferImporter.Settings()
    settings.scan = CSVScanOptions(workers: workers, segmentBytes: segmentBytes, blockBytes: 64 * 1024)
    settings.regions = regions
    return try OfferImporter.read(path: path, settings: settings).get()
}

private func failure(_ text: String, _ name: String = "offer.csv") -> Diagnostic? {
    let path = write(text, name)
    if case .failure(let diagnostic) = OfferImporter.read(path: path) { return diagnostic }
    return nil
}

@Suite struct GeneratedOfferTests {
    let path = TestPaths.fixture("generated-ec2-4mb-seed7.csv")

    /// `ondemand_linux_shared_rows` and `_price_sum` of the generator's `--stats`: every
    /// On-Demand row with Operating System Linux and Tenancy Shared. The sum is a Python float;
    /// every price in the file has at most 4 decimals, so it is compared at 4 decimals.
    @Test func checkFiguresEqualTheGeneratorsStats() throws {
        let stats = try String(contentsOfFile: TestPaths.fixture("generated-ec2-4mb-seed7.stats.json"), encoding: .utf8)
        func number(_ key: String) throws -> String {
            let match = try #require(stats.firstMatch(of: try Regex("\"\(key)\": ([0-9.]+)")))
            return String(match.output[1].substring!)
        }
        let offer = try imported(path)
        #expect(offer.checkRows == Int(try number("ondemand_linux_shared_rows")))
        let expected = DecimalText.rounded(Decimal(string: try number("ondemand_linux_shared_price_sum"))!, scale: 4)
        #expect(offer.checkSum == expected)
        #expect(offer.checkSum == Decimal(string: "486.2991"))
        #expect(offer.records == Int(try number("data_rows")))
    }

    /// A plain reference query: every record through libcsv, columns by name, the list-price
    /// filter of PRICING-FACTS §1. The importer must find exactly the same rows.
    @Test func ec2PricesEqualAReferenceQueryRowForRow() throws {
        var header: [String: Int] = [:]
        var onDemand: [String] = []
        var reserved: [String] = []
        var checkRows = 0
        try CSVReader(path: path).forEachRecord { record in
            guard record.number > 5 else { return }
            if header.isEmpty {
                header = Dictionary(uniqueKeysWithValues: record.strings.enumerated().map { ($1, $0) })
                return
            }
            let f = record.strings
            func v(_ name: String) -> String { f[header[name]!] }
            if v("TermType") == "OnDemand" && v("Operating System") == "Linux" && v("Tenancy") == "Shared" {
                checkRows += 1
            }
            let product =
                v("Operating System") == "Linux" && v("Tenancy") == "Shared" && v("Pre Installed S/W") == "NA"
                && v("CapacityStatus") == "Used" && v("License Model") == "No License required"
                && ["Compute Instance", "Compute Instance (bare metal)"].contains(v("Product Family"))
                && v("Location Type") == "AWS Region"
            guard product else { return }
            let price = DecimalText.format(Decimal(string: v("PricePerUnit"))!)
            if v("TermType") == "OnDemand" {
                onDemand.append("\(v("Region Code")) \(v("Instance Type")) \(price)")
            } else if v("TermType") == "Reserved" {
                let term =
                    "reserved-\(v("LeaseContractLength"))-\(v("OfferingClass"))-\(v("PurchaseOption").lowercased().replacingOccurrences(of: " ", with: "-"))"
                reserved.append(
                    "\(v("Region Code")) \(v("Instance Type")) \(term) \(v("Unit") == "Quantity" ? "upfront" : "hour") \(price)"
                )
            }
        }
        let offer = try imported(path)
        let found = offer.rows.filter { $0.key.service == "ec2" }
        let foundOnDemand = found.filter { $0.key.term == "on-demand" }
            .map { "\($0.key.region) \($0.key.item) \(DecimalText.format($0.usd))" }
        let foundReserved = found.filter { $0.key.term != "on-demand" }
            .map { "\($0.key.region) \($0.key.item) \($0.key.term) \($0.unit.rawValue) \(DecimalText.format($0.usd))" }
        #expect(!onDemand.isEmpty && !reserved.isEmpty)
        #expect(Set(onDemand).count == onDemand.count, "the reference rows are unique, so no duplicate was folded")
        #expect(foundOnDemand.sorted() == onDemand.sorted())
        #expect(foundReserved.sorted() == reserved.sorted())
        #expect(offer.checkRows == checkRows)
    }

    @Test func manyTinySegmentsOnOneOrTwoThreadsGiveTheSameResult() throws {
        let reference = try imported(path, workers: 1, segmentBytes: 1 << 30)
        for (workers, segment) in [(2, 100_000), (2, 4096), (3, 777)] {
            let offer = try imported(path, workers: workers, segmentBytes: segment)
            #expect(
                offer.rows.map { "\($0.key) \($0.unit) \($0.usd)" }
                    == reference.rows.map { "\($0.key) \($0.unit) \($0.usd)" })
            #expect(
                offer.skipped == reference.skipped && offer.checkSum == reference.checkSum
                    && offer.records == reference.records)
        }
    }

    /// A stray quote in a row the filter skips, three quarters into the file, read by two
    /// workers in segments of 4 KiB and 64 KiB (cut inside quoted fields): the error names the
    /// row's line, counted here from the line feeds before it. One stray quote breaks a field
    /// (`"Dedi"cated"`), the other leaves a quoted field open to the end of the file.
    @Test func aStrayQuoteIsLocatedWhenTwoWorkersReadTheFile() throws {
        let bytes = Array(try #require(FileManager.default.contents(atPath: path)))
        let marker = Array("\"Dedicated\"".utf8)
        var at = bytes.count * 3 / 4
        while !bytes[at..<(at + marker.count)].elementsEqual(marker) { at += 1 }
        let line = bytes[..<at].reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
        for replacement in ["\"Dedi\"cated\"", "\"Dedicated\"\""] {
            let broken = bytes[..<at] + Array(replacement.utf8) + bytes[(at + marker.count)...]
            let file = write(String(decoding: broken, as: UTF8.self), "stray.csv")
            for segment in [4096, 65536] {
                var settings = OfferImporter.Settings()
                settings.scan = CSVScanOptions(workers: 2, segmentBytes: segment, blockBytes: 64 * 1024)
                guard case .failure(let diagnostic) = OfferImporter.read(path: file, settings: settings) else {
                    Issue.record("\(replacement) in segments of \(segment) bytes was not reported")
                    continue
                }
                #expect(diagnostic.location?.line == line, "\(replacement), segments of \(segment): \(diagnostic)")
                #expect(diagnostic.message.contains("malformed quoting"), "\(diagnostic.message)")
            }
        }
    }

    @Test func keepsOnlyTheRegionsAskedFor() throws {
        let all = try imported(path)
        let two = try imported(path, regions: ["us-east-1", "eu-west-1"])
        #expect(
            Set(two.rows.map(\.key.region))
                == Set(["us-east-1", "eu-west-1"]).intersection(Set(all.rows.map(\.key.region))))
        #expect(two.rows.count == all.rows.filter { ["us-east-1", "eu-west-1"].contains($0.key.region) }.count)
        #expect(two.skipped[.regionNotSelected, default: 0] > 0)
    }

    @Test func readsTheOfferCodeVersionAndPublicationDate() throws {
        let head = try OfferHead.read(path: path).get()
        #expect(
            head.offer == .ec2 && head.version == "20250912225308" && head.publicationDate == "2025-09-12T22:53:08Z")
        #expect(head.source == "AWS Price List AmazonEC2 generated-ec2-4mb-seed7.csv, version 20250912225308")
        #expect(head.sourceDate == "2025-09-12" && head.columns.count == 91)
    }
}

@Suite struct HandWrittenOfferTests {
    @Test func keepsExactlyTheListPriceRowsReservedTermsAndVolumes() throws {
        let offer = try imported(write(OfferText.handWritten))
        let rows = offer.rows.map {
            "\($0.key.region) \($0.key.service) \($0.key.item) \($0.key.term) \($0.unit.rawValue) \(DecimalText.format($0.usd))"
        }
        #expect(
            rows.sorted() == [
                "ap-northeast-2 ec2 m5.metal on-demand hour 5.664",
                "us-east-1 ebs gp3 on-demand GB-month 0.08",
                "us-east-1 ec2 m5.large on-demand hour 0.096",
                "us-east-1 ec2 m5.large reserved-1yr-standard-no-upfront hour 0.06",
                "us-east-1 ec2 m5.large reserved-1yr-standard-partial-upfront hour 0.0285",
                "us-east-1 ec2 m5.large reserved-1yr-standard-partial-upfront upfront 250",
                "us-east-1 ec2 m5.large reserved-3yr-convertible-all-upfront hour 0",
                "us-east-1 ec2 m5.large reserved-3yr-convertible-all-upfront upfront 1390",
                "us-east-1 ec2-windows m5.large on-demand hour 0.188",
            ])
        // Operating system: the two rows of the Reserved Windows term (Windows is read on demand only).
        #expect(
            offer.skipped == [
                .capacity: 1, .software: 1, .operatingSystem: 2, .tenancy: 1, .notInRegion: 1, .productFamily: 1,
            ])
        // On-Demand Linux Shared: the list price, the metal one, the reservation (0) and SQL Web.
        #expect(offer.checkRows == 4)
        #expect(offer.checkSum == Decimal(string: "5.873"))  // 0.096 + 5.664 + 0 + 0.113
        #expect(offer.foundByRegion.map(\.region) == ["ap-northeast-2", "us-east-1"])
    }

    @Test func readsEKSECSAndVPCOffersByUsageType() throws {
        let columns = [
            "SKU", "OfferTermCode", "RateCode", "TermType", "PriceDescription", "EffectiveDate", "StartingRange",
            "EndingRange", "Unit", "PricePerUnit", "Currency", "Product Family", "serviceCode", "Location",
            "Location Type", "Group", "usageType", "operation", "Region Code", "serviceName",
        ]
        func row(
            _ usage: String, _ price: String, region: String = "us-east-1", unit: String = "Hrs",
            term: String = "OnDemand"
        ) -> String {
            OfferText.line([
                "S1", "JRTCKXETXF", "S1.JRTCKXETXF.6YS6EN2CT7", term, "$\(price) per unit, as described", "2025-09-01",
                "0", "Inf", unit, price, "USD", "Compute", "AmazonEKS", "US East (N. Virginia)", "AWS Region", "",
                usage, "CreateOperation", region, "Amazon Elastic Kubernetes Service",
            ])
        }
        let eks =
            OfferText.metadata(offer: "AmazonEKS", version: "20251001000000", published: "2025-10-01T00:00:00Z")
            + OfferText.line(columns)
            + row("USE1-AmazonEKS-Hours:perCluster", "0.1000000000")
            + row("USE1-AmazonEKS-Hours:extendedSupport", "0.5000000000")
            + row("USE1-Fargate-vCPU-Hours:perCPU", "0.0404800000", unit: "hours")
            + row("USE1-Fargate-GB-Hours", "0.0044450000", unit: "hours")
            + row("USE1-SpotUsage-Fargate-vCPU-Hours:perCPU", "0.0121400000")
            + row("USE1-Fargate-ARM-vCPU-Hours:perCPU", "0.0323800000")
            + row("APN2-AmazonEKS-Hours:perCluster", "0.1000000000", region: "ap-northeast-2")
        let ecs =
            OfferText.metadata(offer: "AmazonECS") + OfferText.line(columns)
            + row("USE1-Fargate-EphemeralStorage-GB-Hours", "0.0001110000")
        let vpc =
            OfferText.metadata(offer: "AmazonVPC") + OfferText.line(columns)
            + row("USE1-PublicIPv4:InUseAddress", "0.0050000000")
            + row("USE1-PublicIPv4:IdleAddress", "0.0050000000")
        func rows(_ text: String) throws -> [String] {
            try imported(write(text)).rows.map { "\($0.key) \($0.unit.rawValue) \(DecimalText.format($0.usd))" }
                .sorted()
        }
        #expect(
            try rows(eks) == [
                "eks cluster on-demand in ap-northeast-2 hour 0.1",
                "eks cluster on-demand in us-east-1 hour 0.1",
                "eks extended-support on-demand in us-east-1 hour 0.5",
                "fargate memory on-demand in us-east-1 GB-hour 0.004445",
                "fargate vcpu on-demand in us-east-1 vCPU-hour 0.04048",
            ])
        #expect(try rows(ecs) == ["fargate ephemeral-storage on-demand in us-east-1 GB-hour 0.000111"])
        #expect(try rows(vpc) == ["vpc public-ipv4 on-demand in us-east-1 hour 0.005"])
        #expect(try imported(write(eks)).skipped == [.usageType: 2])
    }

    @Test func twoPricesForOneKeyIsAnError() throws {
        let text =
            OfferText.metadata() + OfferText.line(OfferText.ec2Columns)
            + OfferText.ec2Row([:]) + OfferText.ec2Row(["PricePerUnit": "0.0970000000", "SKU": "SKU0000000000002"])
            + OfferText.ec2Row(["PricePerUnit": "0.0960000000", "SKU": "SKU0000000000003"])
        let diagnostic = try #require(failure(text))
        #expect(diagnostic.location?.line == 8)
        #expect(
            diagnostic.message
                == "record 8: ec2 m5.large on-demand in us-east-1 is 0.097 here but 0.096 in record 7; the file gives two prices for it"
        )
    }

    @Test func theSamePriceTwiceIsADuplicate() throws {
        let text =
            OfferText.metadata() + OfferText.line(OfferText.ec2Columns)
            + OfferText.ec2Row([:]) + OfferText.ec2Row(["SKU": "SKU0000000000002"])
        let offer = try imported(write(text))
        #expect(offer.rows.count == 1 && offer.skipped == [.duplicate: 1])
    }
}

@Suite struct BrokenOfferTests {
    let good = OfferText.handWritten

    @Test func aFileThatIsNotAnOfferFile() throws {
        let snapshot =
            "snapshot,snapshot_date,region,service,item,term,unit,usd,source,source_date\nx,2026-11-23,us-east-1,ec2,m5.large,on-demand,hour,0.096,s,2026-09\n"
        #expect(failure(snapshot)?.message.hasPrefix("not an AWS Price List offer file (CSV)") == true)
        #expect(
            failure("{\"formatVersion\": \"v1.0\", \"offerCode\": \"AmazonEC2\"}")?.message.hasPrefix(
                "this looks like the JSON offer file") == true)
        #expect(failure("")?.message.hasPrefix("the file is empty") == true)
        #expect(
            failure(OfferText.metadata(offer: "AmazonS3") + OfferText.line(OfferText.ec2Columns))?.message
                == "offer AmazonS3 is not one ekscost imports; it reads AmazonEC2, AmazonEKS, AmazonECS, AmazonVPC, AWSELB"
        )
    }

    @Test func missingColumnsAreNamedAtTheHeader() throws {
        let columns = OfferText.ec2Columns.filter { $0 != "Tenancy" && $0 != "Operating System" }
        let diagnostic = try #require(failure(OfferText.metadata() + OfferText.line(columns)))
        #expect(
            diagnostic.description.hasSuffix(
                "offer.csv:6: error: record 6: the AmazonEC2 header has no column 'Tenancy', 'Operating System'; is this an offer file of another kind or version?"
            ))
    }

    @Test func columnsAreFoundByNameNotPosition() throws {
        // The same rows with the columns in reverse order.
        var lines = good.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let parsed = try CSVReader(string: lines[5...].joined(separator: "\n")).readAll()
        lines = Array(lines[0..<5]) + parsed.map { OfferText.line($0.fields.reversed()).dropLast().description }
        let reversed = try imported(write(lines.joined(separator: "\n") + "\n"))
        let original = try imported(write(good))
        #expect(
            reversed.rows.map { "\($0.key) \($0.unit) \($0.usd)" }
                == original.rows.map { "\($0.key) \($0.unit) \($0.usd)" })
    }

    @Test func aRaggedRowIsAnErrorWithItsRecordAndLine() throws {
        var lines = good.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Line 17 is the Windows row: drop its last 46 fields.
        lines[16] = lines[16].split(separator: ",", omittingEmptySubsequences: false).prefix(45).joined(separator: ",")
        let diagnostic = try #require(failure(lines.joined(separator: "\n")))
        #expect(diagnostic.location?.line == 17)
        #expect(diagnostic.message == "record 17: 45 fields where the header has 91 (a ragged, cut or corrupt row)")
    }

    @Test func aBrokenQuoteIsAnError() throws {
        let text = good.replacingOccurrences(of: "\"Windows\",", with: "\"Win\"dows\",")
        let diagnostic = try #require(failure(text))
        #expect(diagnostic.location?.line == 17)
        #expect(diagnostic.message.hasPrefix("record 17: malformed quoting"))
    }

    @Test func aPriceThatIsNotANumberIsAnError() throws {
        let text = good.replacingOccurrences(of: "\"0.0285000000\"", with: "\"0,0285\"")
        let diagnostic = try #require(failure(text))
        #expect(diagnostic.location?.line == 8)
        #expect(
            diagnostic.message
                == "record 8: PricePerUnit '0,0285' is not a plain decimal number of at most 19 significant digits and 20 decimals, such as 0.0960000000"
        )
    }

    /// Cut the generated file at pseudo-random bytes: every cut that is not just after a line
    /// feed (where the shorter file is complete) fails with a located error.
    @Test func aFileCutAtAnyByteFailsCleanly() throws {
        let bytes = try #require(FileManager.default.contents(atPath: TestPaths.fixture("generated-ec2-4mb-seed7.csv")))
        var generator = SystemRandomNumberGenerator()
        var cuts = (0..<24).map { _ in Int.random(in: 1..<bytes.count, using: &generator) }
        cuts += [1, 100, 3000, bytes.count - 1, bytes.count - 2]
        let folder = TestPaths.temporaryFolder()
        for cut in cuts {
            let path = folder + "/cut-\(cut).csv"
            FileManager.default.createFile(atPath: path, contents: bytes.prefix(cut))
            let result = OfferImporter.read(path: path)
            if bytes[cut - 1] == 0x0A {
                // A cut at a line end leaves a complete, shorter file (AWS's files carry no row
                // count to tell), or only part of the metadata rows.
                if case .success(let offer) = result { #expect(offer.records < 5741) }
                continue
            }
            guard case .failure(let diagnostic) = result else {
                Issue.record("cut at byte \(cut) was not reported")
                continue
            }
            #expect(diagnostic.severity == .error && diagnostic.location?.file == path)
            let message = diagnostic.message
            #expect(
                message.contains("truncated") || message.contains("not an AWS Price List offer file")
                    || message.contains("where the header has 91"), "cut at \(cut): \(message)")
        }
    }
}

@Suite struct PriceValueTests {
    @Test func parsesOfferFilePricesExactly() {
        func parse(_ text: String) -> String? {
            Array(text.utf8).withUnsafeBufferPointer { PriceValue.parse($0.span)?.text }
        }
        #expect(parse("0.0960000000") == "0.096")
        #expect(parse("2750") == "2750")
        #expect(parse("0.0000000000") == "0")
        #expect(parse("21.3026400000") == "21.30264")
        #expect(parse("1000") == "1000")
        #expect(parse(".5") == "0.5")
        #expect(parse("0.0001110000") == "0.000111")
        #expect(parse("1234567890123456789") == "1234567890123456789")
        for bad in ["", ".", "1e5", "-1", "+1", "1,000", "$0.10", "0.1.2", "12345678901234567891", " 1"] {
            #expect(parse(bad) == nil, "\(bad)")
        }
    }

    @Test func writesTheSameTextAsDecimalText() {
        for text in ["0.096", "2750", "0", "0.000111", "5.664", "100.5", "0.0000001", "123456.789"] {
            let value = Array(text.utf8).withUnsafeBufferPointer { PriceValue.parse($0.span)! }
            #expect(value.text == DecimalText.format(Decimal(string: text)!))
            #expect(value.decimal == Decimal(string: text)!)
            #expect(value.textCount == value.text.utf8.count)
        }
        // Values the parse never makes (trailing zeros before the point, more decimals than the
        // file's) are written as Decimal writes them too: 275 × 10, 5 × 10³, 12345 × 10⁻², 7 × 10⁻²⁰.
        for (mantissa, exponent, text) in [
            (275, 1, "2750"), (5, 3, "5000"), (12345, -2, "123.45"), (7, -20, "0.00000000000000000007"),
            (UInt64.max, -5, "184467440737095.51615"), (0, 4, "0"),
        ] as [(UInt64, Int16, String)] {
            let value = PriceValue(mantissa: mantissa, exponent: exponent)
            #expect(value.text == text && value.textCount == text.utf8.count)
            #expect(value.text == DecimalText.format(Decimal(string: text)!))
        }
    }

    @Test func usageTypesLoseOnlyARegionPrefix() {
        #expect(PricedThing.usageName("USE1-Fargate-GB-Hours") == "Fargate-GB-Hours")
        #expect(PricedThing.usageName("EU-PublicIPv4:InUseAddress") == "PublicIPv4:InUseAddress")
        #expect(PricedThing.usageName("BoxUsage:m5.large") == "BoxUsage:m5.large")
        #expect(PricedThing.usageName("NatGateway-Hours") == "NatGateway-Hours")
        #expect(PricedThing.usageName("SpotUsage-Fargate-vCPU-Hours:perCPU") == "SpotUsage-Fargate-vCPU-Hours:perCPU")
        #expect(
            PricedThing.usageName("USE1-SpotUsage-Fargate-vCPU-Hours:perCPU") == "SpotUsage-Fargate-vCPU-Hours:perCPU")
    }
}

@Suite struct SnapshotAssemblyTests {
    @Test func importedPricesReplaceAndAddToTheBaseInSnapshotOrder() throws {
        let offer = try imported(write(OfferText.handWritten))
        let base = PriceSnapshot(
            id: "aws-2026-11", date: CalendarDate("2026-11-23")!,
            prices: [
                Price(
                    key: PriceKey(region: "us-east-1", service: "ec2", item: "m5.large"), unit: .hour,
                    usd: Decimal(string: "0.1")!,
                    source: "old", sourceDate: "2026-01"),
                Price(
                    key: PriceKey(region: "us-east-1", service: "eks", item: "cluster"), unit: .hour,
                    usd: Decimal(string: "0.10")!,
                    source: "AWS Price List AmazonEKS (2026-09)", sourceDate: "2026-09"),
            ])
        let assembly = SnapshotAssembly(id: "imported", date: CalendarDate("2025-09-12")!, base: base, offers: [offer])
        var bytes: [UInt8] = []
        try assembly.write(batchBytes: 100) { bytes += $0 }
        let folder = TestPaths.temporaryFolder()
        FileManager.default.createFile(atPath: folder + "/imported.csv", contents: Data(bytes))
        let (snapshot, diagnostics) = PriceSnapshotFile.read(path: folder + "/imported.csv")
        #expect(diagnostics.isEmpty)
        let s = try #require(snapshot)
        // 8 Linux rows and 1 Windows row from the file, the EKS fee from the base.
        #expect(s.count == 10 && assembly.count == 10 && assembly.fromBase == 1)
        let m5 = try #require(s.price(PriceKey(region: "us-east-1", service: "ec2", item: "m5.large")))
        #expect(m5.usd == Decimal(string: "0.096") && m5.sourceDate == "2025-09-12")
        #expect(m5.source.hasPrefix("AWS Price List AmazonEC2 offer.csv, version 20250912225308"))
        #expect(
            s.price(PriceKey(region: "us-east-1", service: "eks", item: "cluster"))?.source
                == "AWS Price List AmazonEKS (2026-09)")
        #expect(
            s.upfrontFee(
                PriceKey(
                    region: "us-east-1", service: "ec2", item: "m5.large", term: "reserved-1yr-standard-partial-upfront"
                ))?.usd == 250)
        // Written exactly as PriceSnapshotFile writes the snapshot it reads back.
        #expect(bytes == PriceSnapshotFile.bytes(of: s))
    }

    @Test func aRowLongerThanTheBatchIsWrittenWhole() throws {
        // A source of 10,000 characters makes a row longer than the writer's buffer (the batch
        // and 4 KiB), which must grow rather than cut the row.
        let price = Price(
            key: PriceKey(region: "us-east-1", service: "ec2", item: "m5.large"), unit: .hour,
            usd: Decimal(string: "0.096")!, source: String(repeating: "s", count: 10_000), sourceDate: "2026-01")
        let base = PriceSnapshot(id: "base", date: CalendarDate("2026-11-23")!, prices: [price])
        let assembly = SnapshotAssembly(id: "long", date: CalendarDate("2026-11-23")!, base: base, offers: [])
        var batches: [[UInt8]] = []
        try assembly.write(batchBytes: 10) { batches.append($0) }
        let expected = PriceSnapshotFile.bytes(
            of: PriceSnapshot(id: "long", date: CalendarDate("2026-11-23")!, prices: [price]))
        #expect(batches.joined().elementsEqual(expected))
        #expect(batches.count == 2 && batches[1].count > 10_000)  // the header, then the row
    }
}

/// The usage types and product families the importer maps to snapshot keys (Pricing/README.md,
/// "Keys"), as infracost and ec2instances.info name them.
@Suite struct PricedThingMappingTests {
    @Test func ebsPerformanceUsageTypesNameTheVolumeAndTier() {
        #expect(
            PricedThing.ebsPerformanceItem(usage: "EBS:VolumeP-IOPS.gp3").map { "\($0.0) \($0.1)" }
                == "ebsIOPS gp3-iops")
        #expect(PricedThing.ebsPerformanceItem(usage: "EBS:VolumeP-IOPS.piops").map(\.1) == "io1-iops")
        #expect(PricedThing.ebsPerformanceItem(usage: "EBS:VolumeP-IOPS.io2").map(\.1) == "io2-iops")
        #expect(PricedThing.ebsPerformanceItem(usage: "EBS:VolumeP-IOPS.io2.tier3").map(\.1) == "io2-iops-tier3")
        #expect(
            PricedThing.ebsPerformanceItem(usage: "EBS:VolumeP-Throughput.gp3").map { "\($0.0) \($0.1)" }
                == "ebsThroughput gp3-throughput")
        #expect(PricedThing.ebsPerformanceItem(usage: "EBS:VolumeUsage.gp3") == nil)
        #expect(PricedThing.ebsPerformanceItem(usage: "EBS:VolumeP-IOPS.io2.fast") == nil)
    }

    @Test func loadBalancersByFamilyAndUsage() {
        #expect(PricedThing.loadBalancer(family: "Load Balancer-Application", usage: "LCUUsage") == .elbApplicationLCU)
        #expect(PricedThing.loadBalancer(family: "Load Balancer-Network", usage: "LoadBalancerUsage") == .elbNetwork)
        #expect(PricedThing.loadBalancer(family: "Load Balancer", usage: "DataProcessing-Bytes") == .elbClassicData)
        #expect(PricedThing.loadBalancer(family: "Load Balancer-Gateway", usage: "LoadBalancerUsage") == nil)
        #expect(
            PricedThing.elbNetworkLCU.key(item: "", region: "eu-west-1").description
                == "elb nlb-lcu on-demand in eu-west-1")
        #expect(PricedThing.elbNetworkLCU.unit == .lcuHour && PricedThing.elbClassicData.unit == .gb)
    }

    @Test func controlPlaneTiersAreNamedAsTheEKSAPINamesThem() {
        #expect(PricedThing.controlPlaneTier(usage: "AmazonEKS-Hours:ProvisionedControlPlane-tier-2xl") == "tier-2xl")
        #expect(PricedThing.controlPlaneTier(usage: "AmazonEKS-Hours:TierXL") == "tier-xl")
        #expect(PricedThing.controlPlaneTier(usage: "AmazonEKS-Hours:perCluster") == nil)
        #expect(PricedThing.controlPlaneTier(usage: "AmazonEKS-Hours:tier") == nil)
    }

    @Test func windowsAndLinuxInstancesHaveDifferentKeys() {
        #expect(
            PricedThing.ec2Instance.key(item: "m5.large", region: "us-east-1")
                == .instance("m5.large", region: "us-east-1"))
        #expect(PricedThing.ec2WindowsInstance.key(item: "m5.large", region: "us-east-1").service == "ec2-windows")
    }
}

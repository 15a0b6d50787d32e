import EKSModel
import Foundation
import Testing

@testable import EKSInput

@Suite struct PriceSnapshotFileTests {
    let header = "snapshot,snapshot_date,region,service,item,term,unit,usd,source,source_date\n"

    @Test func readsASnapshotAndWritesItBackUnchanged() throws {
        let folder = TestPaths.temporaryFolder()
        let text =
            header + """
                t-1,2026-11-23,us-east-1,ec2,m5.large,on-demand,hour,0.0960000000,"AWS Price List, AmazonEC2",2026-09
                t-1,2026-11-23,us-east-1,ebs,gp3,on-demand,GB-month,0.08,AWS Price List,2026-09

                """
        TestPaths.write(text, to: folder + "/t-1.csv")
        let (snapshot, diagnostics) = PriceSnapshotFile.read(path: folder + "/t-1.csv")
        #expect(diagnostics.isEmpty)
        let s = try #require(snapshot)
        let price = try #require(s.price(PriceKey(region: "us-east-1", service: "ec2", item: "m5.large")))
        #expect(price.usd == Decimal(string: "0.096"))
        #expect(price.source == "AWS Price List, AmazonEC2")
        #expect(s.price(PriceKey(region: "us-east-1", service: "ebs", item: "gp3"))?.unit == .gbMonth)
        let written = String(decoding: PriceSnapshotFile.bytes(of: s), as: UTF8.self)
        #expect(
            written == header + """
                t-1,2026-11-23,us-east-1,ebs,gp3,on-demand,GB-month,0.08,AWS Price List,2026-09
                t-1,2026-11-23,us-east-1,ec2,m5.large,on-demand,hour,0.096,"AWS Price List, AmazonEC2",2026-09

                """)
    }

    @Test func reportsEveryBadRowWithItsLine() {
        let folder = TestPaths.temporaryFolder()
        let text =
            header + """
                t-2,2026-11-23,us-east-1,ec2,m5.large,on-demand,hour,0.096,src,2026-09
                t-2,2026-11-23,us-east-1,ec2,m5.large,on-demand,hour,0.097,src,2026-09
                t-2,2026-11-23,us-east-1,ec2,c5.large,on-demand,hours,0.085,src,2026-09
                t-2,2026-11-23,us-east-1,ec2,r5.large,on-demand,hour,$0.126,src,2026-09
                t-2,2026-11-23,us-east-1,ec2,t3.medium,on-demand,hour,0.0416,,
                t-3,2026-11-23,us-east-1,ec2,t3.small,on-demand,hour,0.0208,src,2026-09
                t-2,2026-11-23,us-east-1,ec2,t3.micro,on-demand,hour

                """
        TestPaths.write(text, to: folder + "/t-2.csv")
        let (snapshot, diagnostics) = PriceSnapshotFile.read(path: folder + "/t-2.csv")
        #expect(snapshot == nil)
        let lines = diagnostics.map { $0.location!.line }
        #expect(lines == [3, 4, 5, 6, 7, 8])
        #expect(diagnostics[0].message == "ec2 m5.large on-demand in us-east-1 is priced twice (first on line 2)")
        #expect(diagnostics[1].message.hasPrefix("unknown unit 'hours'"))
        #expect(diagnostics[2].message == "usd must be a plain decimal number such as 0.096, found '$0.126'")
        #expect(diagnostics[3].message == "every price needs its source and source_date")
        #expect(diagnostics[4].message == "snapshot column says 't-3' but the file is t-2.csv; they must agree")
        #expect(diagnostics[5].message == "expected 10 fields, found 7")
    }

    @Test func rejectsAFileThatIsNotASnapshot() {
        let folder = TestPaths.temporaryFolder()
        TestPaths.write("a,b\n1,2\n", to: folder + "/x.csv")
        let (_, diagnostics) = PriceSnapshotFile.read(path: folder + "/x.csv")
        #expect(
            diagnostics.map(\.description) == [
                "\(folder)/x.csv:1: error: not a price snapshot: the header must be snapshot,snapshot_date,region,service,item,term,unit,usd,source,source_date"
            ])
    }

    @Test func keepsAReservedRateAndItsUpfrontFeeUnderOneKey() throws {
        let folder = TestPaths.temporaryFolder()
        let text =
            header + """
                r-1,2026-11-23,us-east-1,ec2,m5.large,on-demand,hour,0.096,src,2026-09
                r-1,2026-11-23,us-east-1,ec2,m5.large,reserved-1yr-standard-partial-upfront,hour,0.0285,src,2026-09
                r-1,2026-11-23,us-east-1,ec2,m5.large,reserved-1yr-standard-partial-upfront,upfront,250,src,2026-09

                """
        TestPaths.write(text, to: folder + "/r-1.csv")
        let (snapshot, diagnostics) = PriceSnapshotFile.read(path: folder + "/r-1.csv")
        #expect(diagnostics.isEmpty)
        let s = try #require(snapshot)
        let key = PriceKey(
            region: "us-east-1", service: "ec2", item: "m5.large", term: "reserved-1yr-standard-partial-upfront")
        #expect(s.price(key)?.usd == Decimal(string: "0.0285") && s.price(key)?.unit == .hour)
        #expect(s.upfrontFee(key)?.usd == 250 && s.upfrontFee(key)?.unit == .upfront)
        #expect(s.count == 3)
        #expect(String(decoding: PriceSnapshotFile.bytes(of: s), as: UTF8.self) == text)
    }

    @Test func rejectsTwoUpfrontFeesForOneKey() {
        let folder = TestPaths.temporaryFolder()
        TestPaths.write(
            header + """
                r-2,2026-11-23,us-east-1,ec2,m5.large,reserved-3yr-standard-all-upfront,upfront,1500,src,2026-09
                r-2,2026-11-23,us-east-1,ec2,m5.large,reserved-3yr-standard-all-upfront,upfront,1600,src,2026-09

                """, to: folder + "/r-2.csv")
        let (_, diagnostics) = PriceSnapshotFile.read(path: folder + "/r-2.csv")
        #expect(
            diagnostics.map(\.message) == [
                "ec2 m5.large reserved-3yr-standard-all-upfront in us-east-1 has two upfront fees (first on line 2)"
            ])
    }

    @Test func reportsABrokenQuoteWithItsLine() {
        let folder = TestPaths.temporaryFolder()
        TestPaths.write(
            header + "t,2026-11-23,us-east-1,ec2,m5.large,on-demand,hour,0.096,\"unterminated,2026\n",
            to: folder + "/t.csv")
        let (_, diagnostics) = PriceSnapshotFile.read(path: folder + "/t.csv")
        #expect(diagnostics.first?.location?.line == 2)
        #expect(diagnostics.first?.message.contains("never closed") == true)
    }
}

@Suite struct InstanceCatalogTests {
    @Test func readsDescribeInstanceTypesPages() throws {
        let types = try InstanceTypesImporter.read(
            path: TestPaths.fixture("describe-instance-types-pages.json"), source: "test")
        #expect(types.map(\.type.name) == ["m5.large", "t3.medium", "m7g.large", "p4d.24xlarge"])
        let m5 = types[0].type
        #expect(
            m5
                == InstanceType(
                    name: "m5.large", vcpu: 2, memoryMiB: 8192, architecture: "x86_64", hypervisor: "nitro",
                    enis: 3, ipv4PerENI: 10, gpus: 0, bareMetal: false, burstable: false, currentGeneration: false))
        #expect(types[1].type.burstable)
        #expect(types[2].type.architecture == "arm64")
        // p4d.24xlarge has 60 ENIs over 4 network cards; pods use only the default card's 15.
        #expect(types[3].type.enis == 15)
        #expect(types[3].type.gpus == 8)
    }

    @Test func readsMotosGzippedKeyedCopy() throws {
        let types = try InstanceTypesImporter.read(path: TestPaths.fixture("moto-keyed.json.gz"), source: "moto")
        #expect(types.map(\.type.name) == ["a1.medium", "c5.metal", "mac1.metal"])
        #expect(types[1].type.bareMetal && types[1].type.hypervisor == "")
        #expect(types[0].type.vcpu == 1 && types[0].type.enis == 2 && types[0].type.ipv4PerENI == 4)
    }

    @Test func laterFilesReplaceEarlierTypes() {
        let a = [
            SourcedInstanceType(
                type: InstanceType(
                    name: "x.large", vcpu: 2, memoryMiB: 1, architecture: "x86_64", hypervisor: "nitro", enis: 1,
                    ipv4PerENI: 2), source: "a")
        ]
        let b = [
            SourcedInstanceType(
                type: InstanceType(
                    name: "x.large", vcpu: 4, memoryMiB: 1, architecture: "x86_64", hypervisor: "nitro", enis: 1,
                    ipv4PerENI: 2), source: "b")
        ]
        #expect(InstanceTypesImporter.merge([a, b]).map(\.source) == ["b"])
    }

    @Test func rejectsJSONThatIsNotInstanceData() {
        let folder = TestPaths.temporaryFolder()
        TestPaths.write("{\"Reservations\": []}", to: folder + "/r.json")
        #expect(throws: InstanceTypesImporter.ImportError.self) {
            try InstanceTypesImporter.read(path: folder + "/r.json", source: "x")
        }
        TestPaths.write("{\"InstanceTypes\": [", to: folder + "/t.json")
        #expect(throws: InstanceTypesImporter.ImportError.self) {
            try InstanceTypesImporter.read(path: folder + "/t.json", source: "x")
        }
    }

    @Test func theBundledCatalogHasEveryP3Size() throws {
        // AWS Batch User Guide, "GPU jobs": p3.2xlarge 1 GPU, 16 GiB GPU memory, 8 vCPUs, 61 GiB;
        // p3.16xlarge 8 GPUs, 128 GiB, 64 vCPUs, 488 GiB. EC2 User Guide, IP addresses per network
        // interface: 4 ENIs × 15 IPv4, and 8 × 30. amazon-eks-ami eni-max-pods.txt: 58 and 234 pods
        // (4 × 14 + 2, 8 × 29 + 2).
        let root = URL(fileURLWithPath: TestPaths.fixtures).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let (catalog, diagnostics) = InstanceCatalogFile.read(path: root.path + "/Pricing/instance-types.csv")
        #expect(!diagnostics.hasErrors)
        for (name, vcpu, gib, gpus, gpuGiB, enis, ipv4, pods) in [
            ("p3.2xlarge", 8, 61, 1, 16, 4, 15, 58), ("p3.16xlarge", 64, 488, 8, 128, 8, 30, 234),
        ] {
            let type = try #require(catalog?[name], "\(name) is in the catalog")
            #expect(
                type.vcpu == vcpu && type.memoryMiB == gib * 1024 && type.gpus == gpus
                    && type.gpuMemoryMiB == gpuGiB * 1024)
            #expect(type.enis == enis && type.ipv4PerENI == ipv4 && type.architecture == "x86_64")
            #expect(PodsPerNode.maxPods(type, mode: .secondaryIP, cap: .none) == pods)
        }
    }

    @Test func catalogRoundTripsThroughItsCSV() throws {
        let types = try InstanceTypesImporter.read(
            path: TestPaths.fixture("describe-instance-types-pages.json"), source: "pages, 2026")
        let folder = TestPaths.temporaryFolder()
        FileManager.default.createFile(atPath: folder + "/c.csv", contents: Data(InstanceCatalogFile.bytes(of: types)))
        let (catalog, diagnostics) = InstanceCatalogFile.read(path: folder + "/c.csv")
        #expect(diagnostics.isEmpty)
        #expect(catalog?["m5.large"] == types[0].type)
        #expect(catalog?.source == "pages, 2026")
    }
}

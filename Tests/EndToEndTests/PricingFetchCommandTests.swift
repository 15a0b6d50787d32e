import Foundation
import Testing

/// `ekscost pricing fetch` against `scripts/price-mirror` on 127.0.0.1: AWS's layout, generated
/// files, and each way a download can fail. Never the network, never the real home.
@Suite(.serialized) struct PricingFetchCommandTests {
    static let types = "--types=m5.large,t3.medium,t2.large"

    private func files(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }

    private func fetch(_ arguments: [String], into folder: String) throws -> Binary.Run {
        try Binary.run(["pricing", "fetch"] + arguments, environment: ["EKSCOST_PRICING_DIR": folder])
    }

    @Test func fetchesOneDatedSnapshotAndARerunDownloadsNothing() throws {
        let mirror = try PriceMirror(["us-east-1", "eu-west-1", Self.types, "--version", "20261101000000"])
        let folder = Binary.temporaryFolder()
        let run = try fetch(["eu-west-1", "us-east-1", "--endpoint", mirror.endpoint], into: folder)
        #expect(run.status == 0, "\(run.stderr)")
        let snapshots = files(folder)
        #expect(
            snapshots.count == 1 && snapshots[0].hasPrefix("aws-") && snapshots[0].hasSuffix(".csv"), "\(snapshots)")
        #expect(run.stdout.contains("AmazonEC2 eu-west-1 version 20261101000000"))
        let text = try #require(Binary.read(folder + "/" + snapshots[0]))
        // The mirror's fixed (synthetic) rows, as written by scripts/price-mirror: EKS 0.10 and
        // 0.50 per cluster-hour, public IPv4 0.005 per hour; Windows kept apart from Linux.
        #expect(
            text.contains(
                ",eu-west-1,eks,cluster,on-demand,hour,0.1,\"AWS Price List AmazonEKS eu-west-1, version 20261101000000\",2026-11-01\n"
            ))
        #expect(text.contains(",us-east-1,eks,extended-support,on-demand,hour,0.5,"))
        #expect(text.contains(",us-east-1,vpc,public-ipv4,on-demand,hour,0.005,"))
        #expect(
            text.contains(",us-east-1,ec2,m5.large,on-demand,hour,")
                && text.contains(",us-east-1,ec2-windows,m5.large,on-demand,hour,"))
        #expect(
            text.contains(",us-east-1,elb,alb,on-demand,hour,")
                && text.contains(",us-east-1,elb,nlb-lcu,on-demand,LCU-hour,"))
        #expect(
            text.contains(",us-east-1,ebs,gp3-iops,on-demand,IOPS-month,")
                && text.contains(",us-east-1,ebs,io2-iops-tier3,on-demand,IOPS-month,"))
        #expect(text.contains(",us-east-1,ebs,gp3-throughput,on-demand,GiBps-month,"))
        #expect(
            text.contains(",us-east-1,eks-auto-mode,m5.large,on-demand,hour,")
                && text.contains(",us-east-1,eks,control-plane-tier-2xl,on-demand,hour,3.4,"))
        #expect(!text.contains("RHEL"))

        let list = try Binary.run(["pricing", "list"], environment: ["EKSCOST_PRICING_DIR": folder])
        let row = list.stdout.split(separator: "\n").first { $0.hasPrefix(snapshots[0].dropLast(4)) }
        #expect(
            row?.contains("eu-west-1 us-east-1") == true
                && row?.contains("AWSELB AmazonEC2 AmazonECS AmazonEKS AmazonVPC") == true,
            "\(list.stdout)")

        let again = try fetch(["us-east-1", "eu-west-1", "--endpoint", mirror.endpoint], into: folder)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout == "prices are up to date for us-east-1, eu-west-1; nothing downloaded\n")
        #expect(again.stderr.contains("us-east-1: AWS's files are unchanged (AmazonEC2 20261101000000"))
        #expect(files(folder) == snapshots)
    }

    @Test func theRegionsOfTheForFilesAreFetched() throws {
        let mirror = try PriceMirror(["eu-west-1", Self.types])
        let folder = Binary.temporaryFolder()
        let cluster = Binary.temporaryFolder() + "/cluster.yaml"
        try
            "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  name: c\n  region: eu-west-1\nmanagedNodeGroups:\n  - name: ng\n    instanceType: m5.large\n"
            .write(toFile: cluster, atomically: true, encoding: .utf8)
        let run = try fetch(["--for", cluster, "--endpoint", mirror.endpoint, "--quiet"], into: folder)
        #expect(run.status == 0 && run.stdout.isEmpty, "\(run.stderr)")
        // The fetched snapshot is the newest covering eu-west-1: estimate finds it without flags.
        let out = Binary.temporaryFolder()
        let estimate = try Binary.run(
            ["estimate", "--eksctl", cluster, "--out", out, "--format", "md"],
            environment: ["EKSCOST_PRICING_DIR": folder])
        #expect(estimate.status == 0, "\(estimate.stderr)")
        let report = try #require(Binary.read(out + "/c/estimate.md"))
        #expect(report.contains("is the newest snapshot that covers eu-west-1"), "\(report)")
    }

    /// Each failure: status 1, one message naming the URL and the way out, and the folder exactly
    /// as it was (an earlier snapshot untouched, no spool file left).
    @Test(arguments: [
        ("missing:AmazonEC2:us-east-1", "404 Not Found"),
        ("truncated:AmazonEC2:us-east-1", "the download stopped after"),
        ("long-length:AmazonEKS:us-east-1", "bytes remaining to read"),
        ("corrupt:AmazonEC2:us-east-1", "malformed quoting"),
    ])
    func aFailedDownloadWritesNothing(fault: String, says: String) throws {
        let mirror = try PriceMirror(["us-east-1", Self.types, "--fault", fault])
        let folder = Binary.temporaryFolder()
        let earlier =
            "snapshot,snapshot_date,region,service,item,term,unit,usd,source,source_date\nearlier,2026-01-01,us-east-1,eks,cluster,on-demand,hour,0.10,s,2026-01\n"
        try earlier.write(toFile: folder + "/earlier.csv", atomically: true, encoding: .utf8)
        let run = try fetch(["us-east-1", "--endpoint", mirror.endpoint], into: folder)
        #expect(run.status == 1)
        #expect(run.stderr.contains(says), "\(run.stderr)")
        #expect(run.stderr.contains(mirror.endpoint + "/offers/v1.0/aws/"), "names the URL: \(run.stderr)")
        #expect(run.stderr.contains("ekscost pricing import"), "says what to do: \(run.stderr)")
        #expect(run.stderr.contains("nothing fetched; the existing snapshots are unchanged"))
        #expect(files(folder) == ["earlier.csv"])
        #expect(Binary.read(folder + "/earlier.csv") == earlier)
    }

    /// A server that announces no length: the file is read once complete, and the snapshot is
    /// the one a fetch of the same files with their lengths (read while they arrive) writes.
    @Test func aFileWithoutItsLengthGivesTheSameSnapshot() throws {
        var texts: [String] = []
        for faults in [[], ["--fault", "no-length:AmazonEC2:us-east-1", "--fault", "no-length:AmazonEKS:us-east-1"]] {
            let mirror = try PriceMirror(
                ["us-east-1", Self.types, "--version", "20261101000000", "--pad-mb", "3"] + faults)
            let folder = Binary.temporaryFolder()
            let run = try fetch(["us-east-1", "--endpoint", mirror.endpoint, "--quiet"], into: folder)
            #expect(run.status == 0, "\(run.stderr)")
            let snapshots = files(folder)
            #expect(snapshots.count == 1, "\(snapshots)")
            // Spot rows name the mirror's port and the time they were read: left out.
            let text = try #require(Binary.read(folder + "/" + snapshots[0]))
            texts.append(
                text.split(separator: "\n").filter { !$0.contains("Spot pricing page") }.joined(separator: "\n"))
        }
        #expect(texts[0] == texts[1])
        #expect(texts[0].contains(",us-east-1,ec2,m5.large,on-demand,hour,"))
    }

    /// A broken row just after the header of a file that trickles out (4 KiB every 50 ms; about
    /// 26 s for its 2 MB): the error, with its line, comes as soon as the row has arrived, and
    /// the rest is not downloaded.
    @Test func aBrokenRowStopsTheDownloadAtOnce() throws {
        let mirror = try PriceMirror([
            "us-east-1", Self.types, "--pad-mb", "2",
            "--fault", "slow:AmazonEC2:us-east-1", "--fault", "corrupt-early:AmazonEC2:us-east-1",
        ])
        let folder = Binary.temporaryFolder()
        let started = Date()
        let run = try fetch(["us-east-1", "--endpoint", mirror.endpoint], into: folder)
        #expect(run.status == 1)
        #expect(run.stderr.contains("us-east-1/index.csv (line 7): record 7: malformed quoting"), "\(run.stderr)")
        #expect(Date().timeIntervalSince(started) < 13, "stopped well before the end of the download")
        #expect(files(folder).isEmpty, "\(files(folder))")
    }

    @Test func offlineFailsAtOnceWithTheWayOut() throws {
        let folder = Binary.temporaryFolder()
        let started = Date()
        // Port 1 on loopback: nothing listens, the connection is refused as when offline.
        let run = try fetch(["eu-west-1", "--endpoint", "http://127.0.0.1:1"], into: folder)
        #expect(run.status == 1)
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(
            run.stderr.contains("cannot fetch http://127.0.0.1:1/offers/v1.0/aws/index.json: cannot connect"),
            "\(run.stderr)")
        #expect(run.stderr.contains("download the files elsewhere and run 'ekscost pricing import FILE…'"))
        #expect(files(folder).isEmpty)
    }

    /// libcurl reads the usual proxy variables itself. A host that never resolves (`.invalid`,
    /// RFC 6761) is fetched through the mirror acting as the proxy; through a proxy that is not
    /// there (port 1) the fetch fails naming it, unless NO_PROXY names the host.
    @Test func theProxyVariablesAreHonoured() throws {
        let mirror = try PriceMirror(["us-east-1", Self.types])
        func run(endpoint: String, proxy: String, noProxy: String) throws -> Binary.Run {
            try Binary.run(
                ["pricing", "fetch", "us-east-1", "--endpoint", endpoint, "--quiet"],
                environment: [
                    "EKSCOST_PRICING_DIR": Binary.temporaryFolder(), "http_proxy": proxy,
                    "no_proxy": noProxy, "NO_PROXY": noProxy,
                ])
        }
        let proxied = try run(endpoint: "http://prices.invalid", proxy: mirror.endpoint, noProxy: "")
        #expect(proxied.status == 0, "\(proxied.stderr)")
        let refused = try run(endpoint: mirror.endpoint, proxy: "http://127.0.0.1:1", noProxy: "")
        #expect(
            refused.status == 1 && refused.stderr.contains("cannot connect")
                && refused.stderr.contains("127.0.0.1 port 1"), "\(refused.stderr)")
        let direct = try run(endpoint: mirror.endpoint, proxy: "http://127.0.0.1:1", noProxy: "127.0.0.1")
        #expect(direct.status == 0, "\(direct.stderr)")
    }

    @Test func aRegionAWSDoesNotPublishIsNamed() throws {
        let mirror = try PriceMirror(["us-east-1", Self.types])
        let run = try fetch(["eu-south-9", "--endpoint", mirror.endpoint], into: Binary.temporaryFolder())
        #expect(run.status == 1)
        #expect(run.stderr.contains("AWS publishes no AmazonEC2 prices for region eu-south-9"), "\(run.stderr)")
    }

    /// Killed mid-download: no snapshot. SIGTERM removes the spool file at once; after SIGKILL
    /// the next fetch removes the one the dead process left. (A file without a Content-Length:
    /// one with it is scanned from memory, never spooled; scripts/kill-test kills those.)
    @Test func killedMidDownloadLeavesNoSnapshot() throws {
        let slow = try PriceMirror([
            "us-east-1", Self.types, "--fault", "slow:AmazonEC2:us-east-1", "--fault", "no-length:AmazonEC2:us-east-1",
        ])
        for signal in [SIGTERM, SIGKILL] {
            let folder = Binary.temporaryFolder()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Binary.path)
            process.arguments = ["pricing", "fetch", "us-east-1", "--endpoint", slow.endpoint, "--quiet"]
            process.environment = ProcessInfo.processInfo.environment.merging(["EKSCOST_PRICING_DIR": folder]) { $1 }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(20)
            while !files(folder).contains(where: { $0.hasPrefix(".ekscost-fetch-") }) && Date() < deadline {
                Thread.sleep(forTimeInterval: 0.05)
            }
            #expect(files(folder).contains { $0.hasPrefix(".ekscost-fetch-") }, "the download started")
            kill(process.processIdentifier, signal)
            process.waitUntilExit()
            #expect(!files(folder).contains { $0.hasSuffix(".csv") && !$0.hasPrefix(".") }, "no snapshot")
            if signal == SIGTERM {
                #expect(files(folder).isEmpty, "\(files(folder))")
            } else {
                let healthy = try PriceMirror(["us-east-1", Self.types])
                let run = try fetch(["us-east-1", "--endpoint", healthy.endpoint, "--quiet"], into: folder)
                #expect(run.status == 0, "\(run.stderr)")
                #expect(files(folder).count == 1 && !files(folder)[0].hasPrefix("."), "\(files(folder))")
            }
        }
    }
}

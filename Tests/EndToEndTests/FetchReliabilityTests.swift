import Foundation
import Testing

/// Issue 13's rules on issue 10's commands: `pricing fetch` cleans up after killed runs with the
/// same mechanism as every writer (one naming scheme, `.ekscost-…`), refuses inputs that are not
/// regular files, checks the numbers it reads, and is cron-quiet.
@Suite(.serialized) struct FetchReliabilityTests {
    static let types = "--types=m5.large"
    /// A process number that is not running: above the kernel's pid_max.
    static let gone = 4_194_305

    private func files(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }

    private func fetch(_ arguments: [String], into folder: String) throws -> Binary.Run {
        try Binary.run(["pricing", "fetch"] + arguments, environment: ["EKSCOST_PRICING_DIR": folder])
    }

    /// What killed fetches, imports and estimates left (spools, half-written snapshots, legacy
    /// names) goes; a file of the user's that merely looks similar stays.
    @Test func fetchRemovesWhatKilledRunsLeftAndNothingElse() throws {
        let mirror = try PriceMirror(["us-east-1", Self.types])
        let folder = Binary.temporaryFolder()
        let stale = [
            ".ekscost-fetch-\(Self.gone)-AmazonEC2-us-east-1.csv", ".ekscost-tmp-\(Self.gone)-aws-2026-11-30.csv",
            ".aws-2026-11.csv.\(Self.gone).tmp",
        ]
        let kept = ["notes.txt", ".ekscost-notes", "ekscost-fetch-\(Self.gone)-x.csv"]
        for name in stale + kept {
            FileManager.default.createFile(atPath: "\(folder)/\(name)", contents: Data("x".utf8))
        }
        let run = try fetch(["us-east-1", "--endpoint", mirror.endpoint, "--quiet"], into: folder)
        #expect(run.status == 0, "\(run.stderr)")
        let left = files(folder)
        #expect(left.filter { !$0.hasPrefix("aws-") } == kept.sorted(), "\(left)")
        #expect(left.filter { $0.hasPrefix("aws-") && $0.hasSuffix(".csv") }.count == 1, "\(left)")
    }

    /// `instances import --merge` writes the catalog as snapshots are written, and cleans first.
    @Test func instancesImportWritesAtomicallyAndCleansTheFolder() throws {
        let folder = Binary.temporaryFolder()
        try FileManager.default.copyItem(
            atPath: Binary.packageRoot.path + "/Pricing/instance-types.csv", toPath: folder + "/instance-types.csv")
        FileManager.default.createFile(
            atPath: "\(folder)/.ekscost-tmp-\(Self.gone)-instance-types.csv", contents: Data("half".utf8))
        let types = Binary.temporaryFolder() + "/types.json"
        try
            #"{"InstanceTypes": [{"InstanceType": "zz9.large", "VCpuInfo": {"DefaultVCpus": 2}, "MemoryInfo": {"SizeInMiB": 8192}, "NetworkInfo": {"MaximumNetworkInterfaces": 3, "Ipv4AddressesPerInterface": 10}, "ProcessorInfo": {"SupportedArchitectures": ["x86_64"]}, "Hypervisor": "nitro"}]}"#
            .write(toFile: types, atomically: true, encoding: .utf8)
        let run = try Binary.run([
            "instances", "import", types, "--merge", "--pricing", folder, "--source", "hand-written test type",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(files(folder) == ["instance-types.csv"])
        let catalog = try #require(Binary.read(folder + "/instance-types.csv"))
        #expect(
            catalog.contains("\nzz9.large,2,8192,x86_64,nitro,3,10,0,0,false,false,false,hand-written test type\n"),
            "\(catalog.suffix(300))")
        #expect(catalog.contains("\nm5.large,2,8192,"))
    }

    /// A FIFO given with `--for` blocked the fetch forever; a FIFO in the pricing folder blocked
    /// every scenario command (the newest covering snapshot is chosen by each file's date).
    @Test func fifosAreRefusedAtOnce() throws {
        let folder = Binary.temporaryFolder()
        let fifo = folder + "/cluster.yaml"
        #expect(mkfifo(fifo, 0o644) == 0)
        let run = try HostileInputTests.run(
            ["pricing", "fetch", "--for", fifo, "--endpoint", "http://127.0.0.1:1"], seconds: 10,
            environment: ["EKSCOST_PRICING_DIR": folder])
        #expect(!run.timedOut, "blocked on the FIFO")
        #expect(
            run.status == 1
                && run.stderr.contains(
                    "\(fifo):1: error: cannot open --for file: is a FIFO (named pipe), not a regular file"),
            "\(run.stderr)")

        let pricing = Binary.temporaryFolder()
        #expect(mkfifo(pricing + "/aws-2027-01-01.csv", 0o644) == 0)
        // The eksctl route names no snapshot: the newest covering us-east-1 is looked for.
        let estimate = try HostileInputTests.run(
            [
                "validate", "--eksctl", "Examples/ticketing/cluster.yaml",
                "--manifests", "Examples/ticketing/k8s/",
            ], seconds: 10,
            environment: ["EKSCOST_PRICING_DIR": pricing])
        #expect(!estimate.timedOut, "blocked on the FIFO in the pricing folder")
        #expect(estimate.status == 0, "\(estimate.stderr)")
    }

    /// The version in a region index is a number read with a range, as every number from input.
    @Test func aVersionThatIsNotANumberIsAnError() throws {
        let mirror = try PriceMirror(["us-east-1", Self.types, "--version", "20261101000000x"])
        let folder = Binary.temporaryFolder()
        let run = try fetch(["us-east-1", "--endpoint", mirror.endpoint], into: folder)
        #expect(run.status == 1)
        #expect(
            run.stderr.contains(
                "region us-east-1: the version in currentVersionUrl must be a whole number from 0 to 99999999999999, found '20261101000000x'"
            ), "\(run.stderr)")
        #expect(files(folder).isEmpty)
    }

    /// `--quiet` prints nothing but errors; its warnings come back with `--warnings`.
    @Test func quietPrintsOnlyErrorsAndWarningsComeBackWithTheFlag() throws {
        let mirror = try PriceMirror(["us-east-1", Self.types, "--fault", "missing:spot"])
        let quiet = try fetch(["us-east-1", "--endpoint", mirror.endpoint, "--quiet"], into: Binary.temporaryFolder())
        #expect(quiet.status == 0 && quiet.stdout.isEmpty && quiet.stderr.isEmpty, "\(quiet.stdout)\(quiet.stderr)")
        let warned = try fetch(
            ["us-east-1", "--endpoint", mirror.endpoint, "--quiet", "--warnings"], into: Binary.temporaryFolder())
        #expect(warned.status == 0 && warned.stdout.isEmpty, "\(warned.stdout)")
        #expect(warned.stderr.contains("warning: no Spot prices: "), "\(warned.stderr)")

        // A rerun with nothing new says so on stderr, except with --quiet.
        let folder = Binary.temporaryFolder()
        _ = try fetch(["us-east-1", "--endpoint", mirror.endpoint, "--quiet"], into: folder)
        let again = try fetch(["us-east-1", "--endpoint", mirror.endpoint, "--quiet"], into: folder)
        #expect(again.status == 0 && again.stdout.isEmpty && again.stderr.isEmpty, "\(again.stdout)\(again.stderr)")
        let loud = try fetch(["us-east-1", "--endpoint", mirror.endpoint], into: folder)
        #expect(loud.stderr.contains("us-east-1: AWS's files are unchanged"), "\(loud.stderr)")
    }
}

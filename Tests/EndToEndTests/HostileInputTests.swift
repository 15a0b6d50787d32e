import Foundation
import Testing

/// Issue 13, black box: inputs that crashed, hung or were skipped in silence now give one
/// clear error each, at once; `--quiet` prints nothing but errors.
@Suite(.serialized) struct HostileInputTests {
    /// Runs the binary, killed after `seconds` (a read that blocks must fail the test, not hang it).
    static func run(
        _ arguments: [String], seconds: Double = 20, environment: [String: String] = [:],
        executable: String = Binary.path
    ) throws -> (status: Int32, stderr: String, timedOut: Bool) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = Binary.packageRoot
        var env = ProcessInfo.processInfo.environment
        // Never the real home: an empty user pricing folder unless the test names one.
        env["EKSCOST_PRICING_DIR"] = Binary.emptyPricingFolder
        env["SWIFT_BACKTRACE"] = "enable=no"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        let timedOut = process.isRunning
        if timedOut { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        let data = err.fileHandleForReading.readDataToEndOfFile()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self), timedOut)
    }

    static func folderWithExamples() throws -> String {
        let folder = Binary.temporaryFolder()
        try FileManager.default.copyItem(atPath: Binary.packageRoot.path + "/Examples", toPath: folder + "/Examples")
        return folder
    }

    /// A load-curve value of 2^63 crashed every command, `validate` included.
    @Test func validateReportsAHugeCurveValueInsteadOfCrashing() throws {
        let folder = try Self.folderWithExamples()
        let curve = folder + "/Examples/curves/web-daily.csv"
        let text = try String(contentsOfFile: curve, encoding: .utf8)
        try text.replacingOccurrences(of: "\n0,600,720\n", with: "\n0,9223372036854775808,720\n").write(
            toFile: curve, atomically: true, encoding: .utf8)
        let run = try Self.run(["validate", folder + "/Examples/daily-traffic.yaml"])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(
            run.stderr.contains(
                "web-daily.csv:2: error: 'web_cpu_millicores' must be from 0 to 1000000000000, found '9223372036854775808'"
            ))
    }

    /// A FIFO given as a scenario, curve, snapshot, offer or report blocked forever.
    @Test func aFIFOIsOneErrorAtOnceWhereverAFileIsRead() throws {
        let folder = try Self.folderWithExamples()
        let fifo = folder + "/pipe.csv"
        #expect(mkfifo(fifo, 0o644) == 0)
        let curveFIFO = folder + "/Examples/curves/web-daily.csv"
        try FileManager.default.removeItem(atPath: curveFIFO)
        #expect(mkfifo(curveFIFO, 0o644) == 0)
        let runs: [([String], String)] = [
            (["validate", fifo], "cannot open scenario: is a FIFO (named pipe), not a regular file"),
            (
                ["validate", folder + "/Examples/daily-traffic.yaml"],
                "cannot open load curve: is a FIFO (named pipe), not a regular file"
            ),
            (
                ["validate", "Examples/forty-pods.yaml", "--pricing", fifo],
                "cannot open: is a FIFO (named pipe), not a regular file"
            ),
            (
                ["pricing", "import", fifo, "--snapshot", "x", "--pricing", folder],
                "cannot open: is a FIFO (named pipe), not a regular file"
            ),
            (["diff", fifo, "Reports/forty-pods"], "cannot open: is a FIFO (named pipe), not a regular file"),
        ]
        for (arguments, message) in runs {
            let run = try Self.run(arguments, seconds: 10)
            #expect(!run.timedOut, "blocked: ekscost \(arguments.joined(separator: " "))")
            #expect(
                run.status == 1 && run.stderr.contains(message),
                "ekscost \(arguments.joined(separator: " ")): \(run.stderr)")
        }
    }

    /// An offer "file" that is a folder crashed (FileHandle traps on reading a folder).
    @Test func anOfferFileThatIsAFolderIsAnError() throws {
        let folder = Binary.temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder + "/index.csv", withIntermediateDirectories: true)
        let run = try Self.run(["pricing", "import", folder + "/index.csv", "--snapshot", "x", "--pricing", folder])
        #expect(run.status == 1)
        #expect(
            run.stderr.contains("index.csv:1: error: cannot open: is a folder, not a regular file"), "\(run.stderr)")
    }

    /// An unreadable manifests sub-folder was skipped without a word: 428.97 instead of 577.13,
    /// exit 0. Permissions only bind a user other than root, so the binary runs as nobody.
    @Test func anUnreadableManifestsFolderIsAnError() throws {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else { return }
        let folder = try Self.folderWithExamples()
        try FileManager.default.copyItem(atPath: Binary.packageRoot.path + "/Pricing", toPath: folder + "/Pricing")
        let k8s = folder + "/Examples/ticketing/k8s"
        try FileManager.default.createDirectory(atPath: k8s + "/private", withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: k8s + "/api.yaml", toPath: k8s + "/private/api.yaml")
        // Everything readable by nobody but the sub-folder.
        _ = try Self.run(["-R", "a+rX", folder], executable: "/bin/chmod")
        _ = try Self.run(["a+x", NSTemporaryDirectory()], executable: "/bin/chmod")
        #expect(chmod(k8s + "/private", 0o700) == 0)
        let run = try Self.run(
            [
                "--reuid=65534", "--regid=65534", "--clear-groups", Binary.path, "validate",
                "--eksctl", folder + "/Examples/ticketing/cluster.yaml", "--manifests", k8s,
                "--pricing", folder + "/Pricing", "--as-of", "2026-11-23",
            ],
            executable: "/usr/bin/setpriv")
        #expect(run.status == 1, "\(run.stderr)")
        #expect(
            run.stderr.contains("cannot read the manifests folder '\(k8s)/private': Permission denied"), "\(run.stderr)"
        )
    }

    /// `--quiet` printed notes and warnings: cron mailed them every night.
    @Test func quietPrintsNothingButErrorsAndWarningsGoIntoTheReport() throws {
        let out = Binary.temporaryFolder()
        let arguments = [
            "estimate", "--eksctl", "Examples/ticketing/cluster.yaml", "--manifests", "Examples/ticketing/k8s/",
            "--as-of", "2026-11-23", "--out", out,
        ]
        let quiet = try Self.run(arguments + ["--quiet"])
        #expect(quiet.status == 0)
        #expect(quiet.stderr == "")
        let report = try #require(Binary.read(out + "/ticketing/estimate.md"))
        #expect(
            report.contains(
                "- Warning (Examples/ticketing/k8s/worker.yaml:2:1, document 1): workload worker: its VPA has no usage to recommend from"
            ))
        let shown = try Self.run(arguments + ["--quiet", "--warnings"])
        #expect(shown.stderr.contains("warning: workload worker: its VPA has no usage"))
        #expect(shown.stderr.contains("note: manifests: 10 objects not priced"))
    }

    @Test func anEmptyFormatIsABadCommandLine() throws {
        for format in ["", "csv,", ",md"] {
            let run = try Self.run([
                "estimate", "Examples/forty-pods.yaml", "--format", format, "--out", Binary.temporaryFolder(),
            ])
            #expect(run.status == 64, "--format '\(format)'")
            #expect(run.stderr.contains("--format takes csv, md and json, comma-separated; '' is not one of them"))
        }
    }
}

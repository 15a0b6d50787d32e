import Foundation
import Testing

/// The committed `Reports/` are what `make example` writes: its commands (read from
/// `make -n example`, so the Makefile stays their one list) run with this build of ekscost into
/// a temporary folder, which must hold the same files with the same bytes.
@Suite struct ExampleReportsTests {
    /// `make example`'s ekscost command lines, as argument lists.
    static func exampleCommands() throws -> [[String]] {
        try makeExampleLines(prefix: ".build/release/ekscost ")
    }

    static func makeExampleLines(prefix: String) throws -> [[String]] {
        let run = try Binary.runExecutable("/usr/bin/env", ["make", "--no-print-directory", "-n", "example"])
        #expect(run.status == 0, "make -n example: \(run.stderr)")
        return run.stdout.split(separator: "\n").filter { $0.hasPrefix(prefix) }
            .map { $0.dropFirst(prefix.count).split(separator: " ").map(String.init) }
    }

    /// Files under `root`, as paths relative to it, sorted.
    static func files(under root: String) -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: root)
        var paths: [String] = []
        while let path = enumerator?.nextObject() as? String {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isFolder), !isFolder.boolValue {
                paths.append(path)
            }
        }
        return paths.sorted()
    }

    @Test func everyCommittedReportIsWhatMakeExampleWrites() throws {
        let commands = try Self.exampleCommands()
        try #require(commands.count >= 2, "make -n example printed no ekscost commands")
        let out = Binary.temporaryFolder()
        // The synthetic rates the commitments example is priced with, made by this build.
        for arguments in try Self.makeExampleLines(prefix: "scripts/commitment-example-rates ") {
            let run = try Binary.runExecutable(
                Binary.packageRoot.path + "/scripts/commitment-example-rates", [Binary.path] + arguments.dropFirst())
            #expect(run.status == 0, "scripts/commitment-example-rates: \(run.stderr)")
        }
        for arguments in commands {
            let run = try Binary.run(arguments + ["--out", out, "--quiet"])
            #expect(run.status == 0, "ekscost \(arguments.joined(separator: " ")): \(run.stderr)")
        }
        let committed = Binary.packageRoot.appendingPathComponent("Reports").path
        let expected = Self.files(under: committed)
        let written = Self.files(under: out)
        #expect(expected == written, "files make example writes and files committed under Reports/ differ")
        for path in expected where written.contains(path) {
            let old = FileManager.default.contents(atPath: committed + "/" + path)
            let new = FileManager.default.contents(atPath: out + "/" + path)
            #expect(
                old == new,
                "Reports/\(path) is not what make example writes now; run make example and review git diff Reports/")
        }
    }
}

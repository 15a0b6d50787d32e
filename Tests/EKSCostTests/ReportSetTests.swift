import EKSModel
import Foundation
import Testing

@testable import EKSCost

/// Issue 13: a report set is replaced as one, and what killed runs left is removed — nothing else.
@Suite struct ReportSetTests {
    static func folder() -> String {
        let path = NSTemporaryDirectory() + "ekscost-reportset-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func text(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func replacesTheSetAndKeepsEverythingElseInTheFolder() throws {
        let root = Self.folder()
        let reports = root + "/Reports/shop"
        try ReportSet.replace(
            in: reports, files: [("estimate.csv", Array("old csv".utf8)), ("estimate.md", Array("old md".utf8))])
        // Another command's report and a month's folder live in the same folder.
        FileManager.default.createFile(atPath: reports + "/compare.md", contents: Data("compare".utf8))
        try FileManager.default.createDirectory(atPath: reports + "/2026-11", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: reports + "/2026-11/estimate.csv", contents: Data("month".utf8))

        try ReportSet.replace(
            in: reports, files: [("estimate.csv", Array("new csv".utf8)), ("estimate.md", Array("new md".utf8))])
        #expect(Self.text(reports + "/estimate.csv") == "new csv")
        #expect(Self.text(reports + "/estimate.md") == "new md")
        #expect(Self.text(reports + "/compare.md") == "compare")
        #expect(Self.text(reports + "/2026-11/estimate.csv") == "month")
        // Nothing temporary is left beside or inside the folder.
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/Reports") == ["shop"])
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: reports).sorted() == [
                "2026-11", "compare.md", "estimate.csv", "estimate.md",
            ])
    }

    @Test func aFolderThatIsAFileIsAWriteErrorAndChangesNothing() throws {
        let root = Self.folder()
        FileManager.default.createFile(atPath: root + "/shop", contents: Data("a file".utf8))
        #expect(throws: AtomicFiles.WriteError.self) {
            try ReportSet.replace(in: root + "/shop", files: [("estimate.csv", [])])
        }
        #expect(Self.text(root + "/shop") == "a file")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root) == ["shop"])
    }

    /// Killed runs left `.estimate.csv.PID.tmp` files that no later run removed (126 files,
    /// 75 MB after 100 kills).
    @Test func removesWhatEndedRunsLeftAndNothingElse() throws {
        let folder = Self.folder()
        // A process number that is not running: above the kernel's pid_max.
        let gone = 4_194_305
        let stale = [".ekscost-tmp-\(gone)-estimate.csv", ".estimate.csv.\(gone).tmp", ".aws-2026-11.csv.\(gone).tmp"]
        let kept = [
            "estimate.csv", ".hidden", "notes.tmp", ".notes.tmp", ".ekscost-tmp-\(getpid())-mine.csv",
            "ekscost-tmp-\(gone)-x",
        ]
        for name in stale + kept { FileManager.default.createFile(atPath: "\(folder)/\(name)", contents: Data()) }
        try FileManager.default.createDirectory(
            atPath: "\(folder)/.ekscost-stage-\(gone)-shop/inner", withIntermediateDirectories: true)

        StaleTemporaries.remove(in: folder)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == kept.sorted())
    }

    /// In a container every run may have the same process number: what an earlier process of
    /// that number left (before the one holding it now started) is stale all the same; what the
    /// one holding it now wrote is not.
    @Test func aNumberTakenAgainByALaterProcessDoesNotKeepWhatTheEarlierOneLeft() throws {
        let folder = Self.folder()
        let mine = getpid()
        let names = [".ekscost-fetch-\(mine)-AmazonEC2-us-east-1.csv", ".ekscost-tmp-\(mine)-aws-2026-11-30.csv"]
        for name in names { FileManager.default.createFile(atPath: "\(folder)/\(name)", contents: Data()) }
        // Seen by this process: it started before it wrote them.
        StaleTemporaries.remove(in: folder)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == names.sorted())
        // Seen as by a process of the same number that started an hour later (a new container).
        let later = Date().timeIntervalSince1970 + 3600
        StaleTemporaries.remove(in: folder, processStart: { $0 == mine ? later : nil })
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
    }

    @Test func theOldSetOfARunKilledBetweenItsTwoRenamesIsPutBack() throws {
        let root = Self.folder()
        try FileManager.default.createDirectory(
            atPath: root + "/.ekscost-old-4194305-shop", withIntermediateDirectories: true)
        FileManager.default.createFile(
            atPath: root + "/.ekscost-old-4194305-shop/estimate.csv", contents: Data("old".utf8))
        StaleTemporaries.remove(in: root)
        #expect(Self.text(root + "/shop/estimate.csv") == "old")
    }

    @Test func aSnapshotIsWrittenWithoutTemporariesLeft() throws {
        let folder = Self.folder()
        try AtomicFiles.write([(folder + "/s.csv", Array("one".utf8))])
        try AtomicFiles.write([(folder + "/s.csv", Array("two".utf8))])
        #expect(Self.text(folder + "/s.csv") == "two")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["s.csv"])
    }
}

/// Issue 13's rule for numbers from input, on the one number `pricing fetch` reads from a
/// server's headers.
@Suite struct ContentLengthTests {
    @Test func isAWholeNumberInRangeOrNoneAtAll() {
        #expect(PriceListHTTP.contentLength(["Content-Length": "1073741824"]) == .success(1 << 30))
        #expect(PriceListHTTP.contentLength(["content-length": "0"]) == .success(0))
        // Chunked answers announce no length.
        #expect(PriceListHTTP.contentLength(["Transfer-Encoding": "chunked"]) == .success(0))
        // 2^64 would wrap; a terabyte and a byte is beyond any offer file.
        for text in ["18446744073709551616", "-1", "1e9", "12 34", "1099511627777"] {
            guard case .failure(let problem) = PriceListHTTP.contentLength(["Content-Length": text]) else {
                Issue.record("\(text) was taken")
                continue
            }
            #expect(problem.description.hasSuffix("from 0 to 1099511627776, found '\(text)'"), "\(problem)")
        }
    }
}

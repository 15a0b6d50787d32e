import Foundation
import Testing

/// Compares output with a golden file in Tests/EKSReportTests/Golden. With
/// EKSCOST_RECORD_GOLDEN=1 (`make golden`), or when the file does not exist yet, the file is
/// written instead and the test fails ("recorded, review and rerun"): a recording never passes
/// unseen; review its diff like any other, then run the tests again.
enum GoldenFile {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    static func check(_ bytes: [UInt8], against name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let url = folder.appendingPathComponent(name)
        let expected = FileManager.default.contents(atPath: url.path)
        if ProcessInfo.processInfo.environment["EKSCOST_RECORD_GOLDEN"] == "1" || expected == nil {
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                try Data(bytes).write(to: url)
                Issue.record("recorded Golden/\(name), review and rerun", sourceLocation: sourceLocation)
            } catch {
                Issue.record("cannot record Golden/\(name): \(error)", sourceLocation: sourceLocation)
            }
            return
        }
        if let difference = firstDifference(Array(expected!), bytes) {
            Issue.record(
                "output differs from Golden/\(name) (make golden re-records it): \(difference)",
                sourceLocation: sourceLocation)
        }
    }

    /// `line 12: expected "…", got "…"`, or nil when the bytes are the same.
    static func firstDifference(_ expected: [UInt8], _ actual: [UInt8]) -> String? {
        guard expected != actual else { return nil }
        let old = String(decoding: expected, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let new = String(decoding: actual, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(old.count, new.count) {
            let was = index < old.count ? "\"\(old[index])\"" : "end of file"
            let got = index < new.count ? "\"\(new[index])\"" : "end of file"
            if was != got { return "line \(index + 1): expected \(was), got \(got)" }
        }
        return "same lines, different bytes (line ends or encoding)"
    }
}

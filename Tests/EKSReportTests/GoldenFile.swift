import Foundation
import Testing

/// Compares output with a golden file in Tests/EKSReportTests/Golden. With
/// EKSCOST_RECORD_GOLDEN=1 the file is rewritten instead; review the diff like any other.
enum GoldenFile {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    static func check(_ bytes: [UInt8], against name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let url = folder.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["EKSCOST_RECORD_GOLDEN"] == "1" {
            try! FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try! Data(bytes).write(to: url)
            return
        }
        guard let expected = FileManager.default.contents(atPath: url.path) else {
            Issue.record("no golden file \(name); run with EKSCOST_RECORD_GOLDEN=1 to create it", sourceLocation: sourceLocation)
            return
        }
        let actualText = String(decoding: bytes, as: UTF8.self)
        let expectedText = String(decoding: expected, as: UTF8.self)
        #expect(actualText == expectedText, "output differs from Golden/\(name)", sourceLocation: sourceLocation)
    }
}

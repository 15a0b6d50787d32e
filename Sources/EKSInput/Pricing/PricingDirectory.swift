import EKSModel
import Foundation

/// The `Pricing/` folder: price snapshots (`<id>.csv`), the instance catalog
/// (`instance-types.csv`) and the name of the default snapshot (`default-snapshot`).
public struct PricingDirectory: Sendable {
    public let path: String

    public static let catalogFileName = "instance-types.csv"
    public static let defaultFileName = "default-snapshot"

    public init(path: String) { self.path = path }

    public var catalogPath: String { (path as NSString).appendingPathComponent(Self.catalogFileName) }

    public func snapshotPath(_ id: String) -> String { (path as NSString).appendingPathComponent("\(id).csv") }

    /// Ids of the snapshot files present, sorted.
    public func snapshotIDs() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.filter { $0.hasSuffix(".csv") && $0 != Self.catalogFileName && !$0.hasPrefix(".") }
            .map { String($0.dropLast(4)) }.sorted()
    }

    /// The id in `default-snapshot`, if the file is there.
    public func defaultSnapshotID() -> String? {
        let file = (path as NSString).appendingPathComponent(Self.defaultFileName)
        guard let text = InputFile.text(file, what: "default-snapshot").text else { return nil }
        let id = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return id.isEmpty ? nil : id
    }

    /// Whether the folder looks like a pricing folder.
    public var exists: Bool {
        FileManager.default.fileExists(atPath: catalogPath) || !snapshotIDs().isEmpty
    }
}

import Foundation

/// An instance type at one operating system's rate, as `compare` names it in its notes:
/// `m5.large`, or `m5.large (Windows)`.
struct TypeOnOS: Hashable, Comparable, CustomStringConvertible {
    let type: String
    let os: OperatingSystem

    init(type: String, os: OperatingSystem) {
        self.type = type
        self.os = os
    }

    /// The type and operating system of an instance price's key.
    init(_ key: PriceKey) {
        self.init(
            type: key.item,
            os: key.service == PriceKey.instance(key.item, os: .windows, region: key.region).service ? .windows : .linux
        )
    }

    static func < (a: TypeOnOS, b: TypeOnOS) -> Bool { (a.type, a.os.rawValue) < (b.type, b.os.rawValue) }

    var description: String { os == .windows ? "\(type) (Windows)" : type }
}

// swift-tools-version: 6.0
// libFuzzer harnesses for ekscost's readers, one executable per reader, each checking the
// property "returns a value or located diagnostics, never traps". Kept out of the main package
// so `swift build` / `swift test` never compile them; `make fuzz` (scripts/fuzz) builds them
// with toolset.json (-sanitize=fuzzer -parse-as-library, linked by lld) and runs them.
import Foundation
import PackageDescription

// SwiftPM names a path dependency after its folder, so the clone's folder name is the package's.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

let harnesses: [(name: String, products: [String])] = [
    ("FuzzScenario", ["EKSInput", "EKSModel", "Autoscaling"]),
    ("FuzzEksctl", ["EKSInput", "EKSModel"]),
    ("FuzzManifests", ["EKSInput", "EKSModel"]),
    ("FuzzLoadCurve", ["EKSInput", "EKSModel"]),
    ("FuzzSnapshot", ["EKSInput", "EKSModel"]),
    ("FuzzOffer", ["EKSInput", "EKSModel", "CSVStream"]),
    ("FuzzEstimateCSV", ["EKSInput", "EKSModel"]),
    ("FuzzSpotFeed", ["EKSInput", "EKSModel"]),
    ("FuzzQuantity", ["EKSModel"]),
]

let package = Package(
    name: "ekscost-fuzz",
    // Linux only, so no platforms list (macOS is not declared): glibc, /proc, renameat2, libcsv from apt (docs/install.md).
    dependencies: [.package(path: "..")],
    targets: [
        .target(name: "FuzzDriver", dependencies: [.product(name: "EKSModel", package: root)])
    ]
        + harnesses.map { harness in
            .executableTarget(
                name: harness.name,
                dependencies: ["FuzzDriver"] + harness.products.map { .product(name: $0, package: root) })
        },
    swiftLanguageModes: [.v6]
)

// The same upcoming features as the main package (../Package.swift), on every target here too.
for target in package.targets {
    target.swiftSettings =
        (target.swiftSettings ?? []) + [
            .enableUpcomingFeature("ExistentialAny"),
            .enableUpcomingFeature("InternalImportsByDefault"),
            .enableUpcomingFeature("MemberImportVisibility"),
        ]
}

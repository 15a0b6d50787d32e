// swift-tools-version: 6.0
// Benchmarks for ekscost, kept out of the main package so `swift build` / `swift test` never
// compile them. Run through the scripts beside this file.
import Foundation
import PackageDescription

// SwiftPM names a package dependency by its folder, so the repository root's name (a clone or a
// worktree may have any) is read from this file's path rather than written here.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

let package = Package(
    name: "ekscost-benchmarks",
    // Linux only, so no platforms list (macOS is not declared): glibc, /proc, renameat2, libcsv from apt (docs/install.md).
    dependencies: [.package(path: "..")],
    targets: [
        .executableTarget(name: "HPASyncBenchmark", dependencies: [.product(name: "Autoscaling", package: root)]),
        .executableTarget(
            name: "SimulationBenchmark",
            dependencies: [
                .product(name: "EKSModel", package: root),
                .product(name: "EKSInput", package: root),
                .product(name: "EKSReport", package: root),
                .product(name: "Autoscaling", package: root),
            ]),
        .executableTarget(
            name: "PlacementBenchmark",
            dependencies: [
                .product(name: "EKSModel", package: root),
                .product(name: "EKSInput", package: root),
            ]),
    ],
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

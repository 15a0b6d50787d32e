// swift-tools-version: 6.0
// ekscost: estimates what an Amazon EKS setup costs per month and how much capacity it needs.
import PackageDescription

// Upcoming language features on every target, so that the compiler checks the layering: `any` on
// every existential, imports internal unless a module's public API shows the imported types
// (`public import`), and members visible only through modules a file imports itself.
let upcomingFeatures: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "ekscost",
    // Linux only, so no platforms list (macOS is not declared): glibc, /proc, renameat2, libcsv from apt (docs/install.md).
    products: [
        .executable(name: "ekscost", targets: ["ekscost"]),
        // For the benchmarks and fuzz packages in Benchmarks/ and Fuzz/.
        .library(name: "EKSModel", targets: ["EKSModel"]),
        .library(name: "EKSInput", targets: ["EKSInput"]),
        .library(name: "Autoscaling", targets: ["Autoscaling"]),
        .library(name: "EKSReport", targets: ["EKSReport"]),
        .library(name: "CSVStream", targets: ["CSVStream"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
    ],
    targets: [
        // libcsv from Debian's libcsv-dev; it ships no pkg-config file, so none is named here.
        .systemLibrary(name: "CLibCSV", providers: [.apt(["libcsv-dev"])]),
        // zlib, to read the gzipped instance data that ships with moto.
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        // libcurl, for `pricing fetch` (imported by Fetch/PriceListHTTP.swift only).
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),

        // Files through swift-system's FileDescriptor: regular inputs opened without blocking,
        // reads and writes that retry when interrupted, fsync, renames. The one place for
        // file-descriptor work.
        .target(name: "FileAccess", dependencies: [.product(name: "SystemPackage", package: "swift-system")]),
        // The only module that imports libcsv: streaming reader and RFC 4180 writer.
        .target(name: "CSVStream", dependencies: ["CLibCSV", "FileAccess"]),
        // The pure model: prices, instances, scenarios, cost. No I/O.
        .target(
            name: "EKSModel",
            dependencies: [
                "Autoscaling",
                .product(name: "HeapModule", package: "swift-collections"),
            ]),
        // Loading inputs: scenario YAML, price snapshots, the instance catalog.
        .target(
            name: "EKSInput",
            dependencies: [
                "EKSModel", "Autoscaling", "CSVStream", "FileAccess", "CZlib",
                .product(name: "Yams", package: "Yams"),
            ]),
        // Report formatters and atomic writing.
        .target(name: "EKSReport", dependencies: ["EKSModel", "CSVStream"]),
        // Kubernetes HPA controller and VPA recommender logic, ported from upstream. No I/O.
        .target(name: "Autoscaling", exclude: ["README.md"]),
        // What each command does, end to end, without argument parsing.
        .target(
            name: "EKSCost", dependencies: ["EKSModel", "EKSInput", "EKSReport", "CSVStream", "FileAccess", "CCurl"]),
        .executableTarget(
            name: "ekscost",
            dependencies: [
                "EKSCost", "EKSModel", "EKSReport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        .testTarget(name: "CSVStreamTests", dependencies: ["CSVStream"]),
        .testTarget(name: "FileAccessTests", dependencies: ["FileAccess"]),
        .testTarget(name: "EKSModelTests", dependencies: ["EKSModel"]),
        // Fixtures and golden files are read from the source tree (#filePath), so that golden
        // files can be re-recorded in place with EKSCOST_RECORD_GOLDEN=1.
        .testTarget(
            name: "EKSInputTests", dependencies: ["EKSInput", "EKSModel", "Autoscaling", "CSVStream"],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "EKSReportTests", dependencies: ["EKSReport", "EKSModel", "CSVStream", "Autoscaling"],
            exclude: ["Golden"]),
        .testTarget(name: "EKSCostTests", dependencies: ["EKSCost", "EKSModel"]),
        .testTarget(name: "EndToEndTests", dependencies: ["ekscost"]),
        // The executable's own code: the terminal progress line.
        .testTarget(name: "ekscostTests", dependencies: ["ekscost"]),
        .testTarget(name: "AutoscalingTests", dependencies: ["Autoscaling"]),
    ],
    swiftLanguageModes: [.v6]
)

// Every Swift target, tests included, gets the upcoming features (system library targets have no
// Swift settings).
for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + upcomingFeatures
}

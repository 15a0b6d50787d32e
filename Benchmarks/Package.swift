// swift-tools-version: 6.0
// Benchmarks for ekscost, kept out of the main package so `swift build` / `swift test` never
// compile them. Run through the scripts beside this file.
import PackageDescription

let package = Package(
    name: "ekscost-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [.package(path: "..")],
    targets: [
        .executableTarget(name: "HPASyncBenchmark", dependencies: [.product(name: "Autoscaling", package: "main")]),
        .executableTarget(name: "SimulationBenchmark", dependencies: [
            .product(name: "EKSModel", package: "main"),
            .product(name: "EKSInput", package: "main"),
            .product(name: "Autoscaling", package: "main"),
        ]),
        .executableTarget(name: "PlacementBenchmark", dependencies: [
            .product(name: "EKSModel", package: "main"),
            .product(name: "EKSInput", package: "main"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)

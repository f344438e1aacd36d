// swift-tools-version: 6.1
import PackageDescription

// Kurasi's benchmarks: a package of its own, so that `swift build` / `swift test` of Kurasi and CI
// never build ordo-one/benchmark. Run everything with `Benchmarks/run.sh` (see README.md here).
// The parent package is named "Kurasi" here so that the manifest does not depend on the name of
// the folder the repository is cloned into.
let package = Package(
    name: "KurasiBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "Kurasi", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // The synthetic rounds and the measurements shared by the benchmark target and the harness.
        .target(
            name: "KurasiSynth",
            dependencies: [
                .product(name: "KurasiConsole", package: "Kurasi"),
                .product(name: "KurasiCore", package: "Kurasi"), .product(name: "KurasiStore", package: "Kurasi"),
            ]
        ),
        // Plain tool: generate the rounds, measure resident memory, run one operation for a profiler.
        .executableTarget(
            name: "kurasi-bench",
            dependencies: [
                "KurasiSynth", .product(name: "KurasiConsole", package: "Kurasi"),
                .product(name: "KurasiCore", package: "Kurasi"), .product(name: "KurasiStore", package: "Kurasi"),
            ]
        ),
        // The in-process benchmarks, run by `swift package benchmark`.
        .executableTarget(
            name: "KurasiBenchmarks",
            dependencies: [
                "KurasiSynth", .product(name: "KurasiConsole", package: "Kurasi"),
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "KurasiCore", package: "Kurasi"),
                .product(name: "KurasiStore", package: "Kurasi"),
            ],
            path: "Benchmarks/KurasiBenchmarks",
            swiftSettings: [.swiftLanguageMode(.v5)],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)

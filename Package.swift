// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Kurasi",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "kurasi", targets: ["kurasi"]),
        .library(name: "KurasiCore", targets: ["KurasiCore"]),
        .library(name: "KurasiStore", targets: ["KurasiStore"]),
        .library(name: "KurasiConsole", targets: ["KurasiConsole"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
    ],
    targets: [
        .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw"),
        .target(name: "KurasiCore"),
        .target(
            name: "KurasiStore",
            dependencies: ["KurasiCore", .product(name: "CSV", package: "CSV.swift")]
        ),
        // The console as data: state, update, layout and view; no store, clock or terminal.
        .target(name: "KurasiConsole", dependencies: ["KurasiCore"]),
        // The console's signal handling, in C: its state exists once.
        .target(name: "CKurasiSignals", linkerSettings: [.linkedLibrary("ncursesw")]),
        .target(name: "KurasiTerminal", dependencies: ["CNcursesw", "CKurasiSignals", "KurasiConsole"]),
        // Performs the console's effects: the store (off the main loop), the clock, the environment.
        .target(name: "KurasiConsoleRuntime", dependencies: ["KurasiConsole", "KurasiStore", "KurasiTerminal", "KurasiCore"]),
        .executableTarget(
            name: "kurasi",
            dependencies: [
                "KurasiCore", "KurasiStore", "KurasiConsole", "KurasiTerminal", "KurasiConsoleRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            resources: [.copy("Resources/madiun-2020.json")]
        ),
        // What the test targets share: hand-edited rounds and interpolated ids in fixtures.
        .target(name: "KurasiTestSupport", dependencies: ["KurasiCore"], path: "Tests/KurasiTestSupport"),
        .testTarget(name: "KurasiCoreTests", dependencies: ["KurasiCore", "KurasiTestSupport"]),
        .testTarget(name: "KurasiStoreTests", dependencies: ["KurasiStore", "KurasiCore", "KurasiTestSupport"]),
        .testTarget(name: "KurasiCLITests", dependencies: ["kurasi", "KurasiStore", "KurasiCore", "KurasiTestSupport"]),
        .testTarget(
            name: "KurasiConsoleTests",
            dependencies: ["KurasiConsole", "KurasiConsoleRuntime", "KurasiCore", "KurasiStore", "KurasiTestSupport"],
            exclude: ["Golden"]  // read through #filePath, not bundled
        ),
        .testTarget(name: "KurasiTerminalTests", dependencies: ["KurasiTerminal", "KurasiConsole", "CNcursesw"]),
        .testTarget(name: "CNcurseswTests", dependencies: ["CNcursesw"]),
    ],
    swiftLanguageModes: [.v6]
)

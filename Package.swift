// swift-tools-version:6.0
import PackageDescription

// OptGate: may we send this message to this person, on this channel, now, and on what basis?
//
// Layout (one target per layer, lower layers know nothing of higher ones):
//   OptGateCore      pure domain model, law-as-data rule book and decision engine (no I/O, no clock)
//   OptGateScenario  the scenario/v1 JSON contract: strict decoding with located errors, decision encoding
//   OptGateCLI       the `optgate` commands (argument parsing, files, exit codes), thin over the above
//   optgate          the executable entry point
let package = Package(
    name: "OptGate",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "optgate", targets: ["optgate"]),
        .library(name: "OptGateCore", targets: ["OptGateCore"]),
        .library(name: "OptGateScenario", targets: ["OptGateScenario"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
    ],
    targets: [
        .target(name: "OptGateCore"),
        .target(name: "OptGateScenario", dependencies: ["OptGateCore"]),
        .target(
            name: "OptGateCLI",
            dependencies: [
                "OptGateCore", "OptGateScenario",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "optgate", dependencies: ["OptGateCLI"]),
        .testTarget(
            name: "OptGateCoreTests",
            dependencies: [
                "OptGateCore", "OptGateScenario",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(name: "OptGateScenarioTests", dependencies: ["OptGateScenario"]),
        .testTarget(name: "OptGateCLITests", dependencies: ["OptGateCLI"]),
    ],
    swiftLanguageModes: [.v6]
)

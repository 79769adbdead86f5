// swift-tools-version:6.0
import PackageDescription

// OptGate: may we send this message to this person, on this channel, now, and on what basis?
//
// Layout (one target per layer, lower layers know nothing of higher ones):
//   OptGateCore      pure domain model, law-as-data rule book and decision engine (no I/O, no clock)
//   OptGateScenario  the scenario/v1 JSON contract: strict decoding with located errors, decision encoding
//   OptGateLedger    the consent ledger: records, canonical encoding, hash chain, identities, state,
//                    import formats, evidence exports, and the `LedgerStore` protocol
//   OptGateSQLite    `LedgerStore` on embedded SQLite (GRDB): the zero-setup default
//   OptGatePostgres  `LedgerStore` on PostgreSQL (postgres-nio): one ledger shared by several servers
//   OptGateServer    the HTTP API (Hummingbird): routes, API keys, group commit, metrics, the unsubscribe and
//                    preference pages (Mustache); thin over the ledger
//   OptGateCLI       the `optgate` commands (argument parsing, files, exit codes), thin over the above
//   optgate          the executable entry point
let package = Package(
    name: "OptGate",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "optgate", targets: ["optgate"]),
        .library(name: "OptGateCore", targets: ["OptGateCore"]),
        .library(name: "OptGateScenario", targets: ["OptGateScenario"]),
        .library(name: "OptGateLedger", targets: ["OptGateLedger"]),
        .library(name: "OptGateSQLite", targets: ["OptGateSQLite"]),
        .library(name: "OptGatePostgres", targets: ["OptGatePostgres"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        .target(name: "OptGateCore"),
        .target(name: "OptGateScenario", dependencies: ["OptGateCore"]),
        .target(
            name: "OptGateLedger",
            dependencies: ["OptGateCore", "OptGateScenario", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "OptGateSQLite",
            dependencies: [
                "OptGateLedger", .product(name: "GRDB", package: "GRDB.swift"),
                // GRDB's own SQLite module, for binding the import's inserts directly.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        .target(
            name: "OptGatePostgres",
            dependencies: [
                "OptGateLedger", .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "OptGateServer",
            dependencies: [
                "OptGateCore", "OptGateScenario", "OptGateLedger",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "OptGateCLI",
            dependencies: [
                "OptGateCore", "OptGateScenario", "OptGateLedger", "OptGateSQLite", "OptGatePostgres", "OptGateServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "optgate", dependencies: ["OptGateCLI"]),
        // The test targets' seeded generator and the fuzz suites' deterministic input mutation.
        .target(name: "Fuzzing", path: "Tests/Fuzzing"),
        .testTarget(
            name: "OptGateCoreTests",
            dependencies: [
                "OptGateCore", "OptGateScenario", "Fuzzing",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(name: "OptGateScenarioTests", dependencies: ["OptGateScenario", "Fuzzing"]),
        .testTarget(
            name: "OptGateCLITests",
            dependencies: ["OptGateCLI", "OptGateSQLite", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "OptGateServerTests",
            dependencies: [
                "OptGateServer", "OptGateSQLite", "OptGatePostgres", "Fuzzing",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "OptGateLedgerTests",
            dependencies: [
                "OptGateLedger", "OptGateSQLite", "OptGatePostgres", "Fuzzing",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)

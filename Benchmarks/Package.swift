// swift-tools-version: 6.1
import PackageDescription

// Benchmarks for OptGate, kept in their own package so that the main package (and CI) never
// build ordo-one/benchmark and its dependencies.
//
//   swift package --package-path Benchmarks benchmark
//
// Benchmark targets live under Benchmarks/<Name>/ (ordo-one/benchmark's convention).
let package = Package(
    name: "OptGateBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "OptGate", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark.git", exact: "1.38.1", traits: ["MallocInterposer"]),
        // Already in the graph through OptGateSQLite; ledger-bench also opens a read-only connection.
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
    ],
    targets: [
        // The benchmarked cases and their inputs, shared by the benchmark and the plain driver.
        .target(name: "DecisionFixtures", dependencies: [.product(name: "OptGateCore", package: "OptGate")]),
        // A plain executable over the same cases, for valgrind/callgrind and ContinuousClock timing.
        .executableTarget(name: "decision-driver", dependencies: ["DecisionFixtures", .product(name: "OptGateCore", package: "OptGate")]),
        // The consent ledger: in-process import throughput and the point-in-time status query.
        .executableTarget(
            name: "ledger-bench",
            dependencies: [
                .product(name: "OptGateCore", package: "OptGate"),
                .product(name: "OptGateLedger", package: "OptGate"),
                .product(name: "OptGateSQLite", package: "OptGate"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .executableTarget(
            name: "DecisionBenchmarks",
            dependencies: [
                "DecisionFixtures",
                .product(name: "OptGateCore", package: "OptGate"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/DecisionBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)

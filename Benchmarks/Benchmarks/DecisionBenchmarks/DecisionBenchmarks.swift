// The decision core's benchmarks (ordo-one/benchmark). Run from the repository root:
//
//   swift package --package-path Benchmarks benchmark
//
// Every input (organisation, catalogue, contacts, histories, messages) is built once, before any
// measurement; each case's answer is checked once before it is measured. Results go through
// `blackHole`, so the optimizer cannot drop the work.
import Benchmark
import DecisionFixtures
import OptGateCore

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        warmupIterations: 100,
        maxDuration: .seconds(2),
        maxIterations: 1_000_000
    )

    let engine = DecisionEngine()
    let cases = DecisionCase.all
    for decisionCase in cases { _ = decisionCase.check(engine) }

    // One decision per iteration: latency as the harness sees it (includes its per-iteration cost).
    for decisionCase in cases {
        Benchmark("decide: \(decisionCase.name)") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(decisionCase.decide(engine))
            }
        }
    }

    // 1,000 decisions per iteration: stable throughput; figures are shown per decision (scaled).
    for decisionCase in cases {
        Benchmark(
            "decide x1000: \(decisionCase.name)",
            configuration: .init(
                metrics: [.wallClock, .throughput, .mallocCountTotal],
                warmupIterations: 5,
                scalingFactor: .kilo,
                maxDuration: .seconds(2),
                maxIterations: 10_000
            )
        ) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(decisionCase.decide(engine))
            }
        }
    }
}

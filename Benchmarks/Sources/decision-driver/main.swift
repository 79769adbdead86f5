// A plain driver for the decision benchmarks' cases, for tools that want a fixed amount of work:
//
//   decision-driver                      time every case with ContinuousClock (runs of 1,000 decisions)
//   decision-driver list                 print the cases, their outcome and reason count
//   decision-driver CASE-INDEX COUNT     make COUNT decisions of one case and exit (for valgrind:
//                                        run with K and 2K, divide the difference in allocs by K)
import DecisionFixtures
import OptGateCore

#if canImport(Glibc)
import Glibc
#endif

/// The sink every decision goes to: a store to a global the program reads at the end, so the
/// optimizer can neither drop the decision nor any part of building it.
nonisolated(unsafe) var lastDecision: Decision?

@inline(never)
func consume(_ decision: Decision) { lastDecision = decision }

@inline(never)
func run(_ decisionCase: DecisionCase, _ engine: DecisionEngine, count: Int) -> Int {
    var allowed = 0
    for _ in 0..<count {
        let decision = decisionCase.decide(engine)
        if decision.allowed { allowed &+= 1 }
        consume(decision)
    }
    return allowed
}

let engine = DecisionEngine()
let arguments = CommandLine.arguments.dropFirst()
let cases = DecisionCase.all
for c in cases { _ = c.check(engine) }

if arguments.first == "list" {
    for (i, c) in cases.enumerated() {
        let d = c.decide(engine)
        print("\(i)\t\(c.name)\tallowed=\(d.allowed)\tbasis=\(d.basis?.rawValue ?? "-")\treasons=\(d.reasons.count)\t\(d.reasons.map(\.code.rawValue).joined(separator: ","))")
    }
} else if arguments.count == 2, let index = Int(arguments.first!), let count = Int(arguments.last!), cases.indices.contains(index) {
    let allowed = run(cases[index], engine, count: count)
    print("\(cases[index].name): \(count) decisions, \(allowed) allowed, last had \(lastDecision?.reasons.count ?? 0) reasons")
} else if arguments.isEmpty {
    let clock = ContinuousClock()
    let batch = 1_000
    let rounds = 200
    print("case\tmedian ns/decision\tp90 ns/decision\tdecisions/s (median)")
    for c in cases {
        _ = run(c, engine, count: batch * 10)  // warm up
        var perDecision: [Double] = []
        for _ in 0..<rounds {
            let elapsed = clock.measure { _ = run(c, engine, count: batch) }
            let ns = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
            perDecision.append(ns / Double(batch))
        }
        perDecision.sort()
        let median = perDecision[rounds / 2]
        let p90 = perDecision[rounds * 9 / 10]
        print("\(c.name)\t\(String(format: median))\t\(String(format: p90))\t\(Int(1e9 / median))")
    }
} else {
    print("usage: decision-driver [list | CASE-INDEX COUNT]")
    exit(2)
}

func String(format value: Double) -> String {
    let rounded = (value * 10).rounded() / 10
    return "\(rounded)"
}

/// SplitMix64 (Steele, Lea and Flood, 2014): a small, fast generator whose whole output is fixed by
/// its seed, on every platform and toolchain. The demo data must be the same for the same seed
/// forever, so it never uses the standard library's `random(in:)`, whose algorithm may change.
///
/// Each contact draws from its own stream (`DemoRandom(seed:stream:)`), so contact 42 is the same
/// whether it is generated alone, in a batch, or as part of a million.
public struct DemoRandom: Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// An independent stream for one item (a contact, a purpose) of a seeded whole.
    public init(seed: UInt64, stream: UInt64, purpose: UInt64 = 0) {
        var mixer = DemoRandom(seed: seed ^ 0x6A09_E667_F3BC_C908)
        let a = mixer.next()
        var item = DemoRandom(seed: a ^ (stream &* 0x9E37_79B9_7F4A_7C15) ^ (purpose &* 0xBF58_476D_1CE4_E5B9))
        state = item.next()
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<bound` (Lemire's multiply-shift; the bias is below 2⁻³² for the small
    /// bounds the demo uses).
    public mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        return Int((next().multipliedFullWidth(by: UInt64(bound))).high)
    }

    /// A number in `range`.
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// True with probability `p` (0 to 1).
    public mutating func chance(_ p: Double) -> Bool {
        Double(next() >> 11) * 0x1p-53 < p
    }

    /// One element, uniformly.
    public mutating func pick<T>(_ items: [T]) -> T {
        items[below(items.count)]
    }

    /// One element, with probability proportional to its weight.
    public mutating func pick<T>(weighted items: [(T, Int)]) -> T {
        let total = items.reduce(0) { $0 + $1.1 }
        var roll = below(total)
        for (item, weight) in items {
            if roll < weight { return item }
            roll -= weight
        }
        return items[items.count - 1].0
    }
}

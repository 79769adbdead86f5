/// A seeded pseudo-random permutation of `0..<size`, computed one position at a time: a four-round
/// Feistel network over the smallest even power of two that holds `size`, walking the cycle until
/// the result falls inside. It shuffles any number of rows in constant memory.
struct DemoPermutation: Sendable {
    let size: Int
    private let halfBits: Int
    private let keys: [UInt64]

    init(size: Int, seed: UInt64) {
        precondition(size >= 0, "size must not be negative")
        self.size = size
        var bits = 2
        while (1 << bits) < size { bits += 2 }
        halfBits = bits / 2
        var random = DemoRandom(seed: seed, stream: UInt64(size), purpose: 3)
        keys = (0..<4).map { _ in random.next() }
    }

    /// The element at position `index` (`0..<size`).
    func callAsFunction(_ index: Int) -> Int {
        precondition(index >= 0 && index < size, "index out of range")
        var value = UInt64(index)
        repeat { value = encrypt(value) } while value >= UInt64(size)
        return Int(value)
    }

    private func encrypt(_ value: UInt64) -> UInt64 {
        let mask: UInt64 = (1 << UInt64(halfBits)) - 1
        var left = value >> UInt64(halfBits)
        var right = value & mask
        for key in keys {
            var mixer = DemoRandom(seed: key ^ right)
            (left, right) = (right, left ^ (mixer.next() & mask))
        }
        return (left << UInt64(halfBits)) | right
    }
}

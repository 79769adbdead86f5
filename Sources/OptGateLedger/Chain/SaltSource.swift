import Foundation

/// Unpredictable 16-byte salts for personal data, read from the operating system's random source a
/// page at a time rather than a syscall per salt.
struct SaltSource {
    private var buffer = Data()
    private var position = 0
    private static let page = 4096

    mutating func next() -> Data {
        if position + 16 > buffer.count { refill() }
        defer { position += 16 }
        return buffer.subdata(in: position..<position + 16)
    }

    private mutating func refill() {
        position = 0
        if let urandom = FileHandle(forReadingAtPath: "/dev/urandom") {
            defer { try? urandom.close() }
            if let data = try? urandom.read(upToCount: Self.page), data.count == Self.page {
                buffer = data
                return
            }
        }
        var generator = SystemRandomNumberGenerator()
        var data = Data(capacity: Self.page)
        for _ in 0..<(Self.page / 8) { withUnsafeBytes(of: generator.next()) { data.append(contentsOf: $0) } }
        buffer = data
    }
}

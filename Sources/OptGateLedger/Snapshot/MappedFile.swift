import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file mapped read-only into memory for as long as this object lives. Pages are read from the
/// OS cache on first touch, so opening a large file costs nothing until it is used.
final class MappedFile: @unchecked Sendable {
    // Immutable after init, and the mapping is read-only: safe to share between threads.
    let bytes: UnsafeRawBufferPointer

    struct OpenError: Error, CustomStringConvertible {
        let description: String
    }

    init(path: String) throws(OpenError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw OpenError(description: "\(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw OpenError(description: "\(path): \(String(cString: strerror(errno)))") }
        let size = Int(info.st_size)
        guard size > 0 else { throw OpenError(description: "\(path): the file is empty") }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            throw OpenError(description: "\(path): cannot be mapped: \(String(cString: strerror(errno)))")
        }
        bytes = UnsafeRawBufferPointer(start: base, count: size)
    }

    deinit {
        munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count)
    }
}

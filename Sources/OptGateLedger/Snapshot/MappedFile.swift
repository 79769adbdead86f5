import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file mapped read-only into memory for as long as this object lives. Pages are read from the
/// OS cache on first touch, so opening a large file costs nothing until it is used.
public final class MappedFile: @unchecked Sendable {
    // Immutable after init, and the mapping is read-only: safe to share between threads.
    public let bytes: UnsafeRawBufferPointer

    public struct OpenError: Error, CustomStringConvertible {
        public let description: String
    }

    public init(path: String) throws(OpenError) {
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

    /// The file's bytes as `Data`, without a copy; valid while this object lives.
    public var data: Data {
        Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: bytes.baseAddress!), count: bytes.count, deallocator: .none)
    }

    /// Gives back the memory of the whole pages before `offset` (a stream read once keeps only what
    /// is ahead of it in memory). Reading them again reads the file again.
    public func release(before offset: Int) {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let length = min(offset, bytes.count) / page * page
        guard length > 0 else { return }
        madvise(UnsafeMutableRawPointer(mutating: bytes.baseAddress!), length, MADV_DONTNEED)
    }

    deinit {
        munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count)
    }
}

import Foundation

/// Where a command writes: standard output for results, standard error for diagnostics. Tests pass
/// a capturing console; the executable uses the process's streams.
public protocol Console: AnyObject {
    func out(_ text: String)
    func err(_ text: String)
}

/// The process's standard output and error, line by line, flushed at once so that output is never
/// lost in a buffer when stdout is a file or a pipe.
public final class StandardConsole: Console {
    public init() {}

    public func out(_ text: String) { FileHandle.standardOutput.write(Data((text + "\n").utf8)) }
    public func err(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }
}

/// Collects what a command writes (for tests and embedding).
public final class CapturingConsole: Console {
    public private(set) var stdout: [String] = []
    public private(set) var stderr: [String] = []

    public init() {}

    public func out(_ text: String) { stdout.append(text) }
    public func err(_ text: String) { stderr.append(text) }
}

import Foundation

/// Where a command writes: standard output for results, standard error for diagnostics. Tests pass
/// a capturing console; the executable uses the process's streams.
public protocol Console: AnyObject {
    func out(_ text: String)
    func err(_ text: String)
}

/// The process's standard output and error, line by line, flushed at once so that output is never
/// lost in a buffer when stdout is a file or a pipe. When the reader of a pipe has gone (`optgate
/// audit verify | head -1`), the process ends as the usual Unix tools do, by SIGPIPE (exit status
/// 141), without a crash report.
public final class StandardConsole: Console {
    public init() {}

    public func out(_ text: String) { Self.write(text, to: .standardOutput) }
    public func err(_ text: String) { Self.write(text, to: .standardError) }

    private static func write(_ text: String, to handle: FileHandle) {
        do {
            try handle.write(contentsOf: Data((text + "\n").utf8))
        } catch {
            signal(SIGPIPE, SIG_DFL)
            raise(SIGPIPE)
            exit(141)
        }
    }
}

/// Collects what a command writes (for tests and embedding).
public final class CapturingConsole: Console {
    public private(set) var stdout: [String] = []
    public private(set) var stderr: [String] = []

    public init() {}

    public func out(_ text: String) { stdout.append(text) }
    public func err(_ text: String) { stderr.append(text) }
}

import Logging

/// The server's log lines: swift-log's `StreamLogHandler` on standard error, with the logger's own
/// metadata kept as it is set and written out only when a line is logged.
///
/// Hummingbird sets a request id on every request's logger. `StreamLogHandler` renders its
/// metadata into text each time a key is set, which cost about 3 % of the server's CPU under load
/// even with nothing logged at the configured level; this handler renders it only for lines
/// actually written, in the same format.
public struct ServerLogHandler: LogHandler {
    private var stream: StreamLogHandler
    public var metadata: Logger.Metadata = [:]

    public init(label: String, level: Logger.Level) {
        stream = StreamLogHandler.standardError(label: label)
        stream.logLevel = level
    }

    public var logLevel: Logger.Level {
        get { stream.logLevel }
        set { stream.logLevel = newValue }
    }

    public var metadataProvider: Logger.MetadataProvider? {
        get { stream.metadataProvider }
        set { stream.metadataProvider = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var event = event
        if !metadata.isEmpty {
            event.metadata = metadata.merging(event.metadata ?? [:], uniquingKeysWith: { _, explicit in explicit })
        }
        stream.log(event: event)
    }
}

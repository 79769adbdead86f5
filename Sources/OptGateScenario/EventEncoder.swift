import OptGateCore

/// Writes events in the contract's JSON shape, with members in a fixed order and no whitespace:
/// the canonical form the ledger hashes and stores. `EventDecoder` reads it back.
public enum EventEncoder {
    /// The event's members, in canonical order.
    public static func members(_ event: Event) -> [(String, String)] {
        var m: [(String, String)] = [("type", q(event.typeName)), ("at", q(event.at.rfc3339))]
        if let id = event.id { m.append(("id", q(id))) }
        switch event.kind {
        case .detailsCollected(let d):
            m += [("by", q(d.by)), ("from", q(d.from.rawValue)), ("context", q(d.context.rawValue)),
                  ("products", strings(d.products)), ("channels", channels(d.channels)),
                  ("refusal_offered", bool(d.refusalOffered)), ("refused", bool(d.refused))]
        case .consentGiven(let c):
            m += [("to", strings(c.to)), ("channels", channels(c.channels)),
                  ("purposes", strings(Purpose.allCases.filter(c.purposes.contains).map(\.rawValue)))]
            if let products = c.products { m.append(("products", strings(products))) }
            m.append(("method", q(c.method.rawValue)))
            if let v = c.noticeVersion { m.append(("notice_version", q(v))) }
            if let v = c.source { m.append(("source", q(v))) }
            if let v = c.collectedBy { m.append(("collected_by", q(v))) }
            if let v = c.expiresAt { m.append(("expires_at", q(v.rfc3339))) }
        case .optOut(let o):
            if let c = o.channels { m.append(("channels", channels(c))) }
            if let p = o.products { m.append(("products", strings(p))) }
            if let e = o.entity { m.append(("entity", q(e))) }
            m.append(("via", q(o.via.rawValue)))
            if let until = o.until { m.append(("until", q(until.rfc3339))) }
        case .registerListed(let r), .registerRemoved(let r):
            m.append(("register", q(r.rawValue)))
        case .marketingSent(let s):
            m += [("by", q(s.by)), ("channel", q(s.channel.rawValue)), ("products", strings(s.products))]
        case .gpcSignal(let value):
            m.append(("value", bool(value)))
        case .frequencySet(let f):
            if let e = f.entity { m.append(("entity", q(e))) }
            if let c = f.channels { m.append(("channels", channels(c))) }
            if let max = f.maxPer30Days { m.append(("max_per_30_days", String(max))) }
        }
        return m
    }

    /// The event as compact canonical JSON: `JSONWriter(pretty: false).object(members(event))`,
    /// written straight into one string (this runs for every event stored).
    public static func json(_ event: Event) -> String {
        var text = ""
        text.reserveCapacity(192)
        append(event, to: &text)
        return text
    }

    /// Appends `json(event)` to `text` (a record's canonical body writes its event in place).
    public static func append(_ event: Event, to text: inout String) {
        // `text` is moved into the writer and back, so that its buffer is appended to in place.
        var o = CompactObject(taking: &text)
        defer { text = o.finish() }
        o.string("type", event.typeName)
        o.string("at", event.at.rfc3339)
        if let id = event.id { o.string("id", id) }
        switch event.kind {
        case .detailsCollected(let d):
            o.string("by", d.by)
            o.string("from", d.from.rawValue)
            o.string("context", d.context.rawValue)
            o.strings("products", d.products)
            o.channels("channels", d.channels)
            o.bool("refusal_offered", d.refusalOffered)
            o.bool("refused", d.refused)
        case .consentGiven(let c):
            o.strings("to", c.to)
            o.channels("channels", c.channels)
            o.strings("purposes", Purpose.allCases.filter(c.purposes.contains).map(\.rawValue))
            if let products = c.products { o.strings("products", products) }
            o.string("method", c.method.rawValue)
            if let v = c.noticeVersion { o.string("notice_version", v) }
            if let v = c.source { o.string("source", v) }
            if let v = c.collectedBy { o.string("collected_by", v) }
            if let v = c.expiresAt { o.string("expires_at", v.rfc3339) }
        case .optOut(let x):
            if let c = x.channels { o.channels("channels", c) }
            if let p = x.products { o.strings("products", p) }
            if let e = x.entity { o.string("entity", e) }
            o.string("via", x.via.rawValue)
            if let until = x.until { o.string("until", until.rfc3339) }
        case .registerListed(let r), .registerRemoved(let r):
            o.string("register", r.rawValue)
        case .marketingSent(let m):
            o.string("by", m.by)
            o.string("channel", m.channel.rawValue)
            o.strings("products", m.products)
        case .gpcSignal(let value):
            o.bool("value", value)
        case .frequencySet(let f):
            if let e = f.entity { o.string("entity", e) }
            if let c = f.channels { o.channels("channels", c) }
            if let max = f.maxPer30Days { o.raw("max_per_30_days", String(max)) }
        }
    }

    /// A compact JSON object written member by member, as `JSONWriter(pretty: false).object` writes it.
    struct CompactObject {
        private var text: String
        private var empty = true

        /// Starts the object at the end of `text`, which it takes (left empty) until `finish`.
        init(taking text: inout String) {
            self.text = text
            text = ""
            self.text.append("{")
        }

        /// Member names here are plain ASCII words: quoted as they are.
        private mutating func key(_ name: StaticString) {
            text.append(empty ? "\"" : ",\"")
            empty = false
            name.withUTF8Buffer { text.append(String(decoding: $0, as: UTF8.self)) }
            text.append("\":")
        }

        mutating func string(_ name: StaticString, _ value: String) {
            key(name)
            JSONWriter.appendQuoted(value, to: &text)
        }

        mutating func raw(_ name: StaticString, _ value: String) {
            key(name)
            text.append(value)
        }

        mutating func bool(_ name: StaticString, _ value: Bool) {
            raw(name, value ? "true" : "false")
        }

        mutating func strings(_ name: StaticString, _ list: [String]) {
            key(name)
            text.append("[")
            for (index, item) in list.enumerated() {
                if index > 0 { text.append(",") }
                JSONWriter.appendQuoted(item, to: &text)
            }
            text.append("]")
        }

        mutating func channels(_ name: StaticString, _ set: ChannelSet) {
            strings(name, set.channels.map(\.rawValue))
        }

        mutating func finish() -> String {
            text.append("}")
            return text
        }
    }

    static func q(_ text: String) -> String { JSONWriter.quoted(text) }
    static func bool(_ flag: Bool) -> String { flag ? "true" : "false" }
    static func strings(_ list: [String]) -> String { "[" + list.map(q).joined(separator: ",") + "]" }
    static func channels(_ set: ChannelSet) -> String { strings(set.channels.map(\.rawValue)) }
}

/// Reads events in the contract's JSON shape, outside a scenario.
public enum EventDecoder {
    /// Reads one event object. With `entities` or `products` nil, references are not checked (for
    /// events that were validated when they were recorded).
    public static func decode(
        _ value: JSONValue, path: String = "", entities: Set<String>? = nil, products: Set<String>? = nil,
        extraFields: [String] = []
    ) throws(ScenarioError) -> Event {
        let d = Diagnostics()
        let references = References(entityIDs: entities, productIDs: products, d: d)
        let event = ScenarioDecoder.readEvent(value, path, references, extraFields: extraFields)
        guard d.isEmpty, let event else { throw ScenarioError(problems: d.problems) }
        return event
    }

    /// Reads one event from JSON text.
    public static func decode(_ text: String) throws(ScenarioError) -> Event {
        let value: JSONValue
        do {
            value = try JSONParser.parse(text)
        } catch {
            throw ScenarioError(problems: [.init(path: "", position: error.position, message: "invalid JSON: \(error.message)")])
        }
        return try decode(value)
    }
}

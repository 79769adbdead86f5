import Foundation
import OptGateCore
@testable import OptGateLedger
import PropertyBased
import Testing

/// A permission state's stored text reads back as the same state, whether the direct reader or the
/// full JSON reader reads it; text outside the direct reader's subset goes to the full reader.
@Suite("Permission state: stored text")
struct PermissionStateCodecTests {
    static let seeds = Gen.uint64(in: 0...UInt64.max)

    @Test("states replayed from random streams read back equal, directly and by the full reader")
    func roundTrip() async throws {
        await propertyCheck(count: 200, input: Self.seeds) { seed in
            for events in RandomEventStream(seed: seed).events.values {
                let state = PermissionState(replaying: events)
                let text = PermissionStateCodec.encode(state)
                #expect(DirectPermissionState.read(text) == state, "seed \(seed): \(text)")
                #expect((try? PermissionStateCodec.decodeFully(text)) == state, "seed \(seed)")
                #expect((try? PermissionStateCodec.decode(text)) == state, "seed \(seed)")
            }
        }
    }

    /// A state with every member set, values at the edges.
    static var full: PermissionState {
        var state = PermissionState()
        state.eventCount = 12
        state.firstEventAt = Timestamp(secondsSinceEpoch: -86_400)
        state.lastEventAt = Timestamp(secondsSinceEpoch: 253_402_300_799)
        state.consents = ["acme/email": .init(at: Timestamp(secondsSinceEpoch: 0), value: "double_opt_in")]
        state.optOuts = ["*/sms": .init(at: Timestamp(secondsSinceEpoch: 1_700_000_000), value: "link")]
        state.registers = [:]
        state.frequencies = ["acme/email": .init(at: Timestamp(secondsSinceEpoch: 5), value: "4")]
        state.privacySignal = .init(at: Timestamp(secondsSinceEpoch: 7), value: "true")
        state.lastSale = ["acme": Timestamp(secondsSinceEpoch: 1_600_000_000), "travel": Timestamp(secondsSinceEpoch: 1)]
        state.marketingSent = 3
        state.lastMarketingAt = Timestamp(secondsSinceEpoch: 9)
        return state
    }

    @Test("every member, negative and far times, empty maps: read directly")
    func everyMember() throws {
        let text = PermissionStateCodec.encode(Self.full)
        #expect(DirectPermissionState.read(text) == Self.full)
        #expect(try PermissionStateCodec.decodeFully(text) == Self.full)
    }

    @Test("the stored text, byte for byte: members in a fixed order, map keys sorted")
    func exactText() {
        #expect(PermissionStateCodec.encode(Self.full) == """
            {"eventCount":12,"firstEventAt":-86400,"lastEventAt":253402300799,\
            "consents":{"acme/email":{"at":0,"value":"double_opt_in"}},"optOuts":{"*/sms":{"at":1700000000,"value":"link"}},\
            "registers":{},"frequencies":{"acme/email":{"at":5,"value":"4"}},"privacySignal":{"at":7,"value":"true"},\
            "lastSale":{"acme":1600000000,"travel":1},"marketingSent":3,"lastMarketingAt":9}
            """)
        var two = PermissionState()
        two.consents = ["b/sms": .init(at: Timestamp(secondsSinceEpoch: 2), value: "x"), "a/email": .init(at: Timestamp(secondsSinceEpoch: 1), value: "y")]
        #expect(PermissionStateCodec.encode(two) == """
            {"eventCount":0,"consents":{"a/email":{"at":1,"value":"y"},"b/sms":{"at":2,"value":"x"}},"optOuts":{},"registers":{},"lastSale":{},"marketingSent":0}
            """)
    }

    @Test("keys and values JSON escapes, and empty values, are left to the full reader, which reads them")
    func escapesGoToTheFullReader() throws {
        var state = Self.full
        state.consents["say \"hi\"/email"] = .init(at: Timestamp(secondsSinceEpoch: 2), value: "a\\b")
        state.optOuts["acme/post"] = .init(at: Timestamp(secondsSinceEpoch: 3), value: "")
        let text = PermissionStateCodec.encode(state)
        #expect(DirectPermissionState.read(text) == nil)
        #expect(try PermissionStateCodec.decode(text) == state)
    }

    @Test("text outside the subset is not read directly: leading zeros, fractions, too many digits, repeats, unknown members, trailing text")
    func outsideTheSubset() throws {
        let base = PermissionStateCodec.encode(Self.full)
        for text in [
            base.replacingOccurrences(of: "\"eventCount\":12", with: "\"eventCount\":012"),
            base.replacingOccurrences(of: "\"eventCount\":12", with: "\"eventCount\":12.0"),
            base.replacingOccurrences(of: "\"eventCount\":12", with: "\"eventCount\":1234567890123456789012345"),
            base.replacingOccurrences(of: "\"marketingSent\":3", with: "\"marketingSent\":3,\"marketingSent\":3"),
            base.replacingOccurrences(of: "\"marketingSent\":3", with: "\"marketingSent\":3,\"colour\":1"),
            base.replacingOccurrences(of: "\"at\":7,", with: "\"at\":7,\"at\":8,"),
            base + "x", String(base.dropLast()), "", "{}x",
        ] {
            #expect(DirectPermissionState.read(text) == nil, "\(text)")
        }
        #expect(try PermissionStateCodec.decode("{}") == PermissionState())
    }
}

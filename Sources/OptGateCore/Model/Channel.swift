/// The route a message takes to the person. Each law groups channels differently (PECR's
/// "electronic mail" covers email, SMS, voicemail, in-app and social direct messages), so the
/// grouping lives with the law, not here.
public enum Channel: String, CaseIterable, Hashable, Sendable {
    case email
    case sms
    case voicemail
    case inApp = "in_app"
    case socialDM = "social_dm"
    case liveCall = "live_call"
    case automatedCall = "automated_call"
    case fax
    case post
    /// Custom-audience matching on social or advertising platforms.
    case onlineAd = "online_ad"
}

/// A set of channels, stored as a bit mask so that scope checks allocate nothing.
public struct ChannelSet: Hashable, Sendable, ExpressibleByArrayLiteral {
    public let rawValue: UInt16

    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public init(_ channels: some Sequence<Channel>) {
        var raw: UInt16 = 0
        for channel in channels { raw |= channel.bitValue }
        self.rawValue = raw
    }

    public init(arrayLiteral channels: Channel...) { self.init(channels) }

    public static let all = ChannelSet(Channel.allCases)

    /// PECR reg 2(1) "electronic mail" as the ICO reads it, and the EU ePrivacy Directive's: messages
    /// that can be stored until the recipient collects them.
    public static let electronicMail: ChannelSet = [.email, .sms, .voicemail, .inApp, .socialDM]

    @inlinable
    public func contains(_ channel: Channel) -> Bool { rawValue & channel.bitValue != 0 }

    public var isEmpty: Bool { rawValue == 0 }

    public var channels: [Channel] { Channel.allCases.filter { contains($0) } }
}

extension Channel {
    /// The channel's bit in a `ChannelSet`.
    public var bitValue: UInt16 {
        switch self {
        case .email: return 1 << 0
        case .sms: return 1 << 1
        case .voicemail: return 1 << 2
        case .inApp: return 1 << 3
        case .socialDM: return 1 << 4
        case .liveCall: return 1 << 5
        case .automatedCall: return 1 << 6
        case .fax: return 1 << 7
        case .post: return 1 << 8
        case .onlineAd: return 1 << 9
        }
    }

    /// Plain words for reasons a person reads.
    public var displayName: String {
        switch self {
        case .email: return "email"
        case .sms: return "text message"
        case .voicemail: return "voicemail"
        case .inApp: return "in-app message"
        case .socialDM: return "social media direct message"
        case .liveCall: return "live call"
        case .automatedCall: return "automated call"
        case .fax: return "fax"
        case .post: return "post"
        case .onlineAd: return "online advertising audience"
        }
    }
}

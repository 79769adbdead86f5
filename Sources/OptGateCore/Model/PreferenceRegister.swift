/// A national preference (do-not-contact) register.
public enum PreferenceRegister: String, CaseIterable, Hashable, Sendable {
    /// UK Telephone Preference Service (PECR reg 26): individuals' numbers.
    case tps
    /// UK Corporate Telephone Preference Service: corporate subscribers' numbers.
    case ctps
    /// UK Fax Preference Service (PECR reg 25); also read as the Fundraising Preference Service for
    /// charity fundraising, the cautious reading of an ambiguous abbreviation.
    case fps
    /// UK Mailing Preference Service (addressed post).
    case mps
    /// Ireland's National Directory Database opt-out.
    case ndd
    /// France's Bloctel telephone opt-out list.
    case bloctel
    /// US National Do Not Call Registry.
    case usDNC = "us_dnc"

    public var displayName: String {
        switch self {
        case .tps: return "TPS"
        case .ctps: return "CTPS"
        case .fps: return "FPS"
        case .mps: return "MPS"
        case .ndd: return "NDD opt-out register"
        case .bloctel: return "Bloctel"
        case .usDNC: return "National Do Not Call Registry"
        }
    }
}

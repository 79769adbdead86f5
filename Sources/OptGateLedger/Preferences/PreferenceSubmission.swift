import OptGateCore

/// What a person chose on the preference centre, and the events that record it. Only changes are
/// recorded: submitting the page unchanged records nothing. Every event is the person's own act on
/// a page reached from a signed link (`via: preference_centre`; consents by `settings_toggle`).
public struct PreferenceSubmission: Hashable, Sendable {
    /// Channels the person wants marketing on from this entity.
    public var channels: Set<Channel>
    /// Category keys the person still wants to hear about.
    public var categories: Set<String>
    /// Pause all marketing from this entity for this many days.
    public var pauseDays: Int?
    /// At most this many marketing messages per 30 days; nil: no limit.
    public var maxPer30Days: Int?
    /// Opt out of all marketing from everyone in the organisation, on every channel.
    public var everything: Bool

    public init(channels: Set<Channel>, categories: Set<String>, pauseDays: Int? = nil, maxPer30Days: Int? = nil, everything: Bool = false) {
        self.channels = channels
        self.categories = categories
        self.pauseDays = pauseDays
        self.maxPer30Days = maxPer30Days
        self.everything = everything
    }

    /// The pauses a person may choose, in days.
    public static let pauseChoices = [30, 90, 180]
    /// The limits a person may choose, per 30 days (nil: no limit).
    public static let frequencyChoices: [Int?] = [nil, 4, 1]

    /// The events recording the difference between `centre` (what the page showed) and this choice.
    public func events(from centre: PreferenceCentre, at now: Timestamp) -> [Event] {
        let entity = centre.entity.id
        if everything {
            return centre.optedOutOfEverything ? [] : [Event(at: now, .optOut(OptOut(via: .preferenceCentre)))]
        }
        var events: [Event] = []
        var stillOn = Set<Channel>()
        for choice in centre.channels {
            let wanted = channels.contains(choice.channel)
            if wanted { stillOn.insert(choice.channel) }
            if choice.subscribed && !wanted {
                events.append(Event(at: now, .optOut(OptOut(channels: [choice.channel], entity: entity, via: .preferenceCentre))))
            } else if !choice.subscribed && wanted {
                events.append(Event(at: now, .consentGiven(ConsentGiven(
                    to: [entity], channels: [choice.channel], purposes: [.marketing], method: .settingsToggle,
                    source: "preference_centre"))))
            }
        }
        for category in centre.categories {
            let wanted = categories.contains(category.key)
            if category.subscribed && !wanted {
                events.append(Event(at: now, .optOut(OptOut(products: category.productIDs, entity: entity, via: .preferenceCentre))))
            } else if !category.subscribed && wanted && !stillOn.isEmpty {
                events.append(Event(at: now, .consentGiven(ConsentGiven(
                    to: [entity], channels: ChannelSet(stillOn), purposes: [.marketing], products: category.productIDs,
                    method: .settingsToggle, source: "preference_centre"))))
            }
        }
        if maxPer30Days != centre.maxPer30Days {
            events.append(Event(at: now, .frequencySet(FrequencyPreference(entity: entity, maxPer30Days: maxPer30Days))))
        }
        if let days = pauseDays, days > 0 {
            events.append(Event(at: now, .optOut(OptOut(entity: entity, via: .preferenceCentre, until: now.adding(days: days)))))
        }
        return events
    }
}

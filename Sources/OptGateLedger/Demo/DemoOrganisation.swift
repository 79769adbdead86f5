import OptGateCore

/// The synthetic organisation behind `optgate demo`: a retailer and a travel company of one group,
/// an insurance partner whose consents the retailer collects, and a registered charity, with a
/// catalogue of eleven products, their documented similarity assessments, a policy and the consent
/// notices shown over time.
///
/// Fixed: the same for every seed, so that decisions over different seeds are comparable. It takes
/// effect three years before `now`, before the earliest contact event.
public struct DemoOrganisation: Sendable {
    /// The retailer (group company).
    public static let retailer = "northwind-retail"
    /// The travel company (the retailer's group company: a different legal person).
    public static let travel = "northwind-travel"
    /// A partner outside the group, marketed to the retailer's customers only with consent naming it.
    public static let partner = "bluebird-insurance"
    /// A registered charity (PECR reg 22(3A) charity soft opt-in from 5 February 2026).
    public static let charity = "lighthouse-trust"
    public static let group = "northwind-group"

    /// Products sold by the retailer.
    public static let retailProducts = ["laptops", "laptop-accessories", "phones", "phone-cases", "kitchen-appliances", "cookware"]
    /// Products sold by the travel company.
    public static let travelProducts = ["city-breaks", "beach-holidays", "travel-insurance"]
    /// Products sold by the partner.
    public static let partnerProducts = ["home-insurance", "gadget-insurance"]

    /// When the organisation's records take effect.
    public let validFrom: Timestamp
    public let entities: [Entity]
    public let products: [Product]
    public let policy: Policy
    public let notices: [NoticeText]

    public init(now: Timestamp) {
        validFrom = now.adding(years: -3)
        entities = [
            Entity(id: Self.retailer, kind: .company, group: Self.group, name: "Northwind Retail"),
            Entity(id: Self.travel, kind: .company, group: Self.group, name: "Northwind Holidays"),
            Entity(id: Self.partner, kind: .company, name: "Bluebird Insurance"),
            Entity(id: Self.charity, kind: .charity, name: "Lighthouse Children's Trust"),
        ]
        products = [
            Product(id: "laptops", name: "Laptops", category: "Computers"),
            Product(id: "laptop-accessories", similarTo: ["laptops"],
                    reasoning: "bags, docks and chargers bought for and with the laptops we sell; the same customers buy both",
                    name: "Laptop accessories", category: "Computers"),
            Product(id: "phones", name: "Mobile phones", category: "Phones"),
            Product(id: "phone-cases", similarTo: ["phones"],
                    reasoning: "cases and screen protectors are bought with a phone and fit only the phones we sell",
                    name: "Phone cases", category: "Phones"),
            Product(id: "kitchen-appliances", name: "Kitchen appliances", category: "Home"),
            Product(id: "cookware", similarTo: ["kitchen-appliances"],
                    reasoning: "pans and utensils are offered with the appliances in one kitchen range; a buyer of one expects offers of the other",
                    name: "Cookware", category: "Home"),
            Product(id: "city-breaks", name: "City breaks", category: "Holidays"),
            Product(id: "beach-holidays", similarTo: ["city-breaks"],
                    reasoning: "both are package holidays from the same brochure, booked through the same checkout",
                    name: "Beach holidays", category: "Holidays"),
            Product(id: "travel-insurance", similarTo: ["city-breaks", "beach-holidays"],
                    reasoning: "offered at every holiday booking and bought for the trip; not similar to the retailer's goods",
                    name: "Travel insurance", category: "Holidays"),
            Product(id: "home-insurance", name: "Home insurance", category: "Insurance"),
            Product(id: "gadget-insurance", similarTo: ["home-insurance"],
                    reasoning: "the partner's second policy, sold to the same households; not similar to the gadgets themselves",
                    name: "Gadget insurance", category: "Insurance"),
        ]
        var policy = Policy()
        policy.ukSoftOptInMonths = 24
        policy.maxMarketingPer30Days = 12
        self.policy = policy
        notices = [
            NoticeText(version: "email-v1", text: "Tick this box to get Northwind offers by email. You can unsubscribe at any time from any email.",
                       validFrom: validFrom),
            NoticeText(version: "email-v2", text: "Tick to hear from Northwind Retail and Northwind Holidays by email about offers we think you will like. Unsubscribe at any time: every email has a link.",
                       validFrom: now.adding(months: -15)),
            NoticeText(version: "sms-v1", text: "Reply YES to get Northwind offers by text. Reply STOP at any time to stop them. Message and data rates may apply.",
                       validFrom: validFrom),
            NoticeText(version: "partner-v1", text: "Tick to let Bluebird Insurance email you about home and gadget insurance. Northwind passes on your email address only if you tick.",
                       validFrom: validFrom),
            NoticeText(version: "charity-v1", text: "Tick to hear from Lighthouse Children's Trust about our work and how you can help, by email or text.",
                       validFrom: validFrom),
            NoticeText(version: "phone-v1", text: "Script: \"May we call you about offers from Northwind? You can ask us to stop at any time.\" The answer is recorded.",
                       validFrom: validFrom),
        ]
    }

    /// The notice version in effect at `instant` for an email consent.
    func emailNotice(at instant: Timestamp) -> String {
        instant < notices[1].validFrom ? "email-v1" : "email-v2"
    }

    /// The ledger records, in the order they must be appended (products after the products they name).
    public var records: [LedgerRecord] {
        entities.map { .entity($0, validFrom: validFrom) }
            + products.map { .product($0, validFrom: validFrom, retired: false) }
            + [.policy(policy, validFrom: validFrom)]
            + notices.map { .notice($0) }
    }
}

import OptGateCore
import Testing

/// `Requirements` stores each requirement as the bit of its position among `Requirement.allCases`,
/// read from the enum's stored ordinal. This pins that the two agree, case by case.
@Suite("Requirements bit set")
struct RequirementsTests {
    @Test("each requirement's bit is its position among allCases, and sets round-trip in order")
    func bitsFollowDeclarationOrder() {
        for (position, requirement) in Requirement.allCases.enumerated() {
            #expect(Requirements.bit(requirement) == UInt32(1) << UInt32(position), "\(requirement)")
            let single = Requirements([requirement])
            #expect(single.list == [requirement])
        }
        let all = Requirements(Requirement.allCases.reversed())
        #expect(all.list == Requirement.allCases)
    }
}

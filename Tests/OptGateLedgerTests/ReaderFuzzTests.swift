import Foundation
import Fuzzing
import OptGateCore
@testable import OptGateLedger
import OptGateScenario
import Testing

/// Mutated import lines, CSV files, stored records and stored permission states. The readers that
/// work straight from bytes (with unchecked pointers in release builds) must never trap, and must
/// either leave a text to the full reader or read exactly what the full reader reads. Imports of
/// mutated files must either succeed or name every problem by line and write nothing.
///
/// Mutants are deterministic (`InputMutator`): a failure prints the seed and index that rebuild it.
@Suite("Fuzzing: import lines, CSV, stored records and states")
struct ReaderFuzzTests {
    /// Lines the direct reader takes (mutants of the others rarely come back into its shape).
    static let lines = DirectLineDecoderTests.goodLines

    @Test("a mutated NDJSON line is read directly exactly as the full reader reads it, or left to it")
    func ndjsonLines() {
        var direct = 0
        for mutant in InputMutator(inputs: Self.lines).mutants(20_000) {
            guard let fast = mutant.bytes.withUnsafeBufferPointer({ DirectLineDecoder.items($0, line: 7) }) else { continue }
            direct += 1
            // The full reader takes text; the direct reader must refuse bytes that are not UTF-8.
            guard mutant.isUTF8 else {
                Issue.record("read directly although not UTF-8: \(mutant)")
                continue
            }
            let full = DirectLineDecoderTests.fullReading(mutant.text, line: 7)
            #expect(fast.items == full.items, "\(mutant)")
            #expect(fast.problems == full.problems, "\(mutant)")
        }
        #expect(direct * 50 > 20_000 * InputMutator.environmentScale, "only \(direct) mutants read directly")
    }

    @Test("a mutated API event body is read directly exactly as the full reader reads it, or left to it")
    func apiEventBodies() {
        let bodies = Self.lines.map { $0.replacingOccurrences(of: #""record": "event", "#, with: "").replacingOccurrences(of: #""record":"event","#, with: "") }
        var direct = 0
        for mutant in InputMutator(inputs: bodies).mutants(20_000) {
            guard let fast = mutant.bytes.withUnsafeBufferPointer({ DirectLineDecoder.event($0, line: 1) }) else { continue }
            direct += 1
            guard mutant.isUTF8 else {
                Issue.record("read directly although not UTF-8: \(mutant)")
                continue
            }
            let full = DirectLineDecoderTests.fullEventReading(mutant.text)
            #expect(fast.items == full?.items, "\(mutant)")
            #expect(fast.problems == full?.problems, "\(mutant)")
        }
        #expect(direct * 50 > 20_000 * InputMutator.environmentScale, "only \(direct) mutants read directly")
    }

    @Test("a mutated NDJSON or CSV file reads line by line, each problem on its own line, every line counted once")
    func wholeFiles() throws {
        let ndjson = [ImportFiles.organisation + ImportFiles.people, (Self.lines + DirectLineDecoderTests.otherLines).joined(separator: "\n")]
        let csv = [try Repository.sample("acme-events.csv"), CSVReaderFuzzInputs.file]
        for (inputs, isCSV) in [(ndjson, false), (csv, true)] {
            for mutant in InputMutator(inputs: inputs).mutants(2_000) {
                var previous = 0
                let check = { (line: ImportLine) in
                    #expect(line.line > previous, "line \(line.line) after \(previous): \(mutant)")
                    previous = line.line
                    for problem in line.problems {
                        #expect(problem.line == line.line, "a problem of line \(line.line) placed on \(problem.line): \(mutant)")
                        #expect(!problem.message.isEmpty, "\(mutant)")
                    }
                }
                let data = Data(mutant.bytes)
                if isCSV {
                    var reader = CSVReader(data: data)
                    while let line = reader.next() { check(line) }
                } else {
                    var reader = NDJSONReader(data: data)
                    while let line = reader.next() { check(line) }
                }
                let lineCount = mutant.bytes.count(where: { $0 == UInt8(ascii: "\n") }) + 1
                #expect(previous <= lineCount, "line \(previous) of a text of \(lineCount) lines: \(mutant)")
            }
        }
    }

    @Test("a mutated CSV file split into parts (as the campaign check reads it on several threads) gives the records read in one pass")
    func csvParts() throws {
        let audiences = [
            "email,name\nAnn@Example.com,Ann\n\"bob@example.org\",\"Bob, \"\"B\"\"\"\n  carol@example.net  ,\n\ndora@example.com\n",
            "phone,country\n07700 900123,GB\n+447700900124,\n\"+44 7700\n900125\",GB\r\n",
            "contact\nc-1\nc-2\n\"c-3\"\n",
        ]
        for mutant in InputMutator(inputs: audiences + [CSVReaderFuzzInputs.file]).mutants(8_000) {
            let data = Data(mutant.bytes)
            var whole = CSVRecords(data: data)
            var expected: [CSVRecords.Record] = []
            while let record = whole.next() { expected.append(record) }
            for size in [1, 2, 3] {
                var rest = CSVRecords(data: data)
                var parts: [CSVRecords.Record] = []
                while !rest.isAtEnd {
                    var part = rest.split(records: size)
                    while let record = part.next() { parts.append(record) }
                }
                #expect(parts.map(\.line) == expected.map(\.line), "parts of \(size): \(mutant)")
                #expect(parts.map(\.fields) == expected.map(\.fields), "parts of \(size): \(mutant)")
                #expect(parts.map(\.unterminated) == expected.map(\.unterminated), "parts of \(size): \(mutant)")
            }
            // An audience: a header error naming line 1, or rows on increasing lines, each a recipient or a reason.
            do {
                var reader = try AudienceReader(data: data)
                var previous = 1
                while let row = reader.next() {
                    #expect(row.line > previous, "row on line \(row.line) after \(previous): \(mutant)")
                    previous = row.line
                    if case .invalid(let reason) = row.lookup { #expect(!reason.isEmpty, "\(mutant)") }
                }
            } catch {
                #expect(error.line >= 1 && !error.message.isEmpty, "\(mutant)")
            }
        }
    }

    @Test("a mutated stored event is read directly exactly as the full reader reads it, or left to it")
    func storedEvents() {
        let encoded = (DirectRecordDecoderTests.commonRecords + Self.randomRecords).map(RecordCodec.encode)
        var direct = 0
        for mutant in InputMutator(inputs: encoded.map(\.body)).mutants(20_000) {
            let text = mutant.text
            let personal = encoded[mutant.index % encoded.count].personalData
            guard let fast = DirectRecordDecoder.event(body: text, personalData: personal) else { continue }
            direct += 1
            #expect(fast == (try? RecordCodec.decodeInFull(kind: .event, body: text, personalData: personal)), "\(mutant)")
        }
        // Personal data, the part erasure removes, mutated on its own.
        let personal = encoded.compactMap(\.personalData)
        for mutant in InputMutator(inputs: personal).mutants(5_000) {
            let body = encoded.first { $0.personalData != nil }!.body
            guard let fast = DirectRecordDecoder.event(body: body, personalData: mutant.text) else { continue }
            direct += 1
            #expect(fast == (try? RecordCodec.decodeInFull(kind: .event, body: body, personalData: mutant.text)), "\(mutant)")
        }
        #expect(direct * 50 > 20_000 * InputMutator.environmentScale, "only \(direct) mutants read directly")
    }

    @Test("a mutated stored permission state is read directly exactly as the full reader reads it, or left to it")
    func permissionStates() {
        let states = (1...40).flatMap { RandomEventStream(seed: UInt64($0)).events.values.map { PermissionState(replaying: $0) } }
        let texts = (states + [PermissionStateCodecTests.full]).map(PermissionStateCodec.encode)
        var direct = 0
        for mutant in InputMutator(inputs: texts).mutants(20_000) {
            let text = mutant.text
            guard let fast = DirectPermissionState.read(text) else { continue }
            direct += 1
            #expect(fast == (try? PermissionStateCodec.decodeFully(text)), "\(mutant)")
        }
        #expect(direct * 50 > 20_000 * InputMutator.environmentScale, "only \(direct) mutants read directly")
    }

    @Test("a mutated import either succeeds or names its problems by line and leaves the ledger as it was")
    func imports() throws {
        let scratch = try ImporterTests.populated()
        let ndjson = [ImportFiles.event(#""contact": "c-1", "id": "gpc-1", "type": "gpc_signal", "at": "2026-01-02T00:00:00Z", "value": true"#)
            + ImportFiles.event(#""email": "ann.smith@example.com", "id": "oo-1", "type": "opt_out", "at": "2026-01-03T00:00:00Z", "via": "link""#)
            + #"{"record": "contact", "id": "c-3", "email": "carol@example.net", "jurisdiction": "DE"}"# + "\n"]
        let csv = [CSVReaderFuzzInputs.file]
        var failed = 0, imported = 0
        for (inputs, format) in [(ndjson, Importer.Format.ndjson), (csv, .csv)] {
            for mutant in InputMutator(inputs: inputs).mutants(150) {
                let before = try scratch.entryCount
                let head = try scratch.head
                do {
                    try Importer(ledger: scratch.ledger).run(Data(mutant.bytes), format: format, recordedAt: Day.recorded)
                    imported += 1
                } catch let error as Importer.Failed {
                    failed += 1
                    let lineCount = mutant.bytes.count(where: { $0 == UInt8(ascii: "\n") }) + 1
                    #expect(!error.problems.isEmpty, "\(mutant)")
                    for problem in error.problems {
                        #expect(problem.line >= 1 && problem.line <= lineCount, "problem on line \(problem.line) of \(lineCount): \(mutant)")
                    }
                    #expect(try scratch.entryCount == before, "a refused import wrote entries: \(mutant)")
                    #expect(try scratch.head == head, "\(mutant)")
                }
            }
        }
        #expect(failed > 50 && imported > 3, "failed \(failed), imported \(imported)")
        #expect(try scratch.ledger.verify().isValid)
    }

    /// Stored event records of random streams, some with evidence (personal data included).
    static var randomRecords: [LedgerRecord] {
        (1...20).flatMap { seed in
            RandomEventStream(seed: UInt64(seed)).events.flatMap { contact, events in
                events.enumerated().map { index, event in
                    .event(contactID: contact, event, index % 3 == 0 ? EventEvidence(collectionPoint: "form \(index)", ip: "203.0.113.0", userAgent: "Agent/\(index)") : nil)
                }
            }
        }
    }
}

/// A CSV file with every column, quoting and empty fields, for the CSV mutants.
enum CSVReaderFuzzInputs {
    static let file = #"""
        contact,email,phone,jurisdiction,subscriber,type,at,id,by,context,products,channels,refusal_offered,via,register,collection_point,ip,user_agent
        c-1,ann.smith@example.com,+447700900123,GB,individual,details_collected,2025-06-01T09:00:00Z,ord-9,acme,sale,"laptops;accessories","email;sms",true,,,"shop, till 2",203.0.113.9,"Mozilla/5.0 ""quoted"""
        c-1,,,,,opt_out,2026-01-15T10:00:00Z,uns-9,,,,sms,,sms_stop,,,,
        c-4,dora@example.com,,GB,sole_trader,,,,,,,,,,,,,
        c-4,,,,,register_listed,2026-01-02T00:00:00Z,tps-9,,,,,,,tps,,,

        """#
}

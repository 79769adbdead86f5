import Foundation
import OptGateCore

extension Ledger {
    /// Recomputes the whole chain and checks every checkpoint; reports the first entry where a row
    /// was changed, deleted, inserted or reordered, or where the end was cut off or added to
    /// outside OptGate. `progress` is called every 10,000 entries with the number checked.
    public func verify(progress: ((Int64) -> Void)? = nil) throws -> AuditReport {
        try store.read { reader in
            let checkpoints = try reader.checkpoints()
            var sealedAt: [Int64: Checkpoint] = [:]
            for checkpoint in checkpoints { sealedAt[checkpoint.seq] = checkpoint }
            var report = AuditReport(entries: 0, checkpoints: checkpoints.count, erasedPersonalData: 0, problem: nil, headHash: "")
            var previous = HashChain.genesis
            var expected: Int64 = 1
            // A hash mismatch at one entry is "changed" if the next entry still chains from its
            // stored hash (contents edited in place), "broken link" otherwise (rows inserted,
            // reordered or renumbered). `suspect` waits for the next entry to tell which.
            var suspect: (entry: StoredEntry, recomputed: Data)?
            var firstMissing: [String: Int64] = [:]
            var lastMissing: [String: Int64] = [:]
            var lastErasure: [String: Int64] = [:]

            struct Stop: Error {}
            do {
                try reader.forEachEntry(from: 1) { entry, personal in
                    if let (bad, recomputed) = suspect {
                        // The next entry still chains from the suspect's stored hash (its contents were
                        // edited) or from its recomputed hash (its hash column was edited): a change in
                        // place. Otherwise the links themselves are broken.
                        let next = entry.seq == bad.seq + 1
                            && (HashChain.hash(of: entry, previous: bad.hash) == entry.hash
                                || HashChain.hash(of: entry, previous: recomputed) == entry.hash)
                        report.problem = next ? .changed(seq: bad.seq) : .brokenLink(seq: bad.seq)
                        throw Stop()
                    }
                    if entry.seq != expected {
                        report.problem = entry.seq > expected ? .missing(seq: expected) : .brokenLink(seq: entry.seq)
                        throw Stop()
                    }
                    let recomputed = HashChain.hash(of: entry, previous: previous)
                    if recomputed != entry.hash {
                        suspect = (entry, recomputed)
                        return
                    }
                    if let digest = entry.personalDataDigest {
                        if let personal {
                            if personal.digest != digest {
                                report.problem = .personalDataChanged(seq: entry.seq)
                                throw Stop()
                            }
                        } else {
                            // Missing personal data is fine only if a later erasure entry in the chain
                            // accounts for it; checked at the end.
                            report.erasedPersonalData += 1
                            if let contact = entry.contactID, firstMissing[contact] == nil { firstMissing[contact] = entry.seq }
                            lastMissing[entry.contactID ?? ""] = entry.seq
                        }
                    }
                    if entry.kind == .erasure, let contact = entry.contactID { lastErasure[contact] = entry.seq }
                    if let checkpoint = sealedAt[entry.seq], checkpoint.hash != entry.hash || !checkpoint.isSealed(by: secret) {
                        report.problem = .checkpointMismatch(seq: entry.seq)
                        throw Stop()
                    }
                    previous = entry.hash
                    report.entries = entry.seq
                    expected += 1
                    if entry.seq % 10_000 == 0 { progress?(entry.seq) }
                }
            } catch is Stop {
                return report
            }
            if let (bad, _) = suspect {
                report.problem = .changed(seq: bad.seq)
                return report
            }
            report.headHash = Hex.string(previous)
            // Personal data deleted without an erasure recorded after it was deleted outside OptGate.
            let unaccounted = lastMissing.compactMap { contact, last -> Int64? in
                guard let erased = lastErasure[contact], erased > last else { return firstMissing[contact] ?? last }
                return nil
            }.min()
            if let seq = unaccounted {
                report.problem = .personalDataMissing(seq: seq)
                return report
            }
            if let last = checkpoints.last {
                if last.seq > report.entries {
                    report.problem = .truncated(expected: last.seq, actual: report.entries)
                } else if last.seq < report.entries {
                    report.problem = .unsealed(seq: last.seq + 1)
                } else if let forged = checkpoints.first(where: { !$0.isSealed(by: secret) || sealedAt[$0.seq] == nil }) {
                    report.problem = .checkpointMismatch(seq: forged.seq)
                }
            } else if report.entries > 0 {
                report.problem = .unsealed(seq: 1)
            }
            return report
        }
    }
}

public import CrashAnalysis
import Foundation
import GRDB

extension CrashHistory {
    /// What re-signing the groups an older signature algorithm made did.
    public struct ResignSummary: Sendable, Equatable {
        /// Old groups looked at.
        public var groups = 0
        /// Old groups whose key changed and whose occurrences joined a group that was already there.
        public var merged = 0
        /// Old groups whose occurrences now sign differently from each other, and went to several groups.
        public var split = 0
        /// Occurrences that moved to another group.
        public var movedOccurrences = 0

        public init(groups: Int = 0, merged: Int = 0, split: Int = 0, movedOccurrences: Int = 0) {
            self.groups = groups
            self.merged = merged
            self.split = split
            self.movedOccurrences = movedOccurrences
        }

        public var description: String {
            "re-signed \(groups) crash group(s) an older crashwatch stored: \(merged) joined the group the same crash has now, \(split) held unrelated crashes and were split, \(movedOccurrences) occurrence(s) moved"
        }
    }

    /// Re-signs every group stored by a signature algorithm older than `currentVersion`, from its occurrences' own
    /// report text, so that a crash signed the old way and the same crash signed today are one group, and crashes the
    /// old algorithm put together wrongly are apart.
    ///
    /// A group's lifecycle (resolved, ignored) and its fix decisions go with its occurrences; a group that already had
    /// the new key keeps its own state unless it was only new or ongoing. All in one transaction: a failure leaves the
    /// history as it was.
    public func resign(currentVersion: Int, signing sign: @Sendable (OccurrenceRecord) -> CrashSignature)
        throws(HistoryError)
        -> ResignSummary
    {
        do {
            return try database.write { db in
                var summary = ResignSummary()
                let old = try CrashGroupRecord.filter(Column("algorithmVersion") < currentVersion).fetchAll(db)
                var touched: Set<Int64> = []
                for var group in old {
                    guard let groupID = group.id else { continue }
                    summary.groups += 1
                    let occurrences = try OccurrenceRecord.filter(OccurrenceRecord.Columns.groupID == groupID)
                        .order(OccurrenceRecord.Columns.time, OccurrenceRecord.Columns.id).fetchAll(db)
                    var signed = occurrences.map { (occurrence: $0, signature: sign($0)) }
                    // A stack-less copy joined this group by its build and crash minute when it was recorded (it
                    // has nothing to sign by): it stays with the crash it was a copy of.
                    if let anchor = signed.first(where: { !$0.signature.normalizedFrames.isEmpty })?.signature {
                        for index in signed.indices where signed[index].signature.normalizedFrames.isEmpty {
                            signed[index].signature = anchor
                        }
                    }
                    let keys = Set(signed.map(\.signature.groupKey))
                    if keys.count > 1 { summary.split += 1 }
                    guard let first = signed.first else {
                        group.algorithmVersion = currentVersion
                        try group.update(db)
                        continue
                    }
                    // The group itself takes the key of its first occurrence, unless that key is taken.
                    var targets: [String: Int64] = [:]
                    let ownKey = first.signature.groupKey
                    if let existing = try CrashGroupRecord.filter(CrashGroupRecord.Columns.groupKey == ownKey)
                        .fetchOne(db), existing.id != groupID, let existingID = existing.id
                    {
                        targets[ownKey] = existingID
                        summary.merged += 1
                    } else {
                        group.groupKey = ownKey
                        group.signature = first.signature.signature
                        group.faultKind = first.signature.faultKind
                        group.topFrames = Array(first.signature.similarityFrames.prefix(5))
                        group.algorithmVersion = currentVersion
                        if group.title == group.signature { group.title = first.signature.signature }
                        try group.update(db)
                        targets[ownKey] = groupID
                    }
                    for (occurrence, signature) in signed {
                        let key = signature.groupKey
                        if targets[key] == nil {
                            if let existing = try CrashGroupRecord.filter(CrashGroupRecord.Columns.groupKey == key)
                                .fetchOne(db)
                            {
                                targets[key] = existing.id
                            } else {
                                var split = group
                                split.id = nil
                                split.groupKey = key
                                split.signature = signature.signature
                                split.title = signature.signature
                                split.faultKind = signature.faultKind
                                split.topFrames = Array(signature.similarityFrames.prefix(5))
                                split.algorithmVersion = currentVersion
                                try split.insert(db)
                                targets[key] = split.id
                            }
                        }
                        guard let target = targets[key], target != groupID else { continue }
                        var moved = occurrence
                        moved.groupID = target
                        moved.frames = signature.normalizedFrames
                        try moved.update(db)
                        summary.movedOccurrences += 1
                    }
                    let mergedInto = targets[ownKey].flatMap { $0 == groupID ? nil : $0 }
                    if let mergedInto {
                        try db.execute(
                            sql: "UPDATE fixDecision SET groupID = ? WHERE groupID = ?",
                            arguments: [mergedInto, groupID])
                        try Self.carryLifecycle(from: group, to: mergedInto, db)
                        _ = try group.delete(db)
                    }
                    touched.formUnion(targets.values)
                    touched.insert(groupID)
                }
                let remaining = try Int64.fetchSet(db, sql: "SELECT id FROM crashGroup")
                let affected = Array(touched.intersection(remaining))
                try Self.recount(affected, db)
                try HistorySchema.rebuildGroupHosts(db, groupIDs: affected)
                return summary
            }
        } catch {
            throw Self.historyError(error, path: path)
        }
    }

    /// A group only new or ongoing takes the state a person gave the group that joins it (resolved in a build, ignored).
    private static func carryLifecycle(from old: CrashGroupRecord, to targetID: Int64, _ db: Database) throws {
        guard var target = try CrashGroupRecord.fetchOne(db, key: targetID) else { return }
        if target.state == .new || target.state == .ongoing, old.state == .resolved || old.state == .ignored {
            target.state = old.state
            target.resolvedInBuild = old.resolvedInBuild
            target.buildsBeforeResolve = Array(Set(target.buildsBeforeResolve + old.buildsBeforeResolve)).sorted()
            try target.update(db)
        }
    }

    /// Counts, builds and first/last seen of `groups` anew from their occurrences; a group left without any (and
    /// without decisions) is removed.
    private static func recount(_ groups: [Int64], _ db: Database) throws {
        for groupID in groups {
            guard var group = try CrashGroupRecord.fetchOne(db, key: groupID) else { continue }
            let occurrences = try OccurrenceRecord.filter(OccurrenceRecord.Columns.groupID == groupID)
                .order(OccurrenceRecord.Columns.time, OccurrenceRecord.Columns.id).fetchAll(db)
            guard let first = occurrences.first, let last = occurrences.max(by: { $0.time < $1.time }) else {
                if try FixDecisionRecord.filter(FixDecisionRecord.Columns.groupID == groupID).fetchCount(db) == 0 {
                    _ = try group.delete(db)
                }
                continue
            }
            group.count = occurrences.count
            group.firstSeen = first.time
            group.lastSeen = last.time
            var builds: [String] = []
            for build in occurrences.compactMap(\.build) where !builds.contains(build) { builds.append(build) }
            group.buildsSeen = builds
            if group.state == .new, group.count > 1 { group.state = .ongoing }
            try group.update(db)
        }
    }
}

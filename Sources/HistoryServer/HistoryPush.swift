import CrashAnalysis
public import CrashStore

/// `crashwatch history push`: a local SQLite history copied into a shared one, once.
///
/// Each occurrence is sent with a uid made from what names it (host, file, text, time), and each decision with one
/// made from its content, so a second push finds everything there and adds nothing. A group the push creates takes
/// the local lifecycle (resolved in a build, ignored); a group the shared history already had keeps its own.
public enum HistoryPush {
    public struct Summary: Sendable, Equatable {
        public var groups = 0
        public var occurrencesSent = 0
        public var alreadyThere = 0
        public var decisionsSent = 0
        /// Groups the push created and gave their local state (resolved, ignored, regressed).
        public var statesCopied = 0
    }

    public static func run(from local: CrashHistory, into shared: PostgresHistory) async throws(HistoryError)
        -> Summary
    {
        var summary = Summary()
        let host = local.origin.host
        for (group, occurrences, decisions) in try await local.everything() {
            summary.groups += 1
            var sharedID: Int64?
            var created = false
            for occurrence in occurrences {
                let prepared = PreparedOccurrence(stored: occurrence, of: group, defaultHost: host)
                switch try await shared.write(prepared) {
                case .recorded(let groupID, let lifecycle):
                    summary.occurrencesSent += 1
                    sharedID = groupID
                    if lifecycle == .newGroup { created = true }
                case .duplicate(let groupID):
                    summary.alreadyThere += 1
                    sharedID = groupID
                case .pending(let problem):
                    throw problem
                }
            }
            guard let sharedID else { continue }
            if created, group.state != .new, group.state != .ongoing {
                try await shared.adoptLifecycle(groupID: sharedID, from: group)
                summary.statesCopied += 1
            }
            for decision in decisions {
                var copy = decision
                copy.id = nil
                copy.groupID = sharedID
                let uid =
                    "push-"
                    + SignatureGenerator.stableHash(
                        [
                            group.groupKey, "\(decision.time)", decision.decision.rawValue, decision.commitHash ?? "",
                            decision.reason ?? "", decision.patch,
                        ].joined(separator: "\n"))
                if try await shared.insertIfNew(copy, uid: uid) { summary.decisionsSent += 1 }
            }
        }
        return summary
    }
}

public import CrashInbox
import CrashStore

/// Imports the reports already in the crash folders, each once (`crashwatch import`, and `watch` at start).
public enum CrashImport {
    public struct Summary: Sendable {
        public var imported = 0
        public var newGroups = 0
        public var skipped = 0
        public var notes = 0
        /// Reports analysed but not written to the history (locked, read-only or damaged database).
        public var notStored = 0
        /// Why the first of them could not be written.
        public var firstProblem: String?
        public var items: [InboxItem] = []
    }

    public static func run(_ setup: CrashSetup, progress: (Int, Int) -> Void = { _, _ in }) async throws -> Summary {
        let service = CrashInboxService(analyzer: setup.analyzer, history: setup.history, sourceRoot: setup.sourceRoot)
        let events = CrashFolderWatcher(folders: setup.folders).existingFiles().sorted { $0.lastWrite < $1.lastWrite }
        var summary = Summary()
        for (index, event) in events.enumerated() {
            if let item = await service.process(event) {
                switch item.outcome {
                case _ where item.note != nil: summary.notes += 1
                case .recorded(_, let lifecycle)?:
                    summary.imported += 1
                    if lifecycle == .newGroup { summary.newGroups += 1 }
                case .duplicate?: summary.skipped += 1
                case .pending(let problem)?:
                    summary.notStored += 1
                    if summary.firstProblem == nil { summary.firstProblem = problem.description }
                case nil: summary.notStored += 1
                }
                summary.items.append(item)
            } else {
                summary.skipped += 1
            }
            if index % 25 == 0 || index == events.count - 1 { progress(index + 1, events.count) }
        }
        return summary
    }
}

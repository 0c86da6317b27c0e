public import CrashInbox
import CrashStore

/// Imports the reports already in the crash folders, each once (`crashwatch import`, and `watch` at start).
public enum CrashImport {
    public struct Summary: Sendable {
        public var imported = 0
        public var newGroups = 0
        public var skipped = 0
        public var notes = 0
        public var items: [InboxItem] = []
    }

    public static func run(_ setup: CrashSetup, progress: (Int, Int) -> Void = { _, _ in }) async throws -> Summary {
        let service = CrashInboxService(analyzer: setup.analyzer, history: setup.history, sourceRoot: setup.sourceRoot)
        let events = CrashFolderWatcher(folders: setup.folders).existingFiles().sorted { $0.lastWrite < $1.lastWrite }
        var summary = Summary()
        for (index, event) in events.enumerated() {
            if let item = await service.process(event) {
                if item.note != nil {
                    summary.notes += 1
                } else {
                    summary.imported += 1
                    if case .recorded(_, .newGroup)? = item.outcome { summary.newGroups += 1 }
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

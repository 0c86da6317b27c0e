/// A line of input at the bottom of the screen (`/` search, `f` filter).
public struct Prompt: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case search, filter
        /// `F`: hide the lines matching a regex.
        case filterOut
        /// `:`: a command (`goto`, `mark`, …).
        case command
        /// `/` in the errors or warnings pane: find a row.
        case listSearch(PaneKind)
        /// `/` in the crash detail view (which it returns to).
        case detailSearch(CrashDetail)
        /// Text filter of the history browser.
        case historyFilter
        /// Regex filter of the errors or warnings pane.
        case listFilter(PaneKind)
        /// The build a group is resolved in.
        case resolveBuild(groupID: Int64)
        /// "y" applies fix candidate `index`.
        case confirmApply(index: Int)
        case rejectReason(index: Int)
        /// The source tree has uncommitted changes: "s" stashes them and applies, anything else cancels.
        case dirtyTree(index: Int)
        /// "y" reverts the applied fix of crash group `groupKey`; the detail view it came from comes back.
        case confirmRevert(groupKey: String, detail: CrashDetail)

        /// The crash detail view the prompt returns to on Esc.
        var detailView: CrashDetail? {
            switch self {
            case .detailSearch(let detail), .confirmRevert(_, let detail): detail
            default: nil
            }
        }

        var belongsToFixPreview: Bool {
            switch self {
            case .confirmApply, .rejectReason, .dirtyTree: true
            default: false
            }
        }

        var label: String {
            switch self {
            case .search: "/"
            case .filter: "filter: "
            case .filterOut: "filter out: "
            case .command: ":"
            case .detailSearch, .listSearch: "/"
            case .historyFilter: "history filter: "
            case .listFilter(let pane): "\(pane == .errors ? "errors" : "warnings") filter: "
            case .resolveBuild: "resolved in build: "
            case .confirmApply: "apply this patch through git on a new branch? y to apply: "
            case .rejectReason: "reject — reason: "
            case .dirtyTree:
                "the source tree has uncommitted changes — s: stash them and apply, anything else: cancel: "
            case .confirmRevert:
                "revert this group's fix in the source tree with a new commit? y to revert: "
            }
        }
    }

    public var kind: Kind
    public var text: String
    /// Where typing goes, in characters from the start.
    public var cursor: Int
    /// What Enter on an empty line means (the newest build for a resolve), shown in the label.
    public var defaultText: String?
    /// Which entry of the history Up/Down show (nil: the line being typed).
    var historyIndex: Int?
    /// The line being typed, kept while Up/Down show the history.
    var draft = ""

    /// A prompt opens empty, as a shell's does; the previous value is one Up away.
    public init(kind: Kind, text: String = "", defaultText: String? = nil) {
        self.kind = kind
        self.text = text
        cursor = text.count
        self.defaultText = defaultText
    }

    /// What Enter commits: the text, or the default when nothing was typed.
    public var value: String { text.isEmpty ? defaultText ?? "" : text }

    /// The label, with the default when there is one.
    var shownLabel: String {
        guard let defaultText, !defaultText.isEmpty else { return kind.label }
        return String(kind.label.dropLast(2)) + " (Enter: \(defaultText)): "
    }

    /// Which history Up/Down walk: searches share one, filters another, reasons and builds their own; the yes/no
    /// questions none.
    var historyKey: String? {
        switch kind {
        case .search, .detailSearch, .listSearch: "search"
        case .filter, .historyFilter, .listFilter: "filter"
        case .filterOut: "filter out"
        case .command: "command"
        case .resolveBuild: "build"
        case .rejectReason: "reason"
        case .confirmApply, .dirtyTree, .confirmRevert: nil
        }
    }

    // MARK: - Editing, as readline does

    /// Tab: completes a command name the text starts (`go` → `goto `); several candidates are returned to be said.
    mutating func complete(from names: [String]) -> [String] {
        guard !text.contains(" ") else { return [] }
        let candidates = names.filter { $0.hasPrefix(text) }
        if candidates.count == 1 {
            text = candidates[0] + " "
            cursor = text.count
            return []
        }
        return candidates
    }

    mutating func insert(_ character: Character) {
        var characters = Array(text)
        characters.insert(character, at: cursor)
        text = String(characters)
        cursor += 1
    }

    mutating func deleteBackward() {
        guard cursor > 0 else { return }
        var characters = Array(text)
        characters.remove(at: cursor - 1)
        text = String(characters)
        cursor -= 1
    }

    /// Ctrl-W: the word before the cursor, and the spaces after it.
    mutating func deleteWordBackward() {
        var characters = Array(text)
        var start = cursor
        while start > 0, characters[start - 1] == " " { start -= 1 }
        while start > 0, characters[start - 1] != " " { start -= 1 }
        characters.removeSubrange(start..<cursor)
        text = String(characters)
        cursor = start
    }

    /// Ctrl-U: everything before the cursor.
    mutating func deleteToStart() {
        text = String(text.dropFirst(cursor))
        cursor = 0
    }

    mutating func move(by offset: Int) { cursor = min(max(0, cursor + offset), text.count) }
    mutating func moveToStart() { cursor = 0 }
    mutating func moveToEnd() { cursor = text.count }

    /// Up (`older`) or Down through `history` (oldest first).
    mutating func recall(_ history: [String], older: Bool) {
        guard !history.isEmpty else { return }
        if historyIndex == nil {
            guard older else { return }
            draft = text
            historyIndex = history.count
        }
        let next = (historyIndex ?? history.count) + (older ? -1 : 1)
        if next >= history.count {
            historyIndex = nil
            text = draft
        } else {
            historyIndex = max(0, next)
            text = history[historyIndex!]
        }
        cursor = text.count
    }
}

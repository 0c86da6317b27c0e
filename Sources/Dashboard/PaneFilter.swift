public import LogWatch

/// What a log pane shows: lines matching a regex (`f`), not matching one (`F`), of some levels only (`l`) — the three
/// stack.
public struct PaneFilter: Sendable, CustomStringConvertible {
    /// Which levels are shown (`l` steps through them).
    public enum Levels: Sendable, CaseIterable {
        case all, warningsAndErrors, errors

        var next: Levels {
            let all = Self.allCases
            return all[(all.firstIndex(of: self)! + 1) % all.count]
        }

        func admits(_ level: LogLevel?) -> Bool {
            switch self {
            case .all: true
            case .warningsAndErrors: (level ?? .info) >= .warn
            case .errors: level?.isError == true
            }
        }

        var name: String {
            switch self {
            case .all: "all levels"
            case .warningsAndErrors: "warnings and errors"
            case .errors: "errors only"
            }
        }
    }

    public var include: LineFilter?
    public var exclude: LineFilter?
    public var levels = Levels.all

    public init(include: LineFilter? = nil, exclude: LineFilter? = nil, levels: Levels = .all) {
        self.include = include
        self.exclude = exclude
        self.levels = levels
    }

    /// True when it lets every line through.
    public var isEmpty: Bool { include == nil && exclude == nil && levels == .all }

    public func matches(_ line: LogLine) -> Bool {
        guard levels.admits(line.level) else { return false }
        if let include, !include.matches(line.text) { return false }
        if let exclude, exclude.matches(line.text) { return false }
        return true
    }

    public var description: String {
        [include.map { "\($0)" }, exclude.map { "not \($0)" }, levels == .all ? nil : levels.name]
            .compactMap(\.self).joined(separator: " ")
    }
}

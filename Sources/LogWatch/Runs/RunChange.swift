/// One template that differs between the previous run of a log and this one: new, gone, or seen more or fewer times.
public struct RunChange: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        case new, gone, more, fewer
    }

    public var kind: Kind
    public var template: String
    public var before: Int
    public var now: Int
    /// The first line of the template, in this run (or the previous one, for a gone template).
    public var example: String
    /// Its line number in this run's pane; nil for a gone template.
    public var firstLine: Int?

    /// The changes from `previous` to `current`: new templates first, then gone ones, then those whose count
    /// changed, each by how many lines they account for, most first.
    public static func between(_ previous: RunSummary, _ current: RunSummary) -> [RunChange] {
        var changes: [RunChange] = []
        for (template, entry) in current.templates {
            let before = previous.templates[template]?.count ?? 0
            guard before != entry.count else { continue }
            changes.append(
                RunChange(
                    kind: before == 0 ? .new : entry.count > before ? .more : .fewer, template: template,
                    before: before, now: entry.count, example: entry.example, firstLine: entry.firstLine))
        }
        for (template, entry) in previous.templates where current.templates[template] == nil {
            changes.append(
                RunChange(
                    kind: .gone, template: template, before: entry.count, now: 0, example: entry.example,
                    firstLine: nil))
        }
        let order: [Kind: Int] = [.new: 0, .gone: 1, .more: 2, .fewer: 3]
        return changes.sorted {
            if $0.kind != $1.kind { return order[$0.kind]! < order[$1.kind]! }
            let (left, right) = (abs($0.now - $0.before), abs($1.now - $1.before))
            return left != right ? left > right : $0.template < $1.template
        }
    }
}

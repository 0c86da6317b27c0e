/// Where a warning template stands, judged on its own rate (not on "ever seen N times").
public enum EscalationState: String, Sendable, CaseIterable, Comparable {
    /// The rate of the last 60 seconds is well above the template's own baseline (so it needs a past minute).
    case escalating
    /// First seen within the last ten minutes.
    case new
    case steady
    /// The rate dropped well below its baseline.
    case calming
    /// Not seen for a while (`quietSeconds`): its counts are history.
    case quiet

    /// Sort order: what needs attention first.
    public static func < (lhs: EscalationState, rhs: EscalationState) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// How escalation is judged.
public struct EscalationConfig: Sendable, Equatable {
    /// A template escalates when its last 60 seconds hold at least `factor` × its average minute of the ten minutes
    /// before them.
    public var factor: Double = 3
    /// … and at least this many in those 60 seconds.
    public var minimumCount = 5
    /// The old rule instead: escalating once seen this many times in all (nil: use the rate rule).
    public var lifetimeCountThreshold: Int?
    /// Templates tracked at most; the least recently seen are dropped beyond it.
    public var maxTemplates = 2_000
    /// Seconds after its first sighting during which a template is `new`.
    public var newWindowSeconds: Int64 = 600
    /// Seconds without an occurrence after which a template is `quiet`.
    public var quietSeconds: Int64 = 600

    public init() {}
}

/// One occurrence of a template, for showing and jumping to.
public struct TemplateOccurrence: Sendable, Equatable {
    public var pane: Int
    public var lineNumber: Int
    public var time: Int64
    public var text: String
}

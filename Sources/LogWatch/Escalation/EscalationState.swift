/// Where a warning template stands, judged on its own rate (not on "ever seen N times").
public enum EscalationState: String, Sendable, CaseIterable, Comparable {
    /// The rate in the current minute is well above the template's own baseline (so it needs a past minute).
    case escalating
    /// First seen within the last ten minutes.
    case new
    case steady
    /// The rate dropped well below its baseline.
    case calming

    /// Sort order: what needs attention first.
    public static func < (lhs: EscalationState, rhs: EscalationState) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// How escalation is judged.
public struct EscalationConfig: Sendable, Equatable {
    /// A warning escalates when its current minute is at least `factor` × the average of the ten minutes before it.
    public var factor: Double = 3
    /// … and at least this many in the current minute.
    public var minimumCount = 5
    /// The old rule instead: escalating once seen this many times in all (nil: use the rate rule).
    public var lifetimeCountThreshold: Int?
    /// Templates tracked at most; the least recently seen are dropped beyond it.
    public var maxTemplates = 2_000
    /// Seconds after its first sighting during which a template is `new`.
    public var newWindowSeconds: Int64 = 600

    public init() {}
}

/// One occurrence of a template, for showing and jumping to.
public struct TemplateOccurrence: Sendable, Equatable {
    public var pane: Int
    public var lineNumber: Int
    public var time: Int64
    public var text: String
}

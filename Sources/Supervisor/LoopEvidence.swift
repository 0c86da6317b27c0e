public import CrashAnalysis

/// The server's log lines the loop hands to the analysis of a crash: timestamped lines, and the runs of files whose
/// lines carry no time (TrinityCore's default `Server.log`).
public struct LoopEvidence: Sendable {
    public var lines: [LogEvidenceLine]
    public var untimed: [UntimedLog]

    public init(lines: [LogEvidenceLine] = [], untimed: [UntimedLog] = []) {
        self.lines = lines
        self.untimed = untimed
    }
}

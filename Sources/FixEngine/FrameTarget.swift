public import CrashAnalysis

/// A frame a fix template may edit: in-app, with what the report says about where it stopped.
public struct FrameTarget: Sendable, Equatable {
    /// Normalised name (`Unit::DealDamage`).
    public var name: String
    /// The report's file for it, to look there first.
    public var file: String?
    /// The report's 1-based line.
    public var line: Int?
    /// The in-app frame just above it, whose call this frame's line makes.
    public var callee: String?

    /// Fault kinds where a pointer was invalid.
    public static let accessFaults: Set<String> = ["ACCESS_VIOLATION", "SIGSEGV", "SIGBUS", "IN_PAGE_ERROR"]

    /// The in-app frames of the crashing thread, top first.
    public static func targets(of result: CrashAnalysisResult) -> [FrameTarget] {
        let frames = result.report.crashingThread?.frames ?? []
        let names = result.signature.normalizedFrames
        let inApp = result.signature.similarityFrames
        var targets: [FrameTarget] = []
        for name in inApp {
            let index = names.firstIndex(of: name)
            let frame = index.flatMap { $0 < frames.count ? frames[$0] : nil }
            // The frame just above is the call this line makes, when it is the program's own code; a library frame
            // (a `std::` container, libc) above means this line's own dereferences are the suspects.
            let above = index.flatMap { $0 > 0 ? names[$0 - 1] : nil }
            let callee = above.flatMap { inApp.contains($0) ? $0 : nil }
            targets.append(FrameTarget(name: name, file: frame?.file, line: frame?.line, callee: callee))
        }
        // An ASSERT printed without a stack names the function it failed in.
        if targets.isEmpty, let assertion = result.report.assertion, let function = assertion.function,
            !function.isEmpty
        {
            targets.append(
                FrameTarget(
                    name: FrameNormalizer.normalize(function: function), file: assertion.file, line: assertion.line,
                    callee: nil))
        }
        return targets
    }
}

public import CrashAnalysis
public import FixEngine

/// The supervised loop: run the server until it crashes or survives the retest time → analyse → propose → approve
/// (or apply in auto mode) → apply → rebuild → retest, until the crash is gone, the same crash repeats too often,
/// the iterations run out, a build fails, or the user quits.
///
/// The effects (processes, git, the user's decision) are behind `LoopEffects`, so the state machine is tested with
/// fakes.
public struct CrashLoop: Sendable {
    public enum Mode: Sendable, Equatable {
        /// Only watches and analyses.
        case manual
        /// Proposes the fix and waits for approve / reject (the default).
        case semi
        /// Applies the top candidate when it is not symptom-only and its confidence is at least the threshold;
        /// otherwise waits like `semi`.
        case auto(threshold: Double)
    }

    public struct Settings: Sendable {
        public var mode: Mode = .semi
        public var maxIterations = 10
        /// Stop after the same signature crashes this many times in a row.
        public var sameCrashLimit = 3

        public init() {}
    }

    public enum Step: String, Sendable, Equatable {
        case runServer = "run server", analyse, propose, approve, apply, build, test, retest
    }

    public enum StopReason: Sendable, Equatable, CustomStringConvertible {
        case fixed(signature: String)
        case survived
        /// The server stopped by itself, without crashing, before the retest time was up.
        case serverExited(String)
        case sameCrashRepeated(signature: String, times: Int)
        case maxIterations(Int)
        case buildFailed(String)
        case noFix(signature: String)
        /// The person rejected every candidate for the crash.
        case rejected(signature: String, reason: String)
        case stoppedByUser
        case manualMode(signature: String)

        public var description: String {
            switch self {
            case .fixed(let signature): "fixed: \(signature) no longer crashes in the retest"
            case .survived: "the server survived the retest time without crashing"
            case .serverExited(let detail): "stopped: the server \(detail) — neither a crash nor a survived retest"
            case .sameCrashRepeated(let signature, let times): "stopped: \(signature) crashed \(times) times in a row"
            case .maxIterations(let count): "stopped after the maximum of \(count) iterations"
            case .buildFailed(let why): "stopped: the build failed (\(why)); the fix can be reverted"
            case .noFix(let signature): "stopped: no applicable fix for \(signature)"
            case .rejected(let signature, let reason): "stopped: the fix for \(signature) was rejected (\(reason))"
            case .stoppedByUser: "stopped by the user"
            case .manualMode(let signature): "manual mode: \(signature) analysed; nothing applied"
            }
        }
    }

    public struct Event: Sendable, Equatable {
        public var iteration: Int
        public var step: Step
        public var detail: String
    }

    public let settings: Settings

    public init(settings: Settings) {
        self.settings = settings
    }

    /// Runs the loop; `progress` gets one event per step (for the loop pane and `--headless` lines).
    public func run(_ effects: some LoopEffects, progress: @Sendable (Event) async -> Void = { _ in }) async -> (
        StopReason, [Event]
    ) {
        var events: [Event] = []
        func log(_ iteration: Int, _ step: Step, _ detail: String) async {
            let event = Event(iteration: iteration, step: step, detail: detail)
            events.append(event)
            await progress(event)
        }
        var lastSignature: String?
        var repeats = 0
        var fixedSignature: String?
        for iteration in 1...max(1, settings.maxIterations) {
            if Task.isCancelled { return (.stoppedByUser, events) }
            await log(iteration, fixedSignature == nil ? .runServer : .retest, "starting the server")
            let outcome = await effects.runServer()
            // Stopped from outside (a signal to crashwatch): what the server did after that is not a result.
            if Task.isCancelled { return (.stoppedByUser, events) }
            guard case .crashed(let report) = outcome else {
                if case .stopped = outcome { return (.stoppedByUser, events) }
                if case .exitedEarly(let detail) = outcome {
                    await log(iteration, .retest, "the server \(detail)")
                    return (.serverExited(detail), events)
                }
                await log(iteration, .retest, "survived")
                return (fixedSignature.map { .fixed(signature: $0) } ?? .survived, events)
            }
            let result = await effects.analyse(report)
            let signature = result.signature.signature
            await log(iteration, .analyse, signature)
            repeats = signature == lastSignature ? repeats + 1 : 1
            lastSignature = signature
            if repeats >= settings.sameCrashLimit {
                return (.sameCrashRepeated(signature: signature, times: repeats), events)
            }
            if settings.mode == .manual { return (.manualMode(signature: signature), events) }
            let candidates = await effects.propose(result).filter { $0.diff != nil }
            await log(
                iteration, .propose,
                "\(candidates.count) candidate(s)\(candidates.first?.compileCheck.map { "; the first \($0)" } ?? "")")
            guard let top = candidates.first else { return (.noFix(signature: signature), events) }
            var chosen: FixCandidate?
            // Auto mode applies alone only a cause fix that compiled with the user's build; anything else waits.
            if case .auto(let threshold) = settings.mode, top.canBeAppliedAutomatically, top.confidence >= threshold {
                chosen = top
                await log(iteration, .approve, "auto: \(top.title)")
            } else {
                if case .auto = settings.mode {
                    let why =
                        top.isSymptomOnly
                        ? "symptom-only" : top.compileCheck.map { "\($0)" } ?? "not compile-checked"
                    await log(iteration, .approve, "auto holds \(top.title) for a person: \(why)")
                }
                switch await effects.approve(candidates, result) {
                case .approved(let candidate):
                    guard candidate.canBeApproved else {
                        await log(
                            iteration, .approve,
                            "refused: \(candidate.title) — \(candidate.compileCheck.map { "\($0)" } ?? "no patch")")
                        return (.noFix(signature: signature), events)
                    }
                    chosen = candidate
                    await log(iteration, .approve, "approved: \(candidate.title)")
                case .rejected(let reason):
                    await log(iteration, .approve, "rejected: \(reason)")
                    return (.rejected(signature: signature, reason: reason), events)
                case .quit:
                    return (.stoppedByUser, events)
                }
            }
            guard let fix = chosen else { return (.noFix(signature: signature), events) }
            if let problem = await effects.apply(fix, result) {
                await log(iteration, .apply, "failed: \(problem)")
                return (.noFix(signature: signature), events)
            }
            await log(iteration, .apply, fix.title)
            let buildFailure = await effects.build()
            if Task.isCancelled { return (.stoppedByUser, events) }
            if let failure = buildFailure {
                await log(iteration, .build, "failed: \(failure)")
                return (.buildFailed(failure), events)
            }
            await log(iteration, .build, "succeeded")
            if let failure = await effects.test() {
                await log(iteration, .test, "failed: \(failure)")
                return (.buildFailed("tests: \(failure)"), events)
            }
            await log(iteration, .test, "passed")
            fixedSignature = signature
        }
        return (.maxIterations(settings.maxIterations), events)
    }
}

/// What the server did in one run.
public enum ServerOutcome: Sendable, Equatable {
    /// Crashed; the crash report text (from the crash folder or the captured output).
    case crashed(report: String)
    /// Ran for the whole retest time.
    case survived
    /// Stopped by itself without crashing before the retest time was up (a clean exit is not a fix).
    case exitedEarly(detail: String)
    /// The user stopped it.
    case stopped
}

public enum Approval: Sendable, Equatable {
    case approved(FixCandidate)
    case rejected(reason: String)
    case quit
}

/// Everything the loop does to the world.
public protocol LoopEffects: Sendable {
    func runServer() async -> ServerOutcome
    func analyse(_ report: String) async -> CrashAnalysisResult
    func propose(_ result: CrashAnalysisResult) async -> [FixCandidate]
    func approve(_ candidates: [FixCandidate], _ result: CrashAnalysisResult) async -> Approval
    /// nil on success, else why it failed (the tree is left as it was).
    func apply(_ candidate: FixCandidate, _ result: CrashAnalysisResult) async -> String?
    /// nil on success, else the failure.
    func build() async -> String?
    func test() async -> String?
}

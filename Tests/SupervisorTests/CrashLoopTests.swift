import CrashAnalysis
import CrashwatchKit
import FixEngine
import Foundation
import Testing

@testable import Supervisor

/// The loop with fake effects: scripted server runs, decisions, builds and tests.
@Suite struct CrashLoopTests {
    actor Script: LoopEffects {
        var runs: [ServerOutcome]
        var approvals: [Approval]
        var buildFailure: String?
        var candidates: [FixCandidate]
        private(set) var applied: [String] = []
        private(set) var askedToApprove = 0

        init(runs: [ServerOutcome], approvals: [Approval] = [], buildFailure: String? = nil, candidates: [FixCandidate])
        {
            self.runs = runs
            self.approvals = approvals
            self.buildFailure = buildFailure
            self.candidates = candidates
        }

        func runServer() async -> ServerOutcome { runs.isEmpty ? .survived : runs.removeFirst() }
        nonisolated func analyse(_ report: String) async -> CrashAnalysisResult {
            CrashLoopTests.result(signature: report)
        }
        func propose(_ result: CrashAnalysisResult) async -> [FixCandidate] { candidates }
        func approve(_ candidates: [FixCandidate], _ result: CrashAnalysisResult) async -> Approval {
            askedToApprove += 1
            return approvals.isEmpty ? .quit : approvals.removeFirst()
        }
        func apply(_ candidate: FixCandidate, _ result: CrashAnalysisResult) async -> String? {
            applied.append(candidate.title)
            return nil
        }
        func build() async -> String? { buildFailure }
        func test() async -> String? { nil }
    }

    static func result(signature: String) -> CrashAnalysisResult {
        var report = CrashReport(format: .gdb, rawText: signature)
        report.exceptionCode = "SIGSEGV"
        return CrashAnalysisResult(
            file: nil, report: report,
            signature: CrashSignature(
                signature: signature, groupKey: "g", algorithmVersion: 1, faultKind: "SIGSEGV", similarityFrames: [],
                normalizedFrames: [], note: nil),
            diagnosis: Diagnosis(
                severity: .high, isBotRelated: false, botEvidence: [], components: [],
                rootCause: .init(text: "x", evidence: []), suggestions: [], patterns: []),
            correlation: nil)
    }

    static func fix(
        _ title: String, symptomOnly: Bool = false, confidence: Double = 0.8,
        compiled: CompileCheck? = .compiles(units: ["x"])
    ) -> FixCandidate {
        var candidate = FixCandidate(
            source: "template", title: title, diff: "--- a/x\n+++ b/x\n", file: "x", explanation: "",
            isSymptomOnly: symptomOnly, confidence: confidence, evidence: [])
        candidate.compileCheck = compiled
        return candidate
    }

    @Test func autoModeAppliesNothingThatDidNotCompileOrWasNotChecked() async {
        var settings = CrashLoop.Settings()
        settings.mode = .auto(threshold: 0.5)
        for check in [CompileCheck.notChecked("no compile_commands.json"), .fails(unit: "x", error: "x:1: error: e")] {
            let script = Script(
                runs: [.crashed(report: "A")], approvals: [.rejected(reason: "not now")],
                candidates: [Self.fix("bot guard", confidence: 0.9, compiled: check)])
            let (reason, events) = await CrashLoop(settings: settings).run(script)
            #expect(await script.askedToApprove == 1, "\(check): a person decides")
            #expect(reason == .rejected(signature: "A", reason: "not now"))
            #expect(events.contains { $0.detail.hasPrefix("auto holds bot guard for a person") })
        }
        // A candidate that does not compile is not applied even when someone approves it.
        let approvedBroken = Script(
            runs: [.crashed(report: "A")],
            approvals: [.approved(Self.fix("guard", compiled: .fails(unit: "x", error: "x:1: error: e")))],
            candidates: [Self.fix("guard", compiled: .fails(unit: "x", error: "x:1: error: e"))])
        let (refused, events) = await CrashLoop(settings: .init()).run(approvedBroken)
        #expect(refused == .noFix(signature: "A"))
        #expect(events.contains { $0.detail.hasPrefix("refused: guard") })
        #expect(await approvedBroken.applied.isEmpty)
    }

    @Test func crashFixRebuildRetestSurvives() async {
        let script = Script(
            runs: [.crashed(report: "SIGSEGV | Map::Update"), .survived], approvals: [.approved(Self.fix("guard"))],
            candidates: [Self.fix("guard")])
        let (reason, events) = await CrashLoop(settings: .init()).run(script)
        #expect(reason == .fixed(signature: "SIGSEGV | Map::Update"))
        #expect(
            events.map(\.step) == [.runServer, .analyse, .propose, .approve, .apply, .build, .test, .retest, .retest])
        #expect(await script.applied == ["guard"])
    }

    @Test func aCrashThenACleanExitIsNotAFix() async {
        let script = Script(
            runs: [
                .crashed(report: "SIGSEGV | Map::Update"), .exitedEarly(detail: "exited with status 0 after 0.1 s"),
            ],
            approvals: [.approved(Self.fix("guard"))], candidates: [Self.fix("guard")])
        let (reason, events) = await CrashLoop(settings: .init()).run(script)
        #expect(reason == .serverExited("exited with status 0 after 0.1 s"))
        #expect(events.last?.detail == "the server exited with status 0 after 0.1 s")
    }

    /// A real server that exits 0 at once: not "survived", whatever its status.
    @Test func aServerThatExitsAtOnceDidNotSurviveTheRetest() async throws {
        let scratch = TemporaryDirectory("cw-exit-early")
        var configuration = SupervisedEffects.Configuration(
            server: ProcessSpec(command: "true"), build: nil, test: nil, crashFolder: scratch.path,
            sourceRoot: scratch.path)
        configuration.retestTime = .seconds(5)
        let effects = SupervisedEffects(
            configuration: configuration,
            analyzer: CrashAnalyzer(rules: SignatureRules(), patterns: [], components: ComponentRules()),
            decide: { _, _ in .quit })
        let outcome = await effects.runServer()
        guard case .exitedEarly(let detail) = outcome else {
            Issue.record("expected an early exit, got \(outcome)")
            return
        }
        #expect(detail.hasPrefix("exited with status 0 after "))
        let (reason, _) = await CrashLoop(settings: .init()).run(effects)
        guard case .serverExited = reason else {
            Issue.record("a server that exits at once is reported as such, not as \(reason)")
            return
        }
    }

    @Test func theSameCrashThreeTimesStops() async {
        let crash = ServerOutcome.crashed(report: "SIGSEGV | Unit::DealDamage")
        let script = Script(
            runs: [crash, crash, crash, crash], approvals: Array(repeating: .approved(Self.fix("guard")), count: 5),
            candidates: [Self.fix("guard")])
        let (reason, _) = await CrashLoop(settings: .init()).run(script)
        #expect(reason == .sameCrashRepeated(signature: "SIGSEGV | Unit::DealDamage", times: 3))
    }

    @Test func aFailedBuildStops() async {
        let script = Script(
            runs: [.crashed(report: "A")], approvals: [.approved(Self.fix("guard"))],
            buildFailure: "error: no member named IsBot", candidates: [Self.fix("guard")])
        let (reason, _) = await CrashLoop(settings: .init()).run(script)
        #expect(reason == .buildFailed("error: no member named IsBot"))
    }

    @Test func autoModeAppliesOnlyConfidentCauseFixes() async {
        var settings = CrashLoop.Settings()
        settings.mode = .auto(threshold: 0.5)
        let confident = Script(
            runs: [.crashed(report: "A"), .survived], candidates: [Self.fix("bot guard", confidence: 0.6)])
        let (reason, _) = await CrashLoop(settings: settings).run(confident)
        #expect(reason == .fixed(signature: "A"))
        #expect(await confident.askedToApprove == 0)

        let symptomOnly = Script(
            runs: [.crashed(report: "A")], approvals: [.rejected(reason: "hides it")],
            candidates: [Self.fix("null check", symptomOnly: true, confidence: 0.9)])
        let (second, _) = await CrashLoop(settings: settings).run(symptomOnly)
        #expect(await symptomOnly.askedToApprove == 1, "a symptom-only fix waits for a person even in auto mode")
        #expect(second == .rejected(signature: "A", reason: "hides it"))
    }

    @Test func manualModeOnlyAnalyses() async {
        var settings = CrashLoop.Settings()
        settings.mode = .manual
        let script = Script(runs: [.crashed(report: "A")], candidates: [Self.fix("guard")])
        let (reason, _) = await CrashLoop(settings: settings).run(script)
        #expect(reason == .manualMode(signature: "A"))
        #expect(await script.applied.isEmpty)
    }

    @Test func iterationsAreBoundedAndQuitStops() async {
        var settings = CrashLoop.Settings()
        settings.maxIterations = 3
        let different = Script(
            runs: [.crashed(report: "A"), .crashed(report: "B"), .crashed(report: "C"), .crashed(report: "D")],
            approvals: Array(repeating: .approved(Self.fix("guard")), count: 4), candidates: [Self.fix("guard")])
        let (reason, _) = await CrashLoop(settings: settings).run(different)
        #expect(reason == .maxIterations(3))
        let quitting = Script(runs: [.crashed(report: "A")], approvals: [.quit], candidates: [Self.fix("guard")])
        #expect(await CrashLoop(settings: .init()).run(quitting).0 == .stoppedByUser)
    }
}

public import CrashAnalysis
import Foundation

/// Turns an analysed crash into ranked fix candidates against the user's source tree.
///
/// Each matched pattern's template is tried on the first in-app frame the template can work with (found by name in
/// the tree), and a debug-logging candidate is always offered. Ranking: fixes that address the cause before
/// symptom-only ones, then higher confidence, then smaller diffs.
public struct FixProposer: Sendable {
    public let locator: SourceLocator
    /// Compiles each candidate with the user's build; nil when there is no compile database (see `compileProblem`).
    public var compileChecker: CompileChecker?
    /// Why candidates are not compile-checked.
    public var compileProblem: String?

    /// - Parameter buildDirectory: the folder holding `compile_commands.json`; by default it is looked for under
    ///   the tree.
    public init(sourceRoot: String, buildDirectory: String? = nil) {
        locator = SourceLocator(root: sourceRoot)
        do {
            if let database = try CompileDatabase.find(sourceRoot: sourceRoot, buildDirectory: buildDirectory) {
                compileChecker = CompileChecker(sourceRoot: sourceRoot, database: database)
            } else {
                compileProblem =
                    "no compile_commands.json in the source tree or its build folders (cmake -DCMAKE_EXPORT_COMPILE_COMMANDS=ON, or set build-dir)"
            }
        } catch {
            compileProblem = error.description
        }
    }

    /// The candidates for `result`, best first: the templates its patterns name, the provider's patch when a
    /// provider is configured, and always more logging.
    public func candidates(
        for result: CrashAnalysisResult, groupSize: Int = 1, provider: FixProvider? = nil
    ) -> [FixCandidate] {
        let targets = FrameTarget.targets(of: result)
        var requests: [(FixTemplate, String)] = []
        for match in result.diagnosis.patterns {
            for id in match.fixTemplates {
                guard let template = FixTemplate(rawValue: id) else {
                    requests.append((.debugLogging, "pattern \(match.id) names an unknown fix template \(id)"))
                    continue
                }
                requests.append((template, "pattern \(match.id) (\(match.name))"))
            }
        }
        if FrameTarget.accessFaults.contains(result.signature.faultKind) {
            requests.append(
                (.crashLineGuard, "an invalid memory access: what the crashing line dereferences is checked"))
        }
        requests.append((.debugLogging, "always offered: more evidence for the next occurrence"))
        var candidates: [FixCandidate] = []
        var seen: Set<String> = []
        for (template, reason) in requests where !seen.contains(template.rawValue) {
            seen.insert(template.rawValue)
            candidates.append(
                candidate(template, reason: reason, targets: targets, result: result, groupSize: groupSize))
        }
        let upstream = UpstreamFix(root: locator.root)
        for match in result.diagnosis.patterns {
            for commit in match.upstreamFixes {
                candidates.insert(
                    upstream.candidate(
                        commit: commit, patternID: match.id,
                        evidence: Self.evidence(
                            result, groupSize: groupSize,
                            "pattern \(match.id) (\(match.name)) records upstream fix \(commit.prefix(12))")), at: 0)
            }
        }
        if let provider {
            candidates.insert(candidate(fromProvider: provider, result: result, groupSize: groupSize), at: 0)
        }
        let rootedEndings = candidates.map { candidate in
            var candidate = candidate
            if candidate.source.hasPrefix("template:"), let diff = candidate.diff {
                candidate.diff = UnifiedDiff.matchingLineEndings(diff, root: locator.root)
            }
            return candidate
        }
        return Self.ranked(compileChecked(rootedEndings))
    }

    /// Every candidate with a patch, compiled with the user's build (or marked as not checked, and why).
    public func compileChecked(_ candidates: [FixCandidate]) -> [FixCandidate] {
        if let compileChecker { return compileChecker.check(candidates) }
        return candidates.map { candidate in
            var candidate = candidate
            if candidate.diff != nil { candidate.compileCheck = .notChecked(compileProblem ?? "no compile database") }
            return candidate
        }
    }

    /// Best first: a patch before none, one that may compile before one that does not, a cause before a symptom
    /// before more logging, then confidence, then the smaller patch.
    public static func ranked(_ candidates: [FixCandidate]) -> [FixCandidate] {
        candidates.sorted { a, b in
            if (a.diff == nil) != (b.diff == nil) { return a.diff != nil }
            if a.canBeApproved != b.canBeApproved { return a.canBeApproved }
            if a.isEvidenceOnly != b.isEvidenceOnly { return !a.isEvidenceOnly }
            if a.isSymptomOnly != b.isSymptomOnly { return !a.isSymptomOnly }
            if a.confidence != b.confidence { return a.confidence > b.confidence }
            return a.diffSize < b.diffSize
        }
    }

    private func candidate(
        _ template: FixTemplate, reason: String, targets: [FrameTarget], result: CrashAnalysisResult,
        groupSize: Int
    ) -> FixCandidate {
        let baseEvidence = Self.evidence(result, groupSize: groupSize, reason)
        if template == .crashLineGuard {
            return crashLineGuard(targets: targets, result: result, evidence: baseEvidence)
        }
        var refusals: [String] = []
        for target in targets.prefix(4) {
            let located = locate(target, refusals: &refusals)
            if case .noSourceTree = located { break }
            guard case .found(let function, let lines) = located else { continue }
            // The same template already applied here (by an earlier approval, or auto mode): not offered again.
            let marker = "// crashwatch: \(template.rawValue)"
            if let existing = lines[function.bodyOpenLine...function.bodyCloseLine(in: lines)].firstIndex(where: {
                $0.contains(marker)
            }) {
                refusals.append(
                    "already applied: \(function.name) has this \(template.rawValue) (\(function.file):\(existing + 1))"
                )
                continue
            }
            if function.bodyIsOneLine {
                refusals.append(
                    "\(function.name) is defined on one line in \(function.file); a guard needs its body over several lines"
                )
                continue
            }
            if [.lockOrdering, .deferToNextUpdate, .botGuard, .botLoginSetup].contains(template) {
                let groupID = result.signature.groupKey
                let made: Result<(diff: String, edit: FixTemplate.Edit), TemplateRefusal>
                switch template {
                case .lockOrdering: made = FixTemplate.lockOrderingDiff(for: function, lines: lines, groupID: groupID)
                case .botGuard, .botLoginSetup:
                    let site = try? CrashSiteFinder(locator: locator, buildHash: result.report.buildHash).line(
                        in: function, lines: lines, reportedLine: target.line, callee: target.callee
                    ).get()
                    made =
                        template == .botGuard
                        ? FixTemplate.botGuardDiff(for: function, lines: lines, site: site?.line, groupID: groupID)
                        : BotLoginSetup(locator: locator).diff(
                            crashing: function, lines: lines, site: site?.line, groupID: groupID)
                default:
                    made = FixTemplate.deferDiff(
                        for: function, lines: lines, header: locator.header(for: function),
                        update: try? locator.locate("WorldSession::Update", hintFile: "WorldSession.cpp"),
                        groupID: groupID)
                }
                switch made {
                case .failure(let refusal):
                    refusals.append(refusal.reason)
                    continue
                case .success(let made):
                    return FixCandidate(
                        source: "template:\(template.rawValue)",
                        title: "\(template.rawValue) in \(made.edit.subject ?? function.name)", diff: made.diff,
                        file: UnifiedDiff.touchedFiles(made.diff).first ?? function.file,
                        explanation: made.edit.explanation, isSymptomOnly: made.edit.isSymptomOnly,
                        confidence: made.edit.confidence,
                        evidence: baseEvidence + ["function \(function.name) found by name in \(function.file)"]
                            + made.edit.evidence)
                }
            }
            let logging = conventions(for: function, lines: lines, printsParameters: template == .debugLogging)
            switch template.edit(for: function, groupID: result.signature.groupKey, logging: logging) {
            case .failure(let refusal):
                refusals.append(refusal.reason)
            case .success(let edit):
                let diff = UnifiedDiff.changes(
                    file: function.file, lines: lines,
                    Self.logInclude(logging, edit.lines, in: lines, before: function.bodyOpenLine)
                        + [.insertion(after: function.bodyOpenLine, edit.lines)])
                return FixCandidate(
                    source: "template:\(template.rawValue)", title: "\(template.rawValue) in \(function.name)",
                    diff: diff,
                    file: function.file, explanation: edit.explanation, isSymptomOnly: edit.isSymptomOnly,
                    confidence: edit.confidence,
                    evidence: baseEvidence + ["function \(function.name) found by name in \(function.file)"])
            }
        }
        return FixCandidate(
            source: "template:\(template.rawValue)", title: "\(template.rawValue): no patch", diff: nil, file: nil,
            explanation: "", isSymptomOnly: false, confidence: 0, evidence: baseEvidence,
            problem: refusals.first ?? "no in-app frame to edit")
    }

    /// How a log line in `function`'s file is written (`LogConventions.forFile`).
    /// - Parameter printsParameters: the line prints the arguments, so their enums are looked up in the tree's
    ///   headers (a scan of the whole tree, not done for a line that prints none).
    private func conventions(for function: SourceFunction, lines: [String], printsParameters: Bool = false)
        -> LogConventions
    {
        LogConventions.forFile(
            function.file, lines: lines, root: locator.root,
            parameterTypes: printsParameters ? function.parameters.map(\.type) : [])
    }

    /// The edit that includes the log header, when `inserted` logs and the file lacks it.
    static func logInclude(_ logging: LogConventions, _ inserted: [String], in lines: [String], before: Int)
        -> [UnifiedDiff.Edit]
    {
        guard let include = logging.missingInclude, inserted.contains(where: { $0.contains(logging.macroPrefix) })
        else { return [] }
        return [.insertion(after: LogConventions.includeLine(in: lines, before: before), [include])]
    }

    /// What every candidate's evidence starts with: the crash, its group, and why this candidate is offered.
    static func evidence(_ result: CrashAnalysisResult, groupSize: Int, _ reason: String) -> [String] {
        [
            "signature \(result.signature.signature)", "group \(result.signature.groupKey), \(groupSize) occurrence(s)",
            reason,
        ]
    }

    enum Located {
        case found(SourceFunction, [String])
        case notFound
        /// No tree at all: the other frames need not be tried.
        case noSourceTree
    }

    /// `target`'s definition in the tree, or why not (added to `refusals`).
    private func locate(_ target: FrameTarget, refusals: inout [String]) -> Located {
        do {
            let (function, lines) = try locator.locate(target.name, hintFile: target.file)
            return .found(function, lines)
        } catch {
            refusals.append(error.description)
            if case .noSourceTree = error { return .noSourceTree }
            return .notFound
        }
    }

    /// The crash-line guard on the first frame that has one: from the top, a frame whose line reads only members of
    /// its own object hands the guard to its caller, on the expression it was called through.
    private func crashLineGuard(targets: [FrameTarget], result: CrashAnalysisResult, evidence: [String])
        -> FixCandidate
    {
        let template = FixTemplate.crashLineGuard
        let finder = CrashSiteFinder(locator: locator, buildHash: result.report.buildHash)
        let groupID = result.signature.groupKey
        var refusals: [String] = []
        for target in targets.prefix(5) {
            let located = locate(target, refusals: &refusals)
            if case .noSourceTree = located { break }
            guard case .found(let function, let lines) = located else { continue }
            if let existing = lines.firstIndex(where: {
                $0.contains("// crashwatch: \(template.rawValue) for crash group \(groupID)")
            }) {
                refusals.append("already applied: \(function.file):\(existing + 1) has this crash-line guard")
                break
            }
            if function.bodyIsOneLine {
                // `float GetVisibilityRange() const { return m_VisibleDistance; }`: nothing but the object's own
                // members, so the object itself was invalid and its caller is where a check belongs.
                let body = CrashLineGuard.code(lines[function.bodyOpenLine])
                if !body.contains("->") {
                    refusals.append(
                        "\(function.name) \(CrashLineGuard.objectItselfInvalid): the guard goes to the caller")
                    continue
                }
                refusals.append("\(function.name) is defined on one line; a guard needs its body over several lines")
                break
            }
            let site: (line: Int, how: String)
            switch finder.line(in: function, lines: lines, reportedLine: target.line, callee: target.callee) {
            case .failure(let refusal):
                refusals.append(refusal.reason)
                break
            case .success(let found):
                site = found
                let reportedAt =
                    target.line.map { "\(((target.file ?? function.file) as NSString).lastPathComponent):\($0)" }
                    ?? "\((function.file as NSString).lastPathComponent):\(found.line + 1)"
                let logging = conventions(for: function, lines: lines)
                switch CrashLineGuard.make(
                    function: function, lines: lines,
                    site: .init(line: site.line, callee: target.callee, reportedAt: reportedAt), groupID: groupID,
                    logging: logging)
                {
                case .failure(let refusal) where refusal.reason == CrashLineGuard.objectItselfInvalid:
                    refusals.append(
                        "\(function.name) at \(site.how) \(refusal.reason): the guard goes to the caller")
                    continue
                case .failure(let refusal):
                    refusals.append("\(function.name): \(refusal.reason)")
                case .success(let made):
                    let diff = UnifiedDiff.changes(
                        file: function.file, lines: lines,
                        Self.logInclude(logging, made.inserted, in: lines, before: function.bodyOpenLine)
                            + [.init(start: made.start, removeCount: made.removeCount, inserted: made.inserted)])
                    let names = made.expressions.joined(separator: ", ")
                    return FixCandidate(
                        source: "template:\(template.rawValue)",
                        title: "\(template.rawValue) in \(function.name)", diff: diff, file: function.file,
                        explanation:
                            "Checks \(names) just before the statement the crash stopped on (\(site.how)) and \(made.action) with an ERROR line when one is null. Symptom only: it stops a null pointer, not a dangling one (a freed object still crashes), and not whatever left it null.",
                        isSymptomOnly: true, confidence: 0.3,
                        evidence: evidence + [
                            "crash line \(site.how)", "dereferenced there: \(names)",
                            "function \(function.name) found by name in \(function.file)",
                        ])
                }
            }
            break
        }
        return FixCandidate(
            source: "template:\(template.rawValue)", title: "\(template.rawValue): no patch", diff: nil, file: nil,
            explanation: "", isSymptomOnly: true, confidence: 0, evidence: evidence,
            problem: refusals.last ?? "no in-app frame to edit")
    }
}

extension FixProposer {
    /// A candidate from an external provider's answer, checked: paths inside the tree and `git apply --check`.
    /// - Returns: the candidate, or one with `problem` set and no diff.
    public func candidate(fromProvider provider: FixProvider, result: CrashAnalysisResult, groupSize: Int = 1)
        -> FixCandidate
    {
        let evidence = Self.evidence(result, groupSize: groupSize, "external provider `\(provider.command)`")
        func failed(_ problem: String) -> FixCandidate {
            FixCandidate(
                source: "provider", title: "provider: no patch", diff: nil, file: nil, explanation: "",
                isSymptomOnly: false,
                confidence: 0, evidence: evidence, problem: problem)
        }
        let response: FixProvider.Response
        do {
            response = try provider.propose(FixProvider.request(for: result, sourceRoot: locator.root))
        } catch {
            return failed(error.description)
        }
        if let unsafe = UnifiedDiff.unsafePath(in: response.diff) { return failed("refused: \(unsafe)") }
        do {
            try GitPatchApplier(root: locator.root).check(diff: response.diff)
        } catch {
            return failed(error.description)
        }
        return FixCandidate(
            source: "provider",
            title: "provider fix in \(UnifiedDiff.touchedFiles(response.diff).joined(separator: ", "))",
            diff: response.diff, file: UnifiedDiff.touchedFiles(response.diff).first, explanation: response.explanation,
            isSymptomOnly: response.symptomOnly ?? false, confidence: min(1, max(0, response.confidence)),
            evidence: evidence)
    }
}

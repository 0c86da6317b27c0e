public import CrashAnalysis

/// Minimal analysis results for tests of the histories: the signature is fixed by the function, the text by all
/// three arguments.
public enum SampleCrash {
    public static func result(function: String, build: String?, salt: String = "") -> CrashAnalysisResult {
        var report = CrashReport(format: .gdb, rawText: "report \(function) \(build ?? "-") \(salt)")
        report.exceptionCode = "SIGSEGV"
        report.buildHash = build
        let signatureText = "SIGSEGV | \(function)"
        let signature = CrashSignature(
            signature: signatureText, groupKey: SignatureGenerator.stableHash(signatureText),
            algorithmVersion: SignatureGenerator.algorithmVersion,
            faultKind: "SIGSEGV", similarityFrames: [function], normalizedFrames: [function], note: nil)
        let diagnosis = Diagnosis(
            severity: .high, isBotRelated: false, botEvidence: [], components: [],
            rootCause: .init(text: "x", evidence: ["y"]), suggestions: [], patterns: [])
        return CrashAnalysisResult(
            file: nil, report: report, signature: signature, diagnosis: diagnosis, correlation: nil)
    }
}

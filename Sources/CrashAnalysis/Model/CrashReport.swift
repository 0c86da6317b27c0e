public import CrashwatchKit

/// A parsed crash report: what crashed, where, in which build, and every thread's stack.
///
/// Parsing never fails: what could not be read is listed in `problems`, and `rawText` keeps the input.
public struct CrashReport: Sendable, Codable {
    public var format: CrashReportFormat
    /// The exception or signal as the report names it: `C0000005`, `SIGSEGV`, `SIGABRT`.
    public var exceptionCode: String?
    /// Its readable name: `ACCESS_VIOLATION`, `Segmentation fault`.
    public var exceptionName: String?
    public var faultAddress: String?
    public var faultModule: String?
    /// Where the fault is inside its module (`01:00000000001A2B3C`, section:offset): unlike the address, the same on
    /// every run of one build.
    public var faultSectionOffset: String?
    /// The full revision line (`TrinityCore rev. 7d14957a32df+ 2025-10-31 …`).
    public var revision: String?
    /// The 12-hex build hash from the revision, with `+` when the tree was dirty.
    public var buildHash: String?
    /// When the crash happened, if the report says (`Date 31:10:2025. Time 11:14`, `CRASH ON …`).
    public var crashTime: CivilTime?
    public var assertion: AssertionInfo?
    /// The server killed itself because a thread hung (TrinityCore's FreezeDetector, MaNGOS' FreezeDetectorRunnable):
    /// the stack that matters is the hung world thread's, not the detector's.
    public var isFreeze = false
    public var threads: [CrashThread]
    /// Index into `threads` of the thread that crashed, when it could be told.
    public var crashingThreadIndex: Int?
    /// How the crashing thread was identified, or why it could not be.
    public var crashingThreadReason: String
    /// What could not be parsed (empty when everything was understood).
    public var problems: [String]
    /// The text as given (possibly cut, see `problems`).
    public var rawText: String
    /// The report without what pasting it wrapped it in (HTML entities, reply quotes, code fences), when there was
    /// any; nil otherwise.
    public var unwrappedText: String?

    /// The report's own text: what the analysis reads.
    public var text: String { unwrappedText ?? rawText }

    public init(format: CrashReportFormat, rawText: String) {
        self.format = format
        self.threads = []
        self.crashingThreadReason = "no stack found"
        self.problems = []
        self.rawText = rawText
    }

    /// The crashing thread, when identified.
    public var crashingThread: CrashThread? {
        crashingThreadIndex.flatMap { threads.indices.contains($0) ? threads[$0] : nil }
    }
}

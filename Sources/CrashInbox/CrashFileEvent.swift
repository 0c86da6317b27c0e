/// A crash file that is complete and ready to read.
public struct CrashFileEvent: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A text report (`.txt`, `.log`); `minidump` is the `.dmp` with the same name, if any.
        case report(minidump: String?)
        /// A `.dmp` with no text report beside it.
        case loneMinidump
    }

    public var path: String
    public var kind: Kind
    /// True for files that were already in the folder when watching began.
    public var wasPresentAtStart: Bool
    /// When the file was last written (seconds since 1970, from its mtime), to measure the inbox latency.
    public var lastWrite: Double
    /// The file's size when it was judged complete.
    public var size: Int64
    /// The file had been yielded before and was written again since (a writer that reopened it): the earlier read
    /// was of a partial file, and this one replaces it.
    public var rewritten = false
}

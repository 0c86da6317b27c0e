/// Which kind of text a crash report is, detected from its content.
public enum CrashReportFormat: String, Sendable, Codable, CaseIterable {
    /// Windows WheatyExceptionReport `.txt` (TrinityCore, AzerothCore, MaNGOS).
    case wheaty
    /// gdb output: `bt`, `bt full`, `thread apply all bt`, core-file sessions.
    case gdb
    /// Only an ASSERT / ABORT / FATAL message (TrinityCore stderr or AzerothCore's boxed form).
    case assertion
    /// CDB / WinDbg `!analyze -v`.
    case cdb
    /// glibc `backtrace_symbols()` lines the server printed itself (vmangos, MaNGOS, custom handlers).
    case glibcBacktrace
    /// boost::stacktrace (`3# Creature::Update(unsigned int) at …/Creature.cpp:640`).
    case boostStacktrace
    /// Nothing recognisable.
    case unknown
}

import CPlatform

/// Pipes for a child's standard streams.
public enum Pipes {
    /// Makes a pipe whose ends are close-on-exec (the child gets its end through dup2 only), so that no child another
    /// thread starts meanwhile inherits it and keeps it open; false with `errno` set when it cannot.
    public static func make(_ fds: inout [Int32]) -> Bool {
        fds.withUnsafeMutableBufferPointer { cw_pipe_cloexec($0.baseAddress) == 0 }
    }
}

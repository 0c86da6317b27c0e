import CPlatform

/// crashwatch as the "subreaper" of what it supervises (Linux `PR_SET_CHILD_SUBREAPER`): a server's helper that leaves
/// its process group and outlives its parent is re-parented to crashwatch instead of init, so it is stopped and reaped
/// after the run rather than left running.
///
/// Turned on by the commands that supervise a server (`loop`, `demo`), never in a process that also hosts other
/// long-lived children.
public enum Subreaper {
    /// Whether it took effect (false where the system has no such thing).
    @discardableResult
    public static func become() -> Bool { cw_become_child_subreaper() == 0 }
}

import Foundation

/// Whether a candidate patch compiles with the user's own build flags.
public enum CompileCheck: Sendable, Equatable, CustomStringConvertible {
    /// Every unit it touches (or that includes a header it touches) passed `-fsyntax-only`.
    case compiles(units: [String])
    /// The first error, as `file:line: message`.
    case fails(unit: String, error: String)
    /// Why it could not be checked (no compile database, a unit missing from it, a timeout).
    case notChecked(String)

    public var compiles: Bool { if case .compiles = self { true } else { false } }
    /// A candidate that does not compile cannot be approved; one that was not checked can, by a person.
    public var allowsApproval: Bool { if case .fails = self { false } else { true } }

    public var description: String {
        switch self {
        case .compiles(let units):
            "✓ compiles with your build's flags (\(units.map { ($0 as NSString).lastPathComponent }.joined(separator: ", ")))"
        case .fails(_, let error): "✗ does not compile: \(error)"
        case .notChecked(let why): "not compile-checked: \(why)"
        }
    }
}

/// A colour as curses knows it: the terminal's own default, or a palette index (0–255).
public enum TerminalColor: Sendable, Hashable, CustomStringConvertible {
    case terminalDefault
    case indexed(Int)

    static let names = [
        "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
        "bright-black", "bright-red", "bright-green", "bright-yellow", "bright-blue", "bright-magenta", "bright-cyan",
        "bright-white",
    ]

    /// Parses `default`, one of the sixteen names (`red`, `bright-blue`, …, also `gray`/`grey`), or a number 0–255.
    public init?(name: String) {
        let key = name.lowercased()
        if key == "default" {
            self = .terminalDefault
        } else if key == "gray" || key == "grey" {
            self = .indexed(8)
        } else if let index = Self.names.firstIndex(of: key) {
            self = .indexed(index)
        } else {
            return nil
        }
    }

    public init?(index: Int) {
        guard (0...255).contains(index) else { return nil }
        self = .indexed(index)
    }

    public var description: String {
        switch self {
        case .terminalDefault: "default"
        case .indexed(let i): i < Self.names.count ? Self.names[i] : "\(i)"
        }
    }
}

/// How one style role looks.
public struct CellAppearance: Sendable, Hashable {
    public var foreground: TerminalColor
    public var background: TerminalColor
    public var bold: Bool
    public var dim: Bool
    public var reverse: Bool
    public var underline: Bool

    public init(
        foreground: TerminalColor = .terminalDefault, background: TerminalColor = .terminalDefault, bold: Bool = false,
        dim: Bool = false, reverse: Bool = false, underline: Bool = false
    ) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.dim = dim
        self.reverse = reverse
        self.underline = underline
    }
}

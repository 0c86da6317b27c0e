/// Colours and attributes for every `StyleRole`, usually loaded from a TOML file in `Themes/`.
public struct Theme: Sendable {
    public var name: String
    public var styles: [StyleRole: CellAppearance]

    public init(name: String, styles: [StyleRole: CellAppearance]) {
        self.name = name
        self.styles = styles
    }

    public func appearance(of role: StyleRole) -> CellAppearance {
        styles[role] ?? Self.builtIn.styles[role] ?? CellAppearance()
    }

    /// How a cell of `role` looks on the highlighted row: the cursor line's look, with the role's own colour and
    /// weight kept (a selected ASSERT line stays red).
    public func appearance(of role: StyleRole, selected: Bool) -> CellAppearance {
        guard selected, role != .cursorLine else { return appearance(of: role) }
        var look = appearance(of: .cursorLine)
        let own = appearance(of: role)
        if own.foreground != .terminalDefault { look.foreground = own.foreground }
        if own.background != .terminalDefault { look.background = own.background }
        look.bold = look.bold || own.bold
        look.reverse = look.reverse || own.reverse
        return look
    }

    /// The theme used when no theme file can be read: terminal colours, level colours, nothing else assumed.
    ///
    /// `Themes/default.toml` says the same in a file users can copy and edit; this copy only guarantees a readable
    /// screen when that file is missing or broken.
    public static let builtIn = Theme(
        name: "built-in",
        styles: [
            .text: CellAppearance(),
            .dim: CellAppearance(dim: true),
            .trace: CellAppearance(foreground: .indexed(8)),
            .debug: CellAppearance(foreground: .indexed(6)),
            .info: CellAppearance(),
            .warn: CellAppearance(foreground: .indexed(3)),
            .error: CellAppearance(foreground: .indexed(1), bold: true),
            .fatal: CellAppearance(foreground: .indexed(5), bold: true, reverse: true),
            .paneTitle: CellAppearance(reverse: true),
            .paneTitleFocused: CellAppearance(foreground: .indexed(4), bold: true, reverse: true),
            .statusBar: CellAppearance(reverse: true),
            .statusKey: CellAppearance(bold: true, reverse: true),
            .prompt: CellAppearance(bold: true),
            .searchMatch: CellAppearance(foreground: .indexed(0), background: .indexed(3)),
            .cursorLine: CellAppearance(underline: true),
            .overlay: CellAppearance(reverse: true),
            .overlayTitle: CellAppearance(bold: true, reverse: true),
            .notice: CellAppearance(foreground: .indexed(3), bold: true),
            .diffAdded: CellAppearance(foreground: .indexed(2)),
            .diffRemoved: CellAppearance(foreground: .indexed(1)),
            .diffHeader: CellAppearance(foreground: .indexed(6), bold: true),
        ])
}

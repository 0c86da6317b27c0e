/// A function definition found in the user's source tree.
public struct SourceFunction: Sendable, Equatable {
    /// Path relative to the source root, with `/`.
    public var file: String
    public var name: String
    public var returnType: String
    public var parameters: [Parameter]
    /// 0-based line of the `{` that opens the body.
    public var bodyOpenLine: Int
    /// The indentation of the body's first statement.
    public var bodyIndent: String
    /// The body opens and closes on its `{` line (`Unit* GetOwner() const { return m_owner; }`): nothing can be
    /// inserted after the brace without splitting the line.
    public var bodyIsOneLine = false

    public struct Parameter: Sendable, Equatable {
        public var type: String
        public var name: String
        public var isPointer: Bool { type.hasSuffix("*") }
    }
}

/// One frame of a call stack, as far as the report tells it.
public struct StackFrame: Sendable, Hashable, Codable {
    /// Position in its stack, 0 = innermost.
    public var index: Int
    /// Program counter, as written (`0x0000556d48e636c6`, `0000000140A87B18`).
    public var address: String?
    /// The module or shared object (`worldserver.exe`, `/lib/x86_64-linux-gnu/libc.so.6`).
    public var module: String?
    /// The function as written, arguments and displacement removed (`Map::Update`, `Unit::DealDamage`).
    public var function: String?
    /// Source file, with `/` separators.
    public var file: String?
    public var line: Int?
    /// Displacement or section offset (`+268` → `0x268`, `0001:000000000043AF01`).
    public var offset: String?
    /// An inlined frame (gdb shows no address; new Wheaty prints `[inline]`).
    public var isInline: Bool
    /// `<signal handler called>` in gdb output.
    public var isSignalHandler: Bool
    /// Argument text (gdb), kept because `this=0x0` is evidence.
    public var arguments: String?

    public init(
        index: Int, address: String? = nil, module: String? = nil, function: String? = nil, file: String? = nil,
        line: Int? = nil, offset: String? = nil, isInline: Bool = false, isSignalHandler: Bool = false,
        arguments: String? = nil
    ) {
        self.index = index
        self.address = address
        self.module = module
        self.function = function
        self.file = file
        self.line = line
        self.offset = offset
        self.isInline = isInline
        self.isSignalHandler = isSignalHandler
        self.arguments = arguments
    }
}

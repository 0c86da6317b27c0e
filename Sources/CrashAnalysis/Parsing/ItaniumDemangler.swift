/// Turns an Itanium C++ ABI symbol (`_ZN4UnitD1Ev`, `_ZN3Map6RemoveI10GameObjectEEvPT_b`) into the qualified function
/// name (`Unit::~Unit`, `Map::Remove<GameObject>`), as glibc's `backtrace_symbols()` lines need: they print mangled
/// names, and a crash report must not depend on `c++filt` being installed.
///
/// Only the name is produced (no parameter list): that is what signatures use. Anything outside the supported
/// grammar gives nil, and the caller keeps the mangled text, which is still stable for grouping.
public struct ItaniumDemangler {
    private let chars: [UInt8]
    private var position = 0
    /// Substitution candidates (`S_`, `S0_`, …) in the order the ABI adds them.
    private var substitutions: [String] = []
    private var templateArguments: [String] = []

    public static func demangle(_ symbol: String) -> String? {
        var demangler = ItaniumDemangler(Array(symbol.utf8))
        return demangler.encoding()
    }

    private init(_ chars: [UInt8]) {
        self.chars = chars
    }

    private var current: UInt8? { position < chars.count ? chars[position] : nil }

    private func peek(_ offset: Int = 0) -> UInt8? {
        position + offset < chars.count ? chars[position + offset] : nil
    }

    private mutating func consume(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard position + bytes.count <= chars.count, Array(chars[position..<position + bytes.count]) == bytes else {
            return false
        }
        position += bytes.count
        return true
    }

    private mutating func encoding() -> String? {
        guard consume("_Z") else { return nil }
        return name()
    }

    private mutating func name() -> String? {
        if current == UInt8(ascii: "N") { return nestedName() }
        if current == UInt8(ascii: "Z") { return localName() }
        var base: String
        if consume("St") {
            guard let unqualified = unqualifiedName(enclosing: "std") else { return nil }
            base = "std::" + unqualified
        } else if current == UInt8(ascii: "S") {
            guard let substituted = substitution() else { return nil }
            base = substituted
        } else {
            guard let unqualified = unqualifiedName(enclosing: nil) else { return nil }
            base = unqualified
        }
        if current == UInt8(ascii: "I") {
            substitutions.append(base)
            guard let arguments = templateArgs() else { return nil }
            base += arguments
        }
        return base
    }

    /// `Z <function encoding> E <entity name>`: a function-local class or lambda; the enclosing function names it.
    private mutating func localName() -> String? {
        position += 1
        guard let function = name() else { return nil }
        // Skip the enclosing function's parameter types up to the `E`.
        var depth = 0
        while let c = current {
            if c == UInt8(ascii: "E"), depth == 0 { break }
            if c == UInt8(ascii: "I") || c == UInt8(ascii: "N") { depth += 1 }
            if c == UInt8(ascii: "E") { depth -= 1 }
            position += 1
        }
        guard consume("E") else { return function }
        if consume("s") { return function }
        if let inner = name() { return function + "::" + inner }
        return function
    }

    private mutating func nestedName() -> String? {
        position += 1  // N
        while let c = current, c == UInt8(ascii: "r") || c == UInt8(ascii: "V") || c == UInt8(ascii: "K") {
            position += 1
        }
        if let c = current, c == UInt8(ascii: "R") || c == UInt8(ascii: "O") { position += 1 }
        var parts: [String] = []
        var last = ""
        while let c = current, c != UInt8(ascii: "E") {
            if c == UInt8(ascii: "I") {
                guard !parts.isEmpty, let arguments = templateArgs() else { return nil }
                parts[parts.count - 1] += arguments
                last = parts[parts.count - 1]
            } else if consume("St") {
                parts.append("std")
                continue
            } else if c == UInt8(ascii: "S") {
                guard let substituted = substitution() else { return nil }
                parts = [substituted]
                last = substituted
                continue
            } else if c == UInt8(ascii: "T") {
                guard let parameter = templateParam() else { return nil }
                parts.append(parameter)
            } else if c == UInt8(ascii: "D"), peek(1) == UInt8(ascii: "C") {
                return nil
            } else if c == UInt8(ascii: "B") {
                // ABI tag `B5cxx11`: part of the name, not of what a reader looks for.
                position += 1
                guard sourceName() != nil else { return nil }
                continue
            } else {
                let enclosing = last.split(separator: ":").last.map(String.init)
                guard let unqualified = unqualifiedName(enclosing: enclosing) else { return nil }
                parts.append(unqualified)
            }
            last = parts.joined(separator: "::")
            if current != UInt8(ascii: "E") { substitutions.append(last) }
        }
        guard consume("E"), !parts.isEmpty else { return nil }
        return parts.joined(separator: "::")
    }

    /// A source name, a constructor or destructor (named after `enclosing`), or an operator.
    private mutating func unqualifiedName(enclosing: String?) -> String? {
        guard let c = current else { return nil }
        if c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") { return sourceName() }
        let className = enclosing.map { String($0.prefix(while: { $0 != "<" })) }
        if c == UInt8(ascii: "C"), let next = peek(1), next >= UInt8(ascii: "1"), next <= UInt8(ascii: "5") {
            position += 2
            return className
        }
        if c == UInt8(ascii: "D"), let next = peek(1), next >= UInt8(ascii: "0"), next <= UInt8(ascii: "5") {
            position += 2
            return className.map { "~" + $0 }
        }
        if c == UInt8(ascii: "L") {
            position += 1
            return sourceName()
        }
        if c == UInt8(ascii: "U"), peek(1) == UInt8(ascii: "l") {
            // A lambda's closure type: `Ul <params> E [n] _`.
            position += 2
            while let d = current, d != UInt8(ascii: "E") { position += 1 }
            position += 1
            while let d = current, d != UInt8(ascii: "_") { position += 1 }
            position += 1
            return "{lambda}"
        }
        guard c >= UInt8(ascii: "a"), c <= UInt8(ascii: "z"), let next = peek(1) else { return nil }
        let code = String(decoding: [c, next], as: UTF8.self)
        if code == "cv" {
            position += 2
            guard let type = type() else { return nil }
            return "operator " + type
        }
        guard let symbol = Self.operators[code] else { return nil }
        position += 2
        return "operator" + symbol
    }

    private mutating func sourceName() -> String? {
        var length = 0
        while let c = current, c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") {
            length = length * 10 + Int(c - UInt8(ascii: "0"))
            position += 1
            if length > 4_096 { return nil }
        }
        guard length > 0, position + length <= chars.count else { return nil }
        let text = String(decoding: chars[position..<position + length], as: UTF8.self)
        position += length
        if text.hasPrefix("_GLOBAL__N") { return "(anonymous namespace)" }
        return text
    }

    private mutating func templateArgs() -> String? {
        guard consume("I") else { return nil }
        var arguments: [String] = []
        while let c = current, c != UInt8(ascii: "E") {
            if c == UInt8(ascii: "L") {
                guard let literal = literal() else { return nil }
                arguments.append(literal)
            } else if c == UInt8(ascii: "J") {
                // A pack: its elements as a list.
                position += 1
                while let d = current, d != UInt8(ascii: "E") {
                    guard let element = type() else { return nil }
                    arguments.append(element)
                }
                position += 1
            } else {
                guard let argument = type() else { return nil }
                arguments.append(argument)
            }
        }
        guard consume("E") else { return nil }
        templateArguments = arguments
        let joined = arguments.joined(separator: ", ")
        return "<" + joined + (joined.hasSuffix(">") ? " >" : ">")
    }

    /// `Li5E` → `5`, `Lb1E` → `true`.
    private mutating func literal() -> String? {
        position += 1
        if consume("_Z") {
            guard let entity = name() else { return nil }
            _ = consume("E")
            return entity
        }
        guard let kind = current else { return nil }
        position += 1
        var value = ""
        while let c = current, c != UInt8(ascii: "E") {
            value.append(Character(Unicode.Scalar(c == UInt8(ascii: "n") ? UInt8(ascii: "-") : c)))
            position += 1
        }
        guard consume("E") else { return nil }
        if kind == UInt8(ascii: "b") { return value == "0" ? "false" : "true" }
        return value
    }

    private mutating func templateParam() -> String? {
        guard consume("T") else { return nil }
        var number = 0
        if !consume("_") {
            while let c = current, c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") {
                number = number * 10 + Int(c - UInt8(ascii: "0"))
                position += 1
            }
            guard consume("_") else { return nil }
            number += 1
        }
        return number < templateArguments.count ? templateArguments[number] : "T\(number)"
    }

    private mutating func substitution() -> String? {
        guard consume("S") else { return nil }
        if let c = current, let standard = Self.standardSubstitutions[c] {
            position += 1
            return standard
        }
        var number = 0
        if !consume("_") {
            while let c = current, c != UInt8(ascii: "_") {
                let digit: Int
                if c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") {
                    digit = Int(c - UInt8(ascii: "0"))
                } else if c >= UInt8(ascii: "A"), c <= UInt8(ascii: "Z") {
                    digit = Int(c - UInt8(ascii: "A")) + 10
                } else {
                    return nil
                }
                number = number * 36 + digit
                position += 1
            }
            guard consume("_") else { return nil }
            number += 1
        }
        return number < substitutions.count ? substitutions[number] : nil
    }

    private mutating func type() -> String? {
        guard let c = current else { return nil }
        if let builtin = Self.builtinTypes[c] {
            position += 1
            return builtin
        }
        switch c {
        case UInt8(ascii: "P"), UInt8(ascii: "R"), UInt8(ascii: "O"), UInt8(ascii: "K"), UInt8(ascii: "V"):
            position += 1
            guard let inner = type() else { return nil }
            let result: String
            switch c {
            case UInt8(ascii: "P"): result = inner + "*"
            case UInt8(ascii: "R"): result = inner + "&"
            case UInt8(ascii: "O"): result = inner + "&&"
            case UInt8(ascii: "K"): result = inner + " const"
            default: result = inner + " volatile"
            }
            substitutions.append(result)
            return result
        case UInt8(ascii: "T"):
            guard let parameter = templateParam() else { return nil }
            substitutions.append(parameter)
            if current == UInt8(ascii: "I") {
                guard let arguments = templateArgs() else { return nil }
                substitutions.append(parameter + arguments)
                return parameter + arguments
            }
            return parameter
        case UInt8(ascii: "S"):
            if peek(1) == UInt8(ascii: "t") {
                position += 2
                guard let unqualified = unqualifiedName(enclosing: "std") else { return nil }
                let result = "std::" + unqualified
                substitutions.append(result)
                return withTemplateArguments(result)
            }
            guard let result = substitution() else { return nil }
            return withTemplateArguments(result)
        case UInt8(ascii: "N"):
            guard let nested = nestedName() else { return nil }
            substitutions.append(nested)
            return nested
        case UInt8(ascii: "A"):
            position += 1
            var size = ""
            while let d = current, d != UInt8(ascii: "_") {
                size.append(Character(Unicode.Scalar(d)))
                position += 1
            }
            guard consume("_"), let element = type() else { return nil }
            let result = element + " [" + size + "]"
            substitutions.append(result)
            return result
        case UInt8(ascii: "F"):
            position += 1
            guard let returned = type() else { return nil }
            var parameters: [String] = []
            while let d = current, d != UInt8(ascii: "E") {
                guard let parameter = type() else { return nil }
                if parameter != "void" { parameters.append(parameter) }
            }
            position += 1
            let result = returned + " (" + parameters.joined(separator: ", ") + ")"
            substitutions.append(result)
            return result
        case UInt8(ascii: "D"):
            guard let next = peek(1) else { return nil }
            position += 2
            switch next {
            case UInt8(ascii: "n"): return "decltype(nullptr)"
            case UInt8(ascii: "i"): return "char32_t"
            case UInt8(ascii: "s"): return "char16_t"
            case UInt8(ascii: "u"): return "char8_t"
            case UInt8(ascii: "a"): return "auto"
            case UInt8(ascii: "p"):
                guard let inner = type() else { return nil }
                return inner + "..."
            default: return nil
            }
        default:
            if c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") {
                guard let result = sourceName() else { return nil }
                substitutions.append(result)
                return withTemplateArguments(result)
            }
            return nil
        }
    }

    /// `name` followed by its template arguments, when the next thing is `I…E`; each a substitution candidate.
    private mutating func withTemplateArguments(_ name: String) -> String? {
        guard current == UInt8(ascii: "I") else { return name }
        guard let arguments = templateArgs() else { return nil }
        substitutions.append(name + arguments)
        return name + arguments
    }

    private static let builtinTypes: [UInt8: String] = [
        UInt8(ascii: "v"): "void", UInt8(ascii: "w"): "wchar_t", UInt8(ascii: "b"): "bool", UInt8(ascii: "c"): "char",
        UInt8(ascii: "a"): "signed char", UInt8(ascii: "h"): "unsigned char", UInt8(ascii: "s"): "short",
        UInt8(ascii: "t"): "unsigned short", UInt8(ascii: "i"): "int", UInt8(ascii: "j"): "unsigned int",
        UInt8(ascii: "l"): "long", UInt8(ascii: "m"): "unsigned long", UInt8(ascii: "x"): "long long",
        UInt8(ascii: "y"): "unsigned long long", UInt8(ascii: "n"): "__int128", UInt8(ascii: "o"): "unsigned __int128",
        UInt8(ascii: "f"): "float", UInt8(ascii: "d"): "double", UInt8(ascii: "e"): "long double",
        UInt8(ascii: "z"): "...",
    ]

    private static let standardSubstitutions: [UInt8: String] = [
        UInt8(ascii: "a"): "std::allocator", UInt8(ascii: "b"): "std::basic_string", UInt8(ascii: "s"): "std::string",
        UInt8(ascii: "i"): "std::istream", UInt8(ascii: "o"): "std::ostream", UInt8(ascii: "d"): "std::iostream",
    ]

    private static let operators: [String: String] = [
        "nw": " new", "na": " new[]", "dl": " delete", "da": " delete[]", "ps": "+", "ng": "-", "ad": "&", "de": "*",
        "co": "~", "pl": "+", "mi": "-", "ml": "*", "dv": "/", "rm": "%", "an": "&", "or": "|", "eo": "^", "aS": "=",
        "pL": "+=", "mI": "-=", "mL": "*=", "dV": "/=", "rM": "%=", "aN": "&=", "oR": "|=", "eO": "^=", "ls": "<<",
        "rs": ">>", "lS": "<<=", "rS": ">>=", "eq": "==", "ne": "!=", "lt": "<", "gt": ">", "le": "<=", "ge": ">=",
        "ss": "<=>", "nt": "!", "aa": "&&", "oo": "||", "pp": "++", "mm": "--", "cm": ",", "pm": "->*", "pt": "->",
        "cl": "()", "ix": "[]",
    ]
}

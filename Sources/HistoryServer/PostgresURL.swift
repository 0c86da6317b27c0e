public import CrashStore
import Foundation

/// `postgresql://user[:password]@host[:port]/database[?sslmode=…]`, as libpq reads it, with the password found where
/// libpq looks (the URL, `PGPASSWORD`, `~/.pgpass`) and never shown.
public struct PostgresURL: Sendable, Equatable {
    public enum TLSMode: String, Sendable {
        case disable, prefer, require
        /// `verify-ca` and `verify-full`: the server's certificate is checked against the system's roots.
        case verify
    }

    public var user: String
    public var password: String?
    /// Where the password came from, for a message about a refused login (never the password itself).
    public var passwordSource: String
    public var host: String
    public var port: Int
    public var database: String
    public var tls: TLSMode

    /// Whether a `history` setting names a PostgreSQL server rather than an SQLite file.
    public static func isPostgres(_ text: String) -> Bool {
        text.hasPrefix("postgresql://") || text.hasPrefix("postgres://")
    }

    /// The URL without its password: what every message names.
    public var redacted: String {
        "postgresql://\(user)@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)"
    }

    /// Reads `text`.
    /// - Parameters:
    ///   - environment: for `PGPASSWORD`, `PGPASSFILE`, `PGUSER` and `HOME`.
    /// - Throws: `HistoryError` naming what is wrong with the URL (without its password).
    public init(_ text: String, environment: [String: String]) throws(HistoryError) {
        let shown = Self.withoutPassword(text)
        guard Self.isPostgres(text), let parts = URLComponents(string: text) else {
            throw HistoryError(
                kind: .cannotOpen, path: shown,
                detail: "not a PostgreSQL URL (postgresql://user@host:5432/database)")
        }
        guard let host = parts.host, !host.isEmpty else {
            throw HistoryError(kind: .cannotOpen, path: shown, detail: "the URL names no host")
        }
        let database = String(parts.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else {
            throw HistoryError(kind: .cannotOpen, path: shown, detail: "the URL names no database (…/crashwatch)")
        }
        self.host = host
        port = parts.port ?? 5432
        self.database = database.removingPercentEncoding ?? database
        user = parts.user ?? environment["PGUSER"] ?? environment["USER"] ?? "postgres"
        let query = Dictionary(
            (parts.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        switch query["sslmode"] {
        case nil, "disable", "allow": tls = .disable
        case "prefer": tls = .prefer
        case "require": tls = .require
        case "verify-ca", "verify-full": tls = .verify
        case let other?:
            throw HistoryError(
                kind: .cannotOpen, path: shown,
                detail: "sslmode=\(other) is not one of disable, prefer, require, verify-ca, verify-full")
        }
        if let password = parts.password {
            self.password = password
            passwordSource = "the URL"
        } else if let password = environment["PGPASSWORD"] {
            self.password = password
            passwordSource = "PGPASSWORD"
        } else {
            let file = environment["PGPASSFILE"] ?? "\(environment["HOME"] ?? NSHomeDirectory())/.pgpass"
            let found = Self.passwordFile(file, host: host, port: port, database: self.database, user: user)
            password = found.password
            passwordSource = found.source
        }
    }

    /// The password `~/.pgpass` gives for this server, as libpq reads it: `host:port:database:user:password`, `*`
    /// for any, `\:` and `\\` escaped; a file others can read is ignored (as libpq does).
    static func passwordFile(_ path: String, host: String, port: Int, database: String, user: String)
        -> (password: String?, source: String)
    {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return (nil, "no password given") }
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & 0o077 != 0 {
            return (nil, "no password given (\(path) was ignored: others can read it; chmod 600 it)")
        }
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = splitEscaped(line)
            guard fields.count == 5 else { continue }
            let wanted = [host, String(port), database, user]
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) {
                return (fields[4], path)
            }
        }
        return (nil, "no password given (\(path) has no line for this server)")
    }

    private static func splitEscaped(_ line: Substring) -> [String] {
        var fields: [String] = [""]
        var escaped = false
        for character in line {
            if escaped {
                fields[fields.count - 1].append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ":" {
                fields.append("")
            } else {
                fields[fields.count - 1].append(character)
            }
        }
        return fields
    }

    /// `text` with whatever stands between `user:` and `@` replaced, for messages about a URL that did not parse.
    static func withoutPassword(_ text: String) -> String {
        guard let scheme = text.range(of: "://"), let at = text[scheme.upperBound...].lastIndex(of: "@") else {
            return text
        }
        let credentials = text[scheme.upperBound..<at]
        guard let colon = credentials.firstIndex(of: ":") else { return text }
        return String(text[..<colon]) + ":…" + String(text[at...])
    }
}

import CrashStore
import CrashwatchKit
import Foundation
import HistoryServer
import TestSupport
import Testing

@Suite struct PostgresURLTests {
    let scratch = TemporaryDirectory("cw-pgurl")

    @Test func theURLIsReadAsLibpqReadsIt() throws {
        let url = try PostgresURL(
            "postgresql://crash%40watch:p%3Ass@db-host:6543/crash%20db?sslmode=require", environment: [:])
        #expect(url.user == "crash@watch")
        #expect(url.password == "p:ss")
        #expect(url.host == "db-host")
        #expect(url.port == 6543)
        #expect(url.database == "crash db")
        #expect(url.tls == .require)
        #expect(!url.redacted.contains("p:ss") && !url.redacted.contains("p%3Ass"))
        let plain = try PostgresURL("postgres://db-host/crashwatch", environment: ["PGUSER": "ops"])
        #expect(plain.port == 5432 && plain.user == "ops" && plain.tls == .disable && plain.password == nil)
    }

    @Test func thePasswordComesFromTheEnvironmentOrPgpass() throws {
        let fromEnvironment = try PostgresURL(
            "postgresql://ops@db-host/crashwatch", environment: ["PGPASSWORD": "secret"])
        #expect(fromEnvironment.password == "secret" && fromEnvironment.passwordSource == "PGPASSWORD")

        let file = scratch.file("pgpass")
        try "# comment\nother-host:*:*:ops:nope\ndb-host:5432:crashwatch:ops:pa\\:ss\n".write(
            toFile: file, atomically: true, encoding: .utf8)
        chmod(file, 0o600)
        let fromFile = try PostgresURL("postgresql://ops@db-host/crashwatch", environment: ["PGPASSFILE": file])
        #expect(fromFile.password == "pa:ss" && fromFile.passwordSource == file)

        // Like libpq: a file others can read is ignored, and the reason is kept for the refused login's message.
        chmod(file, 0o644)
        let ignored = try PostgresURL("postgresql://ops@db-host/crashwatch", environment: ["PGPASSFILE": file])
        #expect(ignored.password == nil && ignored.passwordSource.contains("chmod 600"))
    }

    @Test func aWrongURLSaysWhatIsWrongWithoutItsPassword() {
        for (text, problem) in [
            ("postgresql://ops:hunter2@/crashwatch", "names no host"),
            ("postgresql://ops:hunter2@db-host", "names no database"),
            ("postgresql://ops:hunter2@db-host/crashwatch?sslmode=sometimes", "sslmode=sometimes"),
        ] {
            #expect {
                _ = try PostgresURL(text, environment: [:])
            } throws: { error in
                let said = "\(error)"
                return said.contains(problem) && !said.contains("hunter2")
            }
        }
    }
}

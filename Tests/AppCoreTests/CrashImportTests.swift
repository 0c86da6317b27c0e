import AppCore
import CrashwatchKit
import Foundation
import GRDB
import TestSupport
import Testing

/// `import` into a history that another program locks after it was opened: every report analysed but not written is
/// counted as not stored, with the reason — never as imported.
@Suite struct CrashImportTests {
    let scratch = TemporaryDirectory("cw-import")

    @Test func reportsThatCouldNotBeWrittenMidImportAreCountedAsNotStored() async throws {
        let crashes = scratch.file("Crashes")
        try FileManager.default.createDirectory(atPath: crashes, withIntermediateDirectories: true)
        for (index, function) in ["Map::Update", "Unit::DealDamage"].enumerated() {
            try
                "Program terminated with signal SIGSEGV, Segmentation fault.\n#0  0x1 in \(function) () at a.cpp:\(index)\n"
                .write(toFile: "\(crashes)/\(index).txt", atomically: true, encoding: .utf8)
        }
        let path = scratch.file("history.sqlite")
        let setup = try CrashSetup.make(folders: [crashes], historyPath: path, ruleDirectories: [Repository.rules])
        #expect(setup.historyProblem == nil)
        // Opened fine; then a backup or another crashwatch takes the database.
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true
        let other = try DatabaseQueue(path: path, configuration: configuration)
        try other.inDatabase { db in try db.execute(sql: "BEGIN EXCLUSIVE") }
        let summary = try await CrashImport.run(setup)
        try other.inDatabase { db in try db.execute(sql: "COMMIT") }
        #expect(summary.imported == 0)
        #expect(summary.notStored == 2)
        #expect(summary.firstProblem?.contains("locked") == true, "\(String(describing: summary.firstProblem))")
    }
}

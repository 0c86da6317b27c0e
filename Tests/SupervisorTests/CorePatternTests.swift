import CoreDumps
import CrashwatchKit
import Foundation
import TestSupport
import Testing

/// Where a core lands for each `core_pattern` shape, and which file of a folder is the core of the crashed process.
@Suite struct CorePatternTests {
    let server = ProcessSnapshot(
        pid: 4242, command: "worldserver", executable: "/srv/trinity/bin/worldserver",
        workingDirectory: "/srv/trinity/bin")

    func matches(_ pattern: String, _ name: String, usesPID: Bool = false) throws -> (String, Bool) {
        let place = try #require(CorePattern(text: pattern).location(for: server, usesPID: usesPID))
        let matched = place.name.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)) != nil
        return (place.folder, matched)
    }

    @Test func patternsAreReadAsTheKernelWritesThem() {
        #expect(CorePattern(text: "core\n") == .file("core"))
        #expect(CorePattern(text: "|/lib/systemd/systemd-coredump %P %u %g %s %t %c %h") == .systemdCoredump)
        #expect(CorePattern(text: "|/usr/share/apport/apport -p%p -s%s -c%c -d%d -P%P -u%u -g%g -- %E") == .apport)
        #expect(CorePattern(text: "|/usr/bin/my-collector %p") == .otherPipe("/usr/bin/my-collector %p"))
    }

    @Test func aRelativePatternIsInTheServersWorkingDirectory() throws {
        #expect(try matches("core", "core") == ("/srv/trinity/bin", true))
        #expect(try matches("core", "core.4242", usesPID: true) == ("/srv/trinity/bin", true))
        #expect(try matches("core", "core", usesPID: true).1 == false)
        #expect(try matches("dumps/core.%p", "core.4242") == ("/srv/trinity/bin/dumps", true))
    }

    @Test func knownSpecifiersAreFilledAndTheOthersMatchAnything() throws {
        #expect(try matches("/srv/cores/core.%e.%p.%t", "core.worldserver.4242.1764593469") == ("/srv/cores", true))
        #expect(try matches("/srv/cores/core.%e.%p.%t", "core.worldserver.4243.1764593469").1 == false)
        #expect(try matches("/srv/cores/core.%e.%p.%t", "core.authserver.4242.1764593469").1 == false)
        #expect(try matches("/cores/%E.%h.%%", "!srv!trinity!bin!worldserver.realm-1.%") == ("/cores", true))
        // A dot in the name is literal, not "any character".
        #expect(try matches("/cores/core.%p", "coreX4242").1 == false)
    }

    @Test func aFolderThatDependsOnAnUnknownSpecifierIsNotGuessed() {
        #expect(CorePattern(text: "/cores/%t/core").location(for: server, usesPID: false) == nil)
        #expect(CorePattern.systemdCoredump.location(for: server, usesPID: false) == nil)
    }

    @Test func theNewestMatchingCoreSinceTheStartIsTheOne() async throws {
        let folder = TemporaryDirectory("crashwatch-pattern")
        let before = Date()
        for name in ["core.worldserver.1.100", "core.worldserver.4242.200", "notes.txt"] {
            try "x".write(toFile: "\(folder.path)/\(name)", atomically: false, encoding: .utf8)
        }
        let old = "\(folder.path)/core.worldserver.4242.100"
        try "x".write(toFile: old, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes(
            [.modificationDate: before.addingTimeInterval(-3600)], ofItemAtPath: old)
        var locator = CoreLocator(
            pattern: .file("\(folder.path)/core.%e.%p.%t"), usesPID: false, extractFolder: folder.path)
        locator.waitLimit = .milliseconds(200)
        let found = await locator.locate(processes: [server], since: before)
        #expect(found == .core(path: "\(folder.path)/core.worldserver.4242.200", process: server))
        let none = await locator.locate(
            processes: [ProcessSnapshot(pid: 7, command: "worldserver")], since: before)
        guard case .unavailable(let why) = none else {
            Issue.record("found \(none)")
            return
        }
        #expect(why.reason.contains("no core matching core_pattern"))
        #expect(why.howToEnable.contains("sysctl -w kernel.core_pattern="))
    }

    @Test func aPipeToAnUnknownCollectorSaysHowToGetFileCores() async {
        let locator = CoreLocator(pattern: .otherPipe("/usr/bin/collector"), usesPID: false, extractFolder: "/tmp")
        guard case .unavailable(let why) = await locator.locate(processes: [server], since: Date()) else {
            Issue.record("a pipe cannot be read")
            return
        }
        #expect(why.reason.contains("/usr/bin/collector"))
    }

    @Test func retentionKeepsTheNewestCoresOfEachGroupAndNothingElse() throws {
        let folder = TemporaryDirectory("crashwatch-retention")
        func report(_ name: String, group: String, core: String, age: TimeInterval) throws {
            let corePath = "\(folder.path)/\(core)"
            try "core".write(toFile: corePath, atomically: false, encoding: .utf8)
            try FileManager.default.setAttributes(
                [.modificationDate: Date().addingTimeInterval(-age)], ofItemAtPath: corePath)
            var written = CoreReport(kind: .crash, time: CivilTime(secondsSinceEpoch: 0), pid: 1)
            written.core = corePath
            written.gdbText = "group \(group)"
            try written.text.write(toFile: "\(folder.path)/\(name)", atomically: false, encoding: .utf8)
        }
        for index in 0..<4 { try report("a\(index).txt", group: "A", core: "core.a\(index)", age: Double(index)) }
        try report("b.txt", group: "B", core: "core.b", age: 10)
        try "not a core of ours".write(toFile: "\(folder.path)/core.other", atomically: false, encoding: .utf8)
        let summary = CoreRetention(keepPerGroup: 2).apply(crashFolder: folder.path) {
            $0.contains("group A") ? "A" : "B"
        }
        #expect(summary.kept == 3)
        #expect(summary.removed.sorted() == ["\(folder.path)/core.a2", "\(folder.path)/core.a3"])
        for kept in ["core.a0", "core.a1", "core.b", "core.other"] {
            #expect(FileManager.default.fileExists(atPath: "\(folder.path)/\(kept)"))
        }
        #expect(CoreRetention(keepPerGroup: nil).apply(crashFolder: folder.path) { _ in "A" }.removed.isEmpty)
    }
}

import Foundation
import Testing

@testable import FixEngine

/// Log lines written the way the file logs, printing only what formats; no logging on per-tick paths; state checks
/// only on world objects.
@Suite struct LogConventionsTests {
    static func function(_ name: String, _ parameters: [(String, String)]) -> SourceFunction {
        SourceFunction(
            file: "src/server/game/Handlers/MiscHandler.cpp", name: name, returnType: "void",
            parameters: parameters.map { SourceFunction.Parameter(type: $0.0, name: $0.1) }, bodyOpenLine: 0,
            bodyIndent: "    ")
    }

    @Test func theFilesOwnStyleAndLoggerAreUsed() {
        let printf = LogConventions.detect(in: [
            #"    TC_LOG_DEBUG("entities.unit", "Unit::DealSpellDamage has wrong damageInfo->SpellID: %u", id);"#,
            #"    TC_LOG_ERROR("entities.unit", "%s attacked %s", a.c_str(), b.c_str());"#,
            #"    TC_LOG_INFO("server", "started");"#,
        ])
        #expect(printf == LogConventions(macroPrefix: "TC_LOG_", style: .printf, logger: "entities.unit"))
        let fmt = LogConventions.detect(in: [#"    LOG_ERROR("network", "Client {} sent {}", name, opcode);"#])
        #expect(fmt == LogConventions(macroPrefix: "LOG_", style: .fmt, logger: "network"))
        #expect(LogConventions.detect(in: ["int x = 0;"]) == .trinityDefault)
    }

    @Test func onlyWhatFormatsIsPrinted() throws {
        let handler = Self.function(
            "WorldSession::HandleTextEmoteOpcode",
            [("WorldPacket&", "recvData"), ("uint32", "emote"), ("ObjectGuid", "guid"), ("Unit*", "target")])
        let printf = LogConventions(macroPrefix: "TC_LOG_", style: .printf, logger: "network")
        let line = try FixTemplate.debugLogging.edit(for: handler, groupID: "g", logging: printf).get().lines[1]
        #expect(
            line
                == #"    TC_LOG_DEBUG("network", "WorldSession::HandleTextEmoteOpcode emote=%s guid=%s target=%p", std::to_string(emote).c_str(), guid.ToString().c_str(), static_cast<void const*>(target));"#
        )
        let edit = try FixTemplate.debugLogging.edit(for: handler, groupID: "g", logging: .trinityDefault).get()
        #expect(
            edit.lines[1].contains(
                #""WorldSession::HandleTextEmoteOpcode emote={} guid={} target={}", emote, guid.ToString()"#))
        #expect(edit.explanation.contains("Not printed (no safe format): recvData"))
        #expect(edit.explanation.contains("Logger.misc=2,Console Server"))
    }

    @Test func perTickPathsAreRefused() {
        let update = Self.function("Map::Update", [("uint32", "diff")])
        guard case .failure(let refusal) = FixTemplate.debugLogging.edit(for: update, groupID: "g") else {
            Issue.record("Map::Update runs every tick")
            return
        }
        #expect(refusal.reason.contains("every world tick"))
    }

    @Test func stateValidationOnlyOnWorldObjects() throws {
        let aura = Self.function("Aura::_ApplyForTarget", [("Aura*", "aura"), ("AuraApplication*", "app")])
        guard case .failure = FixTemplate.stateValidation.edit(for: aura, groupID: "g") else {
            Issue.record("an Aura has no IsInWorld")
            return
        }
        let remove = Self.function("Map::AddObjectToRemoveList", [("WorldObject*", "obj")])
        let lines = try FixTemplate.stateValidation.edit(for: remove, groupID: "g").get().lines
        #expect(lines.contains("    if (!obj->IsInWorld())"))
    }
}

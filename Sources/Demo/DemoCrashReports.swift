public import CrashwatchKit
import LogWatch

/// Crash reports the simulated worldserver writes into its `Crashes/` folder: real-looking gdb sessions of crashes
/// that match the shipped patterns, with the crash time in them so the inbox can correlate the logs.
public enum DemoCrashReports {
    public static func report(number: Int, at time: CivilTime, build: String = "7d14957a32df") -> (
        name: String, text: String
    ) {
        let stamp = DemoLine.stamp(time).replacingColons()
        let bodies = [
            """
            Program terminated with signal SIGSEGV, Segmentation fault.
            #0  0x0000556d48e636c6 in Unit::DealDamage (attacker=0x7f3a10000000, victim=0x7f3a10000100, damage=1200) at /srv/trinity/src/server/game/Entities/Unit/Unit.cpp:812
            #1  0x0000556d49260b9e in World::ProcessDelayedDamages (this=0x556d4a000000) at /srv/trinity/src/server/game/World/World.cpp:2410
            #2  0x0000556d4928a1ab in World::Update (this=0x556d4a000000, diff=50) at /srv/trinity/src/server/game/World/World.cpp:2280
            #3  0x0000556d48311d14 in WorldUpdateLoop () at /srv/trinity/src/server/worldserver/Main.cpp:600
            """,
            """
            /srv/trinity/src/server/game/Maps/Map.cpp:2571 in AddObjectToRemoveList ASSERTION FAILED:
              obj->GetMapId() == GetId() && obj->GetInstanceId() == GetInstanceId()

            Thread 12 "worldserver" received signal SIGSEGV, Segmentation fault.
            #0  0x0000000001402c22 in Trinity::Assert (file=0x14f317c "/srv/trinity/src/server/game/Maps/Map.cpp", line=2571, function=0x1 "AddObjectToRemoveList", message=0x2 "") at /srv/trinity/src/common/Debugging/Errors.cpp:64
            #1  0x0000000001502c22 in Map::AddObjectToRemoveList (this=0x7f00aa000000, obj=0x7f00bb000000) at /srv/trinity/src/server/game/Maps/Map.cpp:2571
            #2  0x0000000001602c22 in BotSession::LogoutPlayer (this=0x7f00cc000000, save=true) at /srv/trinity/src/modules/Playerbot/Session/BotSession.cpp:412
            #3  0x0000000001702c22 in BotSession::Update (this=0x7f00cc000000, diff=50) at /srv/trinity/src/modules/Playerbot/Session/BotSession.cpp:198
            """,
            """
            Program terminated with signal SIGSEGV, Segmentation fault.
            #0  0x0000556d48e636c6 in Spell::EffectSchoolDMG (this=0x7f3a1c0a2000, effIndex=EFFECT_0) at /srv/trinity/src/server/game/Spells/SpellEffects.cpp:402
            #1  0x0000556d48e70000 in Spell::HandleEffects (this=0x7f3a1c0a2000, pUnitTarget=0x0, i=EFFECT_0) at /srv/trinity/src/server/game/Spells/Spell.cpp:5210
            #2  0x0000556d48e73000 in PlayerbotAI::CastSpell (this=0x7f3a0c000000, spellId=133, target=0x0) at /srv/trinity/src/modules/Playerbot/AI/PlayerbotAI.cpp:1200
            """,
        ]
        let header =
            "CRASH ON \(time) (build \(build))\nDate \(time.day):\(time.month):\(time.year). Time \(time.hour):\(time.minute)\n"
        return ("gdb-\(stamp).txt", header + bodies[number % bodies.count] + "\n")
    }
}

extension String {
    fileprivate func replacingColons() -> String { String(map { $0 == ":" ? "-" : $0 }) }
}

import LogWatch

/// What the simulated worldserver says: a TrinityCore start-up, then a steady mix of spell, network and warden
/// messages in `Server.log` and bot chatter in `Playerbot.log`, with bursts of one repeated warning now and then.
///
/// Templates follow real server output (see Docs/demo.md); values are drawn from a seeded generator, so the same
/// seed gives the same story.
public struct DemoScript: Sendable {
    private var random: SplitMix64
    private var startup: [DemoLine]
    /// A burst of one warning template: each line is drawn anew (other players, other values), as a real storm is.
    private var burst: (kind: Int, remaining: Int)?
    private var linesSinceBurst = 0

    public init(seed: UInt64 = 1) {
        random = SplitMix64(seed: seed)
        startup = []
        startup = makeStartup()
    }

    static let botNames = [
        "Aldor", "Brightblade", "Celestia", "Durotan", "Elandra", "Faelyn", "Grommash", "Hestia", "Ironfist", "Jorvik",
        "Kaelis", "Lunara", "Morrowind", "Nyssa", "Orgrim", "Perrin", "Quenya", "Rhonin", "Sylvara", "Thalric",
    ]
    static let playerNames = ["Anduin", "Baine", "Calia", "Derek", "Eitrigg", "Falstad", "Gelbin", "Halduron"]
    static let botActions = [
        "attack", "heal", "loot", "move to", "follow", "quest turn-in", "sell junk to", "repair at", "flee from",
        "cast Frostbolt on", "cast Renew on",
    ]
    static let targets = [
        "Hogger", "Defias Thug", "Kobold Vermin", "Murloc Raider", "Stonetusk Boar", "Innkeeper Farley",
        "Riverpaw Gnoll", "Harvest Golem", "Scarlet Crusader", "Frostmane Troll",
    ]

    public mutating func next() -> DemoLine {
        if !startup.isEmpty { return startup.removeFirst() }
        if var current = burst {
            current.remaining -= 1
            burst = current.remaining > 0 ? current : nil
            return steadyWarning(kind: current.kind)
        }
        linesSinceBurst += 1
        if linesSinceBurst > 250, Int.random(in: 0..<100, using: &random) < 2 {
            linesSinceBurst = 0
            let kind = number(0...1)
            burst = (kind, Int.random(in: 20...60, using: &random))
            return steadyWarning(kind: kind)
        }
        return steady()
    }

    // MARK: - Start-up

    private mutating func makeStartup() -> [DemoLine] {
        func server(_ level: LogLevel, _ logger: String, _ text: String) -> DemoLine {
            DemoLine(file: .server, level: level, logger: logger, text: text)
        }
        func bot(_ text: String) -> DemoLine {
            DemoLine(file: .playerbot, level: .info, logger: "module.playerbot", text: text)
        }
        var lines = [
            server(
                .info, "server.worldserver",
                "TrinityCore rev. 7d14957a32df+ 2025-10-31 11:14:33 +0100 (master branch) (Unix, x86_64, RelWithDebInfo, Static) (worldserver-daemon)"
            ),
            server(.info, "server.worldserver", "<Ctrl-C> to stop."),
            server(.info, "server.worldserver", "Using configuration file /srv/trinity/etc/worldserver.conf."),
            server(.info, "server.worldserver", "Using Boost version: 1.81.0"),
            server(.info, "sql.updates", "Updating World database..."),
            server(
                .info, "sql.updates",
                ">> World database is up-to-date! Containing \(number(0...40)) new and \(number(3200...3400)) archived updates."
            ),
            server(.info, "server.loading", "Loading Creature templates..."),
            server(
                .info, "server.loading",
                ">> Loaded \(number(21000...21900)) creature templates in \(number(300...700)) ms"),
        ]
        let firstGUID = number(1000...90000)
        let step = number(3...40)
        for guid in stride(from: firstGUID, to: firstGUID + number(4...12) * step, by: step) {
            lines.append(
                server(
                    .error, "sql.sql", "Creature (GUID: \(guid)) does not exist but has a record in `creature_addon`"))
        }
        lines += [
            server(.info, "server.loading", "Loading SmartAI scripts..."),
            server(
                .error, "sql.sql",
                "SmartAIMgr::LoadSmartAIFromDB: Entry \(number(1000...30000)) SourceType 0, Event \(number(0...9)), Missing Repeat flag."
            ),
            server(
                .info, "server.loading",
                ">> Loaded \(number(47000...49000)) SmartAI scripts in \(number(600...1200)) ms"),
            server(.info, "server.worldserver", "Starting up anti-freeze thread (60 seconds max stuck time)..."),
            server(.info, "server.worldserver", "World initialized in 0 minutes \(number(20...59)) seconds"),
            server(
                .info, "server.worldserver",
                "TrinityCore rev. 7d14957a32df+ 2025-10-31 11:14:33 +0100 (master branch) (Unix, x86_64, RelWithDebInfo, Static) (worldserver-daemon) ready..."
            ),
            bot("Initializing AI Playerbots by ike3, based on the original Playerbots by blueboy"),
            bot("Creating random bot accounts..."),
            bot("200 random bot accounts with 400 characters available"),
            bot("Slow operation: OnBotLogin took \(number(900...2500))ms"),
        ]
        return lines
    }

    // MARK: - Steady state

    private mutating func pick<T>(_ values: [T]) -> T { values[Int.random(in: 0..<values.count, using: &random)] }
    private mutating func number(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }

    private mutating func steady() -> DemoLine {
        let roll = number(0...999)
        // Roughly 40 % Server.log, 60 % Playerbot.log, as a server with a few hundred bots writes.
        if roll < 400 { return steadyServer(roll) }
        return steadyBot(roll - 400)
    }

    private mutating func steadyServer(_ roll: Int) -> DemoLine {
        func line(_ level: LogLevel, _ logger: String, _ text: String) -> DemoLine {
            DemoLine(file: .server, level: level, logger: logger, text: text)
        }
        switch roll {
        case 0..<120:
            return line(
                .debug, "maps", "Map \(pick([0, 1, 530, 571])) grid [\(number(10...60)),\(number(10...60))] loaded")
        case 120..<200:
            return line(
                .info, "entities.player.character",
                "Account \(number(1...9000)) (\(pick(Self.playerNames))) logged in from \(ip())")
        case 200..<250:
            return line(
                .info, "time.update", "Update time diff: \(number(40...180))ms with \(number(150...420)) players online"
            )
        case 250..<300:
            return line(
                .error, "spells",
                "Spell::EffectTriggerSpell spell \(number(1000...90000)) tried to trigger unknown spell \(number(1000...90000))"
            )
        case 300..<330:
            return line(
                .error, "spells.aura",
                "AuraEffect::HandleProcTriggerSpellAuraProc: Could not trigger spell \(number(1000...90000)) from aura \(number(1000...90000)) proc, because the spell does not have an entry in Spell.dbc."
            )
        case 330..<355:
            return steadyWarning(kind: number(0...1))
        case 355..<375:
            return line(
                .error, "network",
                "WorldSocket::ReadHeaderHandler(): client \(ip()) sent malformed packet (size: \(number(0...65535)), cmd: \(number(0...2000)))"
            )
        case 375..<390:
            return line(
                .warn, "entities.unit",
                "Creature (GUID: \(number(1000...300000)) Entry: \(number(1...40000))) moved to invalid position X: \(number(-9000...9000)).\(number(0...99)) Y: \(number(-9000...9000)).\(number(0...99))"
            )
        default:
            return line(
                .error, "sql.sql",
                "Table 'gameobject_loot_template' Entry \(number(1000...200000)) does not exist but it is used by Gameobject \(number(1000...200000))"
            )
        }
    }

    private mutating func steadyWarning(kind: Int) -> DemoLine {
        if kind == 0 {
            let player = pick(Self.playerNames)
            let low = number(1...5000)
            return DemoLine(
                file: .server, level: .warn, logger: "warden",
                text:
                    "[Player: \(player) (GUID Full: 0x\(hex(low)) Type: Player Low: \(low), Account: \(number(1...9000)))] failed Warden check \(pick([209, 437, 612])). Action: Log"
            )
        }
        return DemoLine(
            file: .playerbot, level: .warn, logger: "module.playerbot",
            text: "SoloCombatStrategy: Bot \(pick(Self.botNames)) in combat but no victim, waiting for target")
    }

    private mutating func steadyBot(_ roll: Int) -> DemoLine {
        func bot(_ level: LogLevel, _ text: String) -> DemoLine {
            DemoLine(file: .playerbot, level: level, logger: "module.playerbot", text: text)
        }
        let name = pick(Self.botNames)
        switch roll {
        case 0..<300:
            return bot(.info, "Bot \(name) action: \(pick(Self.botActions)) \(pick(Self.targets))")
        case 300..<420:
            return bot(.warn, "SoloCombatStrategy: Bot \(name) in combat but no victim, waiting for target")
        case 420..<470:
            let quest = number(100...29000)
            return bot(.warn, "Objective stuck for bot \(name): Quest \(quest) Objective \(number(0...3))")
        case 470..<500:
            return bot(.warn, "Objective repeatedly failing for bot \(name), may need intervention")
        case 500..<540:
            return bot(.warn, "RestStrategy: Bot \(name) needs food but none found in inventory")
        case 540..<565:
            return bot(.error, "Failed to find location for Quest \(number(100...29000)) Objective \(number(0...3))")
        case 565..<575:
            let low = number(1...5000)
            return bot(
                .error,
                "Error logging in bot GUID Full: 0x\(hex(low)) Type: Player Low: \(low), please try to reset all random bots"
            )
        default:
            return bot(.info, "Bot \(name) action: \(pick(Self.botActions)) \(pick(Self.targets))")
        }
    }

    private mutating func ip() -> String {
        "\(number(1...223)).\(number(0...255)).\(number(0...255)).\(number(1...254))"
    }

    private func hex(_ value: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

import Foundation

/// The demo tree's C++ program: TrinityCore-shaped classes (`Unit`, `Player`, `WorldSession`, `World`) that a real
/// compiler builds into a small worldserver.
///
/// It writes `Server.log` and `Playerbot.log` in TrinityCore's format (lines drawn from its seed), and after
/// `--crash-after` seconds a bot player — whose spell mods no client ever set up — takes delayed damage:
/// `Unit::DealDamage` reads them and the process dies of a real SIGSEGV.
public enum DemoProgram {
    public static let unitHeader = "src/server/game/Entities/Unit/Unit.h"
    public static let playerHeader = "src/server/game/Entities/Player/Player.h"
    public static let mainFile = "src/server/worldserver/Main.cpp"
    /// Where the build puts the binary, relative to the tree.
    public static let binary = "build/worldserver"

    /// The build command, run in the tree with `sh -c`: the tree's commit goes into the start-up banner, so every
    /// report names the build it came from.
    public static func buildCommand(compiler: String) -> String {
        let sources = [DemoSourceTree.unitFile, mainFile].joined(separator: " ")
        return
            "mkdir -p build && \(compiler) -std=c++17 -g -O0 -pthread -Isrc/server/game/Entities/Unit -Isrc/server/game/Entities/Player -DDEMO_REVISION=\"\\\"$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)\\\"\" \(sources) -o \(binary)"
    }

    /// The tree's `build/compile_commands.json`, as `cmake -DCMAKE_EXPORT_COMPILE_COMMANDS=ON` would write it: every
    /// fix candidate is compiled with it before it is offered.
    public static func compileDatabase(tree: String, compiler: String) -> String {
        let units = [DemoSourceTree.unitFile, mainFile].map { file -> String in
            let arguments = [
                compiler, "-std=c++17", "-g", "-O0", "-pthread", "-I\(tree)/src/server/game/Entities/Unit",
                "-I\(tree)/src/server/game/Entities/Player", "-c", "\(tree)/\(file)", "-o", "\(file).o",
            ]
            let quoted = arguments.map {
                "\"\($0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))\""
            }
            return
                "  {\"directory\": \"\(tree)/build\", \"file\": \"\(tree)/\(file)\", \"arguments\": [\(quoted.joined(separator: ", "))]}"
        }
        return "[\n" + units.joined(separator: ",\n") + "\n]\n"
    }

    public static let files: [(path: String, text: String)] = [
        (unitHeader, unitHeaderText), (playerHeader, playerHeaderText), (mainFile, mainText),
        (".gitignore", "build/\ncore*\n"),
    ]

    static let unitHeaderText = """
        #pragma once
        // Demo tree for crashwatch, shaped like TrinityCore's Unit.h.
        #include <cstdint>
        #include <string>

        typedef std::uint32_t uint32;
        typedef std::int32_t int32;

        struct SpellInfo;
        struct CleanDamage {};
        enum DamageEffectType { DIRECT_DAMAGE = 0, SPELL_DIRECT_DAMAGE = 1 };
        enum SpellSchoolMask { SPELL_SCHOOL_MASK_NORMAL = 1 };

        struct SpellModifier
        {
            int32 value = 0;
            uint32 Apply(uint32 damage) const { return uint32(int32(damage) + value); }
        };

        struct SpellModList
        {
            uint32 count = 0;
            SpellModifier* mods[8] = {};
            SpellModifier* operator[](uint32 index) const { return mods[index]; }
        };

        class Player;

        class Unit
        {
        public:
            Unit(std::string name, uint32 health) : m_name(std::move(name)), m_health(health) {}
            virtual ~Unit() = default;

            virtual Player* ToPlayer() { return nullptr; }
            bool IsImmunedToDamage(SpellInfo const* /*spellProto*/) const { return false; }
            void ModifyHealth(int32 delta) { m_health = int32(m_health) + delta < 0 ? 0 : uint32(int32(m_health) + delta); }
            uint32 GetHealth() const { return m_health; }
            std::string const& GetName() const { return m_name; }

            static uint32 DealDamage(Unit* attacker, Unit* victim, uint32 damage, CleanDamage const* cleanDamage = nullptr,
                DamageEffectType damagetype = DIRECT_DAMAGE, SpellSchoolMask damageSchoolMask = SPELL_SCHOOL_MASK_NORMAL,
                SpellInfo const* spellProto = nullptr, bool durabilityLoss = true);

        private:
            std::string m_name;
            uint32 m_health;
        };

        """

    static let playerHeaderText = """
        #pragma once
        // Demo tree for crashwatch, shaped like TrinityCore's Player.h and WorldSession.h.
        #include "Unit.h"
        #include <vector>

        class WorldSession
        {
        public:
            explicit WorldSession(bool isBot) : m_isBot(isBot) {}
            bool IsBot() const { return m_isBot; }

        private:
            bool m_isBot;
        };

        class Player : public Unit
        {
        public:
            Player(std::string name, WorldSession* session) : Unit(std::move(name), 5000), m_session(session) {}

            Player* ToPlayer() override { return this; }
            WorldSession* GetSession() const { return m_session; }

            // A real client's login sends the spell-mod packets that set these up; a bot's login never does.
            void InitSpellMods() { m_spellModTakingDamage = &m_spellMods; }
            std::vector<SpellModifier*> GetSpellModTakingDamage() const
            {
                std::vector<SpellModifier*> mods;
                if (m_spellModTakingDamage)
                    for (uint32 i = 0; i < m_spellModTakingDamage->count; ++i)
                        mods.push_back((*m_spellModTakingDamage)[i]);
                return mods;
            }

            SpellModList* m_spellModTakingDamage = nullptr;

        private:
            WorldSession* m_session;
            SpellModList m_spellMods;
        };

        """

    static let mainText = #"""
        // Demo worldserver for crashwatch: a world thread that updates players and bots, and the two logs a
        // TrinityCore realm with the Playerbot module writes.
        #include "Player.h"

        #include <chrono>
        #include <cstdio>
        #include <cstdlib>
        #include <cstring>
        #include <ctime>
        #include <memory>
        #include <mutex>
        #include <random>
        #include <string>
        #include <thread>
        #include <vector>

        #ifndef DEMO_REVISION
        #define DEMO_REVISION "unknown"
        #endif

        namespace
        {
        struct Options
        {
            std::string logs = ".";
            unsigned long long seed = 1;
            double crashAfter = 20;
            double freezeAfter = 0;
            double rate = 40;
        };

        std::string Stamp()
        {
            std::time_t now = std::time(nullptr);
            std::tm local{};
            localtime_r(&now, &local);
            char text[32];
            std::strftime(text, sizeof(text), "%Y-%m-%d_%H:%M:%S", &local);
            return text;
        }

        class Log
        {
        public:
            explicit Log(std::string const& folder)
                : m_server(std::fopen((folder + "/Server.log").c_str(), "w")),
                  m_bots(std::fopen((folder + "/Playerbot.log").c_str(), "a")) {}
            ~Log()
            {
                if (m_server) std::fclose(m_server);
                if (m_bots) std::fclose(m_bots);
            }

            void Server(char const* level, char const* logger, std::string const& text)
            {
                if (!m_server) return;
                std::fprintf(m_server, "%s %-6s[%s] %s\n", Stamp().c_str(), level, logger, text.c_str());
                std::fflush(m_server);
            }

            void Bot(std::string const& text)
            {
                if (!m_bots) return;
                std::fprintf(m_bots, "%s %s\n", Stamp().c_str(), text.c_str());
                std::fflush(m_bots);
            }

        private:
            std::FILE* m_server;
            std::FILE* m_bots;
        };

        char const* const BotNames[] = {"Aldor", "Brightblade", "Celestia", "Durotan", "Elandra", "Faelyn", "Grommash",
            "Hestia", "Ironfist", "Jorvik", "Kaelis", "Lunara", "Nyssa", "Orgrim", "Perrin", "Rhonin", "Sylvara"};
        char const* const Actions[] = {"attack", "heal", "loot", "move to", "follow", "sell junk to", "cast Frostbolt on"};
        char const* const Targets[] = {"Hogger", "Defias Thug", "Kobold Vermin", "Murloc Raider", "Stonetusk Boar",
            "Riverpaw Gnoll", "Harvest Golem"};
        char const* const WardenChecks[] = {"MEM_CHECK", "PAGE_CHECK_A", "MPQ_CHECK", "LUA_STR_CHECK", "DRIVER_CHECK"};

        template <typename T, std::size_t N>
        T const& Pick(std::mt19937_64& random, T const (&items)[N]) { return items[random() % N]; }
        }

        struct DelayedDamage
        {
            Unit* attacker;
            Unit* victim;
            uint32 damage;
        };

        class World
        {
        public:
            World(Log& log, Options const& options) : m_log(log), m_options(options), m_random(options.seed) {}

            void Update(unsigned tick)
            {
                unsigned lines = unsigned(m_options.rate / 10.0 + 0.5);
                for (unsigned i = 0; i < lines; ++i)
                    WriteSteadyLine();
                if (tick % 10 == 0)
                    QueueDamage(m_players[m_random() % m_players.size()].get());
                ProcessDelayedDamages();
            }

            void Start()
            {
                m_log.Server("INFO", "server.worldserver", "TrinityCore rev. " DEMO_REVISION " (demo branch) (Unix, Debug, Static) (worldserver-daemon)");
                m_log.Server("INFO", "server.worldserver", "Using configuration file worldserver.conf.");
                m_log.Server("INFO", "server.loading", "Loading Creature templates...");
                m_log.Server("INFO", "server.loading", ">> Loaded 37016 creature definitions in 812 ms");
                m_log.Server("INFO", "server.worldserver", "World initialized in 0 minutes 4 seconds");
                for (int i = 0; i < 6; ++i)
                {
                    m_sessions.push_back(std::make_unique<WorldSession>(i >= 2));
                    auto player = std::make_unique<Player>(i < 2 ? "Anduin" : Pick(m_random, BotNames), m_sessions.back().get());
                    player->InitSpellMods();
                    if (i >= 2)
                        m_log.Bot(player->GetName() + " logged in (bot session, account " + std::to_string(100 + i) + ")");
                    m_players.push_back(std::move(player));
                }
            }

            void LoginBot();

            // A lock taken twice by the same thread: the world thread stops here for good.
            void UpdateSessionsUnderLock()
            {
                m_sessionLock.lock();
                m_sessionLock.lock();
            }

            void ProcessDelayedDamages()
            {
                std::vector<DelayedDamage> damages;
                damages.swap(m_delayedDamages);
                for (DelayedDamage const& damage : damages)
                    Unit::DealDamage(damage.attacker, damage.victim, damage.damage);
            }

        private:
            void QueueDamage(Player* victim)
            {
                m_delayedDamages.push_back({m_players.front().get(), victim, uint32(50 + m_random() % 200)});
            }

            void WriteSteadyLine()
            {
                std::string bot = Pick(m_random, BotNames);
                switch (m_random() % 8)
                {
                    case 0:
                        m_log.Server("WARN", "warden", "Warden::HandleData: " + bot + " (account " + std::to_string(100 + m_random() % 40) + ") failed Warden check " + Pick(m_random, WardenChecks) + "; action: log");
                        break;
                    case 1:
                        m_log.Server("ERROR", "sql.sql", "Table `creature` has creature (GUID: " + std::to_string(100000 + m_random() % 90000) + ") with non existing creature entry " + std::to_string(m_random() % 60000) + ", skipped.");
                        break;
                    case 2:
                        m_log.Server("INFO", "entities.player.character", "Player " + bot + " logged in");
                        break;
                    default:
                        m_log.Bot(bot + ": " + Pick(m_random, Actions) + " " + Pick(m_random, Targets));
                        break;
                }
            }

            Log& m_log;
            Options m_options;
            std::mt19937_64 m_random;
            std::vector<std::unique_ptr<WorldSession>> m_sessions;
            std::vector<std::unique_ptr<Player>> m_players;
            std::vector<DelayedDamage> m_delayedDamages;
            std::mutex m_sessionLock;
        };

        // The bug: a bot that joins mid-run skips the client-side login (World::Start's), so its spell mods are
        // never set up.
        void World::LoginBot()
        {
            m_sessions.push_back(std::make_unique<WorldSession>(true));
            m_players.push_back(std::make_unique<Player>(Pick(m_random, BotNames), m_sessions.back().get()));
            Player* bot = m_players.back().get();
            m_log.Bot(bot->GetName() + " logged in (bot session, account 999)");
            m_log.Bot(bot->GetName() + ": attack " + Pick(m_random, Targets));
            QueueDamage(bot);
        }

        static void WorldUpdateLoop(World* world, Options options)
        {
            auto start = std::chrono::steady_clock::now();
            bool botAdded = false;
            for (unsigned tick = 0;; ++tick)
            {
                world->Update(tick);
                double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
                if (options.freezeAfter > 0 && seconds >= options.freezeAfter)
                    world->UpdateSessionsUnderLock();
                if (!botAdded && options.crashAfter > 0 && seconds >= options.crashAfter)
                {
                    world->LoginBot();
                    botAdded = true;
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
        }

        int main(int argc, char** argv)
        {
            Options options;
            for (int i = 1; i + 1 < argc; i += 2)
            {
                if (!std::strcmp(argv[i], "--logs")) options.logs = argv[i + 1];
                else if (!std::strcmp(argv[i], "--seed")) options.seed = std::strtoull(argv[i + 1], nullptr, 10);
                else if (!std::strcmp(argv[i], "--crash-after")) options.crashAfter = std::atof(argv[i + 1]);
                else if (!std::strcmp(argv[i], "--freeze-after")) options.freezeAfter = std::atof(argv[i + 1]);
                else if (!std::strcmp(argv[i], "--rate")) options.rate = std::atof(argv[i + 1]);
            }
            std::printf("TrinityCore rev. " DEMO_REVISION " (demo branch) (Unix, Debug, Static) (worldserver-daemon)\n");
            std::printf("worldserver (demo, real C++ build) started; logs in %s\n", options.logs.c_str());
            std::fflush(stdout);
            Log log(options.logs);
            World world(log, options);
            world.Start();
            std::thread worldThread(WorldUpdateLoop, &world, options);
            worldThread.join();
            return 0;
        }

        """#
}

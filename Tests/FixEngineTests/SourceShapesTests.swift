import CrashwatchKit
import Foundation
import TestSupport
import Testing

@testable import FixEngine

/// Definitions in the shapes real TrinityCore and Playerbot code has them: template members, in-class bodies in
/// headers, namespaces, and methods inherited from a base class.
@Suite struct SourceShapesTests {
    let scratch = TemporaryDirectory("cw-shapes")

    init() throws {
        try write(
            """
            template<class T>
            class Socket : public std::enable_shared_from_this<T>
            {
            public:
                void CloseSocket()
                {
                    if (_closed.exchange(true))
                        return;
                }

                bool IsOpen() const { return !_closed; }
            };

            """, to: "src/server/shared/Networking/Socket.h")
        try write(
            """
            template<class T>
            void BIHWrap<T>::balance()
            {
                m_tree.build(m_objects);
            }

            """, to: "src/common/Collision/BoundingIntervalHierarchyWrapper.cpp")
        try write(
            """
            namespace Playerbot
            {
            bool PlayerbotAI::Attack(Unit* target)
            {
                return target->IsAlive();
            }
            }

            """, to: "src/modules/playerbot/PlayerbotAI.cpp")
        try write(
            """
            class TC_GAME_API Unit : public WorldObject
            {
            public:
                void Kill(Unit* victim);
            };

            """, to: "src/server/game/Entities/Unit/Unit.h")
        try write(
            """
            class TC_GAME_API WorldObject : public Object, public WorldLocation
            {
                Map* GetMap() const { ASSERT(m_currMap); return m_currMap; }
            };

            """, to: "src/server/game/Entities/Object/Object.h")
        try write(
            """
            SpellCastResult WorldObject::CastSpell(CastSpellTargetArg const& targets, uint32 spellId, CastSpellExtraArgs const& args)
            {
                return SPELL_CAST_OK;
            }

            """, to: "src/server/game/Entities/Object/Object.cpp")
    }

    func write(_ text: String, to path: String) throws {
        let file = scratch.file(path)
        try FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: file, atomically: true, encoding: .utf8)
    }

    var locator: SourceLocator { SourceLocator(root: scratch.path) }

    @Test func aTemplateMemberDefinedInItsClassBody() throws {
        let (function, lines) = try locator.locate("Socket<T>::CloseSocket")
        #expect(function.file == "src/server/shared/Networking/Socket.h")
        #expect(function.returnType == "void")
        #expect(lines[function.bodyOpenLine].trimmingCharacters(in: .whitespaces) == "{")
        #expect(function.bodyIndent == "        ")
        #expect(!function.bodyIsOneLine)
    }

    @Test func aTemplateMemberDefinedOutsideItsClass() throws {
        let (function, _) = try locator.locate("BIHWrap<T>::balance", hintFile: "BoundingIntervalHierarchyWrapper.h")
        #expect(function.file == "src/common/Collision/BoundingIntervalHierarchyWrapper.cpp")
        #expect(function.name == "BIHWrap::balance")
    }

    @Test func aFrameQualifiedByTheNamespaceTheFileOpens() throws {
        let (function, _) = try locator.locate("Playerbot::PlayerbotAI::Attack")
        #expect(function.file == "src/modules/playerbot/PlayerbotAI.cpp")
        #expect(function.parameters.map(\.name) == ["target"])
    }

    @Test func aMethodInheritedFromABaseClass() throws {
        let (function, _) = try locator.locate("Unit::CastSpell")
        #expect(function.name == "WorldObject::CastSpell")
        #expect(function.file == "src/server/game/Entities/Object/Object.cpp")
    }

    @Test func aOneLineBodyIsFoundAndSaidSo() throws {
        let (function, _) = try locator.locate("WorldObject::GetMap")
        #expect(function.file == "src/server/game/Entities/Object/Object.h")
        #expect(function.bodyIsOneLine)
        #expect(throws: SourceLocator.Failure.notFound(function: "Unit::NoSuchMethod")) {
            try locator.locate("Unit::NoSuchMethod")
        }
    }
}

import CrashwatchKit
import Foundation
import TestSupport
import Testing

@testable import TerminalUI

@Suite struct ThemeLoaderTests {
    /// The repository's `Themes/` folder: the shipped themes must always load.
    static let shippedThemes = Repository.path("Themes")

    private func fixture(_ name: String) throws -> String {
        try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: "toml")).path
    }

    @Test(arguments: ["default", "light", "high-contrast"])
    func shippedThemeLoadsAndCoversEveryRole(name: String) throws {
        let theme = try ThemeLoader.load(file: "\(Self.shippedThemes)/\(name).toml")
        for role in StyleRole.allCases {
            #expect(theme.styles[role] != nil, "\(name).toml has no style for \(role.rawValue)")
        }
    }

    @Test func defaultThemeKeepsTheTerminalBackground() throws {
        let theme = try ThemeLoader.load(file: "\(Self.shippedThemes)/default.toml")
        #expect(theme.appearance(of: .text).background == .terminalDefault)
        #expect(theme.appearance(of: .error).foreground == .indexed(1))
    }

    @Test func unknownColourNamesTheFileAndKey() throws {
        let file = try fixture("bad-colour")
        #expect(
            throws: RuleFileError(
                file: file, key: "styles.error.fg",
                problem: "unknown colour \"redd\" (expected default, a name such as red or bright-blue, or 0–255)")
        ) {
            try ThemeLoader.load(file: file)
        }
    }

    @Test func syntaxErrorGivesTheLine() throws {
        let file = try fixture("bad-syntax")
        do {
            _ = try ThemeLoader.load(file: file)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.hasPrefix("\(file): not valid TOML at line 1"))
        }
    }

    @Test func unknownRoleIsNamed() throws {
        let file = try fixture("unknown-role")
        do {
            _ = try ThemeLoader.load(file: file)
            Issue.record("expected an error")
        } catch {
            #expect(error.key == "styles.errors")
        }
    }

    @Test func badThemeFallsBackToDefaultWithAMessage() throws {
        let folder = try fixture("bad-colour").replacingOccurrences(of: "/bad-colour.toml", with: "")
        let (theme, warning) = ThemeLoader.resolve("bad-colour", directories: [folder, Self.shippedThemes])
        #expect(theme.name == "Default")
        #expect(warning?.contains("styles.error.fg") == true)
        #expect(warning?.hasSuffix("using the default theme") == true)
    }

    @Test func missingThemeIsReported() {
        let (theme, warning) = ThemeLoader.resolve("nope", directories: [Self.shippedThemes])
        #expect(theme.name == "Default")
        #expect(warning?.contains("\"nope\" not found") == true)
    }

    @Test func noThemeFolderAtAllUsesBuiltIn() {
        let (theme, warning) = ThemeLoader.resolve(nil, directories: [])
        #expect(theme.name == "built-in")
        #expect(warning == nil)
    }

    @Test func colourNames() {
        #expect(TerminalColor(name: "bright-blue") == .indexed(12))
        #expect(TerminalColor(name: "Default") == .terminalDefault)
        #expect(TerminalColor(name: "purple") == nil)
        #expect(TerminalColor(index: 256) == nil)
    }
}

import Foundation

/// Paths inside this checkout, for tests that read the shipped data files or the shared fixtures.
public enum Repository {
    /// The checkout's root folder.
    public static let root: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// A path below the root, e.g.
    ///
    /// `Rules/masking.txt`.
    public static func path(_ relative: String) -> String { "\(root)/\(relative)" }

    /// The shipped `Rules/` folder.
    public static var rules: String { path("Rules") }

    /// A fixture shared by several test targets, under `Tests/Fixtures/` (one copy of each).
    public static func sharedFixture(_ relative: String) -> String { path("Tests/Fixtures/\(relative)") }
}

public import Foundation

/// A fresh folder under the system's temporary directory, removed with everything in it when the value is released.
///
/// Keep it in a stored property for as long as the folder is used (tests, benchmarks, scratch trees); a local in
/// optimised code may be released after its last use, so end its scope with `withExtendedLifetime`.
public final class TemporaryDirectory: Sendable {
    public let path: String

    /// - Parameter prefix: names the folder after the test, for finding it while the test runs.
    public init(_ prefix: String = "crashwatch-test") {
        path =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8))").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// A path inside the folder.
    public func file(_ name: String) -> String { "\(path)/\(name)" }

    public var url: URL { URL(fileURLWithPath: path) }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

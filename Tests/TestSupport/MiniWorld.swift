import CrashwatchKit
import Foundation

/// The tests' own worldserver-shaped C++ program (`Tests/Fixtures/programs/miniworld.cpp`), compiled for real with
/// debug symbols: it crashes in `Map::Update` on its world thread, aborts, freezes, or runs.
public enum MiniWorld {
    public struct BuildError: Error, CustomStringConvertible {
        public var description: String
    }

    private static let built = LockBox<(TemporaryDirectory, String)?>(nil)

    /// The program compiled once for the whole test run (its folder lives as long as the process), copied into
    /// `folder` as `worldserver`: every test gets its own binary without a compile of its own.
    public static func build(in folder: String) throws -> String {
        let shared = try built.withLock { cached throws -> String in
            if let cached { return cached.1 }
            let scratch = TemporaryDirectory("crashwatch-miniworld")
            let binary = try compile(in: scratch.path)
            cached = (scratch, binary)
            return binary
        }
        let copy = "\(folder)/worldserver"
        try FileManager.default.copyItem(atPath: shared, toPath: copy)
        return copy
    }

    /// Compiles the program into `folder/worldserver` with the first C++ compiler found.
    static func compile(in folder: String) throws -> String {
        let binary = "\(folder)/worldserver"
        let source = Repository.sharedFixture("programs/miniworld.cpp")
        for compiler in ["g++", "c++", "clang++"] {
            guard
                let built = try? ChildProcess.run(
                    [compiler, "-g", "-O0", "-pthread", "-o", binary, source], timeout: .seconds(120))
            else { continue }
            if built.succeeded { return binary }
            throw BuildError(description: "\(compiler) failed: \(built.errorText)")
        }
        throw BuildError(description: "no C++ compiler (g++, c++ or clang++) in PATH")
    }
}

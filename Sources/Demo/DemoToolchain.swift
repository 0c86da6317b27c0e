import CrashwatchKit
public import Foundation

/// What the real demo needs — a C++ compiler and gdb — found in `PATH`.
public struct DemoToolchain: Sendable, Equatable {
    public var compiler: String
    public var gdb: String

    /// The toolchain, or the one line that says what is missing for the real demo.
    public static func find(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> Result<DemoToolchain, Missing> {
        func which(_ name: String) -> String? { ExecutableSearch.find(name, environment: environment) }
        let compiler = ["c++", "g++", "clang++"].lazy.compactMap(which).first
        let gdb = which("gdb")
        guard let compiler, let gdb else {
            let missing = [compiler == nil ? "a C++ compiler" : nil, gdb == nil ? "gdb" : nil].compactMap { $0 }
            return .failure(Missing(what: missing))
        }
        return .success(DemoToolchain(compiler: compiler, gdb: gdb))
    }

    public struct Missing: Error, Sendable, Equatable, CustomStringConvertible {
        public var what: [String]
        public var description: String {
            "simulated demo server: a real C++ crash needs \(what.joined(separator: " and ")) (apt-get install g++ gdb)"
        }
    }
}

// swift-tools-version: 6.2
import PackageDescription

// Every target is built in Swift 6 language mode with strict concurrency, plus two upcoming features
// that keep APIs explicit (as swift-log does).
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "crashwatch",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "crashwatch", targets: ["crashwatch"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // MARK: - C shims

        // ncursesw with the wide-character API switched on; see Sources/CNcursesw/shim.h for why.
        .systemLibrary(name: "CNcursesw", providers: [.apt(["libncurses-dev"])]),

        // MARK: - Libraries (one per part of crashwatch)

        .target(
            name: "LogWatch",
            dependencies: [
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "DequeModule", package: "swift-collections"),
            ],
            swiftSettings: strictSettings
        ),
        // Pure crash analysis: text in, model, signature and diagnosis out. No file or network access; rule lists
        // and patterns arrive as text (TOMLKit only parses them).
        .target(
            name: "CrashAnalysis",
            dependencies: [
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: strictSettings
        ),
        // Crash history in SQLite: groups, occurrences, fix decisions, lifecycle.
        .target(
            name: "CrashStore",
            dependencies: [
                "CrashAnalysis",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strictSettings
        ),
        // The crash inbox: watches crash folders (inotify, or polling), analyses each new report once, stores it.
        .target(
            name: "CrashInbox",
            dependencies: [
                "CrashAnalysis", "CrashStore",
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strictSettings
        ),
        // Fix candidates from pattern templates, patch checks, and applying an approved patch through git.
        .target(
            name: "FixEngine",
            dependencies: ["CrashAnalysis"],
            swiftSettings: strictSettings
        ),
        // Running the worldserver, build and test commands with timeouts; the crash loop state machine.
        .target(
            name: "Supervisor",
            dependencies: ["CrashAnalysis", "FixEngine"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "TerminalUI",
            dependencies: [
                "CNcursesw",
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Demo",
            dependencies: [
                "LogWatch",
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Dashboard",
            dependencies: [
                "LogWatch", "TerminalUI", "Demo", "CrashAnalysis", "CrashStore", "CrashInbox", "FixEngine", "Supervisor",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: strictSettings
        ),

        // MARK: - Executable

        .executableTarget(
            name: "crashwatch",
            dependencies: [
                "Dashboard", "CrashAnalysis", "CrashStore", "CrashInbox", "Demo", "LogWatch", "Supervisor", "FixEngine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),

        // MARK: - Tests

        .testTarget(
            name: "LogWatchTests",
            dependencies: [
                "LogWatch",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CrashAnalysisTests",
            dependencies: ["CrashAnalysis"],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CrashStoreTests",
            dependencies: [
                "CrashStore", "CrashAnalysis",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CrashInboxTests",
            dependencies: ["CrashInbox", "CrashStore", "CrashAnalysis"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FixEngineTests",
            dependencies: ["FixEngine", "CrashAnalysis"],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SupervisorTests",
            dependencies: ["Supervisor", "CrashAnalysis", "FixEngine", "Demo"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TerminalUITests",
            dependencies: ["TerminalUI"],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "DashboardTests",
            dependencies: ["Dashboard", "LogWatch", "TerminalUI", "CrashAnalysis", "CrashInbox", "CrashStore", "FixEngine"],
            exclude: ["Snapshots"],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["crashwatch"],
            swiftSettings: strictSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)

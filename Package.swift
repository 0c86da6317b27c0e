// swift-tools-version: 6.2
import PackageDescription

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
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // MARK: - C shims

        // ncursesw with the wide-character API switched on; see Sources/CNcursesw/shim.h for why.
        .systemLibrary(name: "CNcursesw", providers: [.apt(["libncurses-dev"])]),

        // MARK: - Shared kit

        // What every part needs once: civil time, the rule-file reader and its error, a bounded line buffer, short
        // child processes, the C library, the data folders.
        // pipe2(O_CLOEXEC), which the Glibc module does not show.
        .target(name: "CPlatform"),
        .target(
            name: "CrashwatchKit", dependencies: ["CPlatform", .product(name: "TOMLKit", package: "TOMLKit")]),

        // MARK: - Libraries (one per part of crashwatch)

        // Following, framing and classifying log lines; templates and escalation of warnings and errors.
        .target(
            name: "LogWatch",
            dependencies: [
                "CrashwatchKit",
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "DequeModule", package: "swift-collections"),
            ]
        ),
        // Pure crash analysis: text in, model, signature and diagnosis out. No file or network access; rule lists
        // and patterns arrive as text (TOMLKit only parses them).
        .target(
            name: "CrashAnalysis",
            dependencies: [
                "CrashwatchKit", "LogWatch",
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        // Crash history in SQLite: groups, occurrences, fix decisions, lifecycle.
        .target(
            name: "CrashStore",
            dependencies: [
                "CrashwatchKit", "CrashAnalysis",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // The shared crash history of several hosts in PostgreSQL (PostgresNIO), with the local SQLite outbox that
        // keeps occurrences while the server cannot be reached.
        .target(
            name: "HistoryServer",
            dependencies: [
                "CrashwatchKit", "CrashAnalysis", "CrashStore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The crash inbox: watches crash folders (inotify, or polling), analyses each new report once, stores it.
        .target(
            name: "CrashInbox",
            dependencies: [
                "CrashwatchKit", "CrashAnalysis", "CrashStore",
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        // Fix candidates from pattern templates, patch checks, and applying an approved patch through git.
        .target(name: "FixEngine", dependencies: ["CrashwatchKit", "CrashAnalysis"]),
        // Linux crashes made into reports: where core_pattern puts a core (file, systemd-coredump, apport), gdb on
        // it or attached to a frozen server, the report written into the crash folder, cores kept per group.
        .target(name: "CoreDumps", dependencies: ["CrashwatchKit", "CrashAnalysis"]),
        // Running the worldserver, build and test commands with timeouts; the crash loop state machine.
        .target(name: "Supervisor", dependencies: ["CrashwatchKit", "CrashAnalysis", "FixEngine", "CoreDumps"]),
        // Cells, themes, keys and the screens frames are shown on (ncurses, or memory).
        .target(
            name: "TerminalUI",
            dependencies: [
                "CNcursesw", "CrashwatchKit",
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        // The simulated worldserver of `crashwatch demo`: its logs, crashes and source tree.
        .target(
            name: "Demo",
            dependencies: [
                "CrashwatchKit", "LogWatch",
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),

        // MARK: - App core and UI

        // What the app decides and does outside the screen: settings, the rule book, the services and their wiring,
        // the effect runner (all the I/O the dashboard asks for), the loop report, crash import. Commands without a
        // UI depend on this and not on Dashboard.
        .target(
            name: "AppCore",
            dependencies: [
                "CrashwatchKit", "LogWatch", "CrashAnalysis", "CrashStore", "CrashInbox", "FixEngine", "Supervisor",
                "CoreDumps", "HistoryServer",
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        // The dashboard: state, views and keys over `any Screen`; effects go out through one channel to AppCore.
        .target(
            name: "Dashboard",
            dependencies: [
                "AppCore", "CrashwatchKit", "LogWatch", "TerminalUI", "Demo", "CrashAnalysis", "CrashStore",
                "CrashInbox",
                "FixEngine", "Supervisor",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),

        // MARK: - Executable

        .executableTarget(
            name: "crashwatch",
            dependencies: [
                "AppCore", "CoreDumps", "CrashwatchKit", "Dashboard", "HistoryServer", "CrashAnalysis", "CrashStore",
                "CrashInbox",
                "Demo",
                "LogWatch",
                "Supervisor", "FixEngine", "TerminalUI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: - Tests

        // Shared test helpers: temporary folders that clean up, repository paths, golden files, the tmux driver,
        // waiting until a condition holds.
        .target(
            name: "TestSupport", dependencies: ["CrashwatchKit", "CrashAnalysis", "TerminalUI"],
            path: "Tests/TestSupport"),

        .testTarget(
            name: "LogWatchTests",
            dependencies: [
                "TestSupport",
                "CrashwatchKit", "LogWatch",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "CrashAnalysisTests",
            dependencies: ["TestSupport", "CrashwatchKit", "CrashAnalysis", "LogWatch"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "CrashStoreTests",
            dependencies: [
                "TestSupport",
                "CrashwatchKit", "CrashStore", "CrashAnalysis",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "HistoryServerTests",
            dependencies: ["TestSupport", "CrashwatchKit", "CrashStore", "CrashAnalysis", "HistoryServer"]
        ),
        .testTarget(
            name: "CrashInboxTests",
            dependencies: ["TestSupport", "CrashwatchKit", "CrashInbox", "CrashStore", "CrashAnalysis"]),
        .testTarget(
            name: "FixEngineTests",
            dependencies: ["TestSupport", "CrashwatchKit", "FixEngine", "CrashAnalysis"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "SupervisorTests",
            dependencies: [
                "TestSupport", "AppCore", "CoreDumps", "CrashwatchKit", "Supervisor", "CrashAnalysis", "FixEngine",
                "Demo",
            ]
        ),
        .testTarget(
            name: "TerminalUITests",
            dependencies: ["TestSupport", "CrashwatchKit", "TerminalUI"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "DashboardTests",
            dependencies: [
                "TestSupport",
                "AppCore", "CrashwatchKit", "Dashboard", "LogWatch", "TerminalUI", "CrashAnalysis", "CrashInbox",
                "CrashStore",
                "FixEngine",
            ],
            exclude: ["Snapshots"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "AppCoreTests",
            dependencies: [
                "TestSupport", "AppCore", "CoreDumps", "CrashwatchKit", "LogWatch", "CrashAnalysis", "CrashStore",
                "CrashInbox", "FixEngine", .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "TestSupport", "crashwatch", "CrashwatchKit", "Demo", .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// Every target is built in Swift 6 language mode with strict concurrency, plus upcoming features that keep APIs
// explicit, applied in one place (as swift-log does).
for target in package.targets where target.type != .system && target.name != "CPlatform" {
    target.swiftSettings =
        (target.swiftSettings ?? []) + [
            .enableUpcomingFeature("ExistentialAny"),
            .enableUpcomingFeature("MemberImportVisibility"),
            .enableUpcomingFeature("InternalImportsByDefault"),
        ]
}

public import Foundation

/// Watches a folder the kernel writes cores into (`cores = "/srv/cores"`, with `core_pattern` pointed there): each
/// new core, once complete, is symbolised with gdb and its report written into the crash folder, where the inbox
/// takes it like any other. A core that already has a report there is never done twice, across restarts too.
public actor CoreFolderWatcher {
    public let folder: String
    private let capture: CoreCapture
    /// A core must keep its size this long before gdb reads it (the kernel writes a large one over seconds).
    public var settleTime: Duration
    private var sizes: [String: (size: UInt64, since: ContinuousClock.Instant)] = [:]
    private var done: Set<String> = []
    private var loadedReported = false

    public init(folder: String, capture: CoreCapture, settleTime: Duration = .seconds(2)) {
        self.folder = folder
        self.capture = capture
        self.settleTime = settleTime
    }

    /// Scans every `interval` until cancelled; `onReport` gets each written report.
    public func run(
        interval: Duration = .seconds(2), onReport: @escaping @Sendable (CoreCapture.Captured) -> Void
    ) async {
        while !Task.isCancelled {
            for captured in await scan() { onReport(captured) }
            try? await Task.sleep(for: interval)
        }
    }

    /// One look at the folder: the cores that have become complete since the last look, symbolised.
    public func scan() async -> [CoreCapture.Captured] {
        if !loadedReported {
            done = Self.reportedCores(in: capture.crashFolder)
            loadedReported = true
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        var captured: [CoreCapture.Captured] = []
        let now = ContinuousClock.now
        for name in names.sorted() where !name.hasPrefix(".") {
            let path = "\(folder)/\(name)"
            guard !done.contains(path), ElfFile.isCore(path) else { continue }
            let size = CoreLocator.size(of: path)
            guard let last = sizes[path], last.size == size, size > 0 else {
                sizes[path] = (size, now)
                continue
            }
            guard now - last.since >= settleTime else { continue }
            sizes[path] = nil
            done.insert(path)
            captured.append(await capture.capture(core: path))
        }
        return captured
    }

    /// The cores crashwatch's reports in `crashFolder` already name.
    static func reportedCores(in crashFolder: String) -> Set<String> {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: crashFolder)) ?? []
        return Set(
            names.filter { $0.hasSuffix(".txt") }.compactMap { name in
                (try? String(contentsOfFile: "\(crashFolder)/\(name)", encoding: .utf8)).flatMap {
                    CoreReport.corePath(in: Substring($0))
                }
            })
    }
}

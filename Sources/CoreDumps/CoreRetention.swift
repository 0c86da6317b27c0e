public import Foundation

/// Keeps the newest cores of each crash group and removes older ones — only cores named by crashwatch's own reports in
/// the crash folder, never any other file.
///
/// With no limit set, nothing is removed.
public struct CoreRetention: Sendable {
    /// Cores kept per group; nil keeps every core.
    public var keepPerGroup: Int?

    public init(keepPerGroup: Int?) {
        self.keepPerGroup = keepPerGroup
    }

    public struct Summary: Sendable, Equatable, CustomStringConvertible {
        public var kept: Int
        public var keptBytes: UInt64
        public var removed: [String]

        public var description: String {
            let size = ByteCountFormatter.string(fromByteCount: Int64(keptBytes), countStyle: .file)
            return "\(kept) core(s) kept (\(size))" + (removed.isEmpty ? "" : ", \(removed.count) older removed")
        }
    }

    /// - Parameter groupKey: the crash group of a report's text (the analyzer's signature).
    public func apply(crashFolder: String, groupKey: (String) -> String) -> Summary {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: crashFolder)) ?? []
        var cores: [(group: String, core: String, date: Date)] = []
        for name in names where name.hasSuffix(".txt") && !name.hasPrefix(".") {
            let path = "\(crashFolder)/\(name)"
            guard let text = try? String(contentsOfFile: path, encoding: .utf8),
                let core = CoreReport.corePath(in: Substring(text)),
                let attributes = try? FileManager.default.attributesOfItem(atPath: core),
                let date = attributes[.modificationDate] as? Date
            else { continue }
            cores.append((groupKey(text), core, date))
        }
        var summary = Summary(kept: 0, keptBytes: 0, removed: [])
        var keptPerGroup: [String: Int] = [:]
        var seen: Set<String> = []
        for entry in cores.sorted(by: { $0.date > $1.date }) where seen.insert(entry.core).inserted {
            let kept = keptPerGroup[entry.group, default: 0]
            if let limit = keepPerGroup, kept >= limit {
                if (try? FileManager.default.removeItem(atPath: entry.core)) != nil {
                    summary.removed.append(entry.core)
                }
                continue
            }
            keptPerGroup[entry.group] = kept + 1
            summary.kept += 1
            summary.keptBytes += CoreLocator.size(of: entry.core)
        }
        return summary
    }
}

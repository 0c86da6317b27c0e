import Foundation

/// What an apply in progress is doing, kept in the repository's git folder (`crashwatch-apply.json`) until it is done:
/// the branch it came from, the branch it made, and the commit that branch started at.
struct ApplyJournal: Codable, Equatable {
    init(originalBranch: String, branch: String, base: String, branchExisted: Bool = false) {
        self.originalBranch = originalBranch
        self.branch = branch
        self.base = base
        self.branchExisted = branchExisted
    }

    var originalBranch: String
    var branch: String
    var base: String
    /// The group's fix branch was there before (the fix goes on top of it): undoing never removes it.
    var branchExisted = false

    static let fileName = "crashwatch-apply.json"

    func write(in gitDirectory: String) {
        guard let data = try? JSONEncoder().encode(self) else { return }
        try? data.write(to: URL(fileURLWithPath: "\(gitDirectory)/\(Self.fileName)"), options: .atomic)
    }

    static func read(in gitDirectory: String) -> ApplyJournal? {
        guard let data = FileManager.default.contents(atPath: "\(gitDirectory)/\(fileName)") else { return nil }
        return try? JSONDecoder().decode(ApplyJournal.self, from: data)
    }

    static func remove(in gitDirectory: String) {
        try? FileManager.default.removeItem(atPath: "\(gitDirectory)/\(fileName)")
    }
}

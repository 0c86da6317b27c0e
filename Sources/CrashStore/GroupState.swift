/// Where a crash group stands, as in Sentry: `new` (seen once), `ongoing`, `resolved` (in a build), `regressed` (seen
/// again in a build that contains the fix), `ignored`.
public enum GroupState: String, Sendable, Codable, CaseIterable {
    case new, ongoing, resolved, regressed, ignored
}

/// The lifecycle rules, apart from storage so they can be tested alone.
public enum GroupLifecycle {
    public struct Group: Sendable, Equatable {
        public var state: GroupState
        public var count: Int
        public var buildsSeen: [String]
        public var resolvedInBuild: String?
        /// Builds seen before the group was resolved: a crash from one of them is an old build still running, not a
        /// regression.
        public var buildsBeforeResolve: [String]

        public init(
            state: GroupState, count: Int, buildsSeen: [String], resolvedInBuild: String? = nil,
            buildsBeforeResolve: [String] = []
        ) {
            self.state = state
            self.count = count
            self.buildsSeen = buildsSeen
            self.resolvedInBuild = resolvedInBuild
            self.buildsBeforeResolve = buildsBeforeResolve
        }
    }

    public enum Outcome: String, Sendable, Equatable {
        case newGroup, repeated, regressed, oldBuildAfterResolve, ignored
    }

    /// A new occurrence from `build` arrives for `group`.
    public static func occurrence(in group: inout Group, build: String?) -> Outcome {
        group.count += 1
        if let build, !group.buildsSeen.contains(build) { group.buildsSeen.append(build) }
        switch group.state {
        case .ignored:
            return .ignored
        case .resolved:
            // Regressed only when the crashing build contains the fix: the resolving build itself or one first seen
            // after the resolution. An unknown build cannot be ruled out, so it counts as a regression.
            if let build, group.buildsBeforeResolve.contains(build), build != group.resolvedInBuild {
                return .oldBuildAfterResolve
            }
            group.state = .regressed
            return .regressed
        case .regressed:
            return .regressed
        case .new, .ongoing:
            group.state = group.count > 1 ? .ongoing : .new
            return group.count > 1 ? .repeated : .newGroup
        }
    }

    public static func resolve(_ group: inout Group, inBuild build: String) {
        group.state = .resolved
        group.resolvedInBuild = build
        group.buildsBeforeResolve = group.buildsSeen
    }

    public static func ignore(_ group: inout Group) { group.state = .ignored }

    public static func reopen(_ group: inout Group) {
        group.state = group.count > 1 ? .ongoing : .new
        group.resolvedInBuild = nil
        group.buildsBeforeResolve = []
    }
}

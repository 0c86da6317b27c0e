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
        /// After a resolve, from a build the report does not name: it cannot be judged, so the group is ongoing again
        /// (not regressed) and the occurrence says its build is unknown.
        case unknownBuildAfterResolve
    }

    /// A new occurrence from `build` arrives for `group`.
    /// - Parameter isDescendant: whether `build` contains `resolved` (`git merge-base --is-ancestor resolved build`),
    ///   nil when the source tree does not know both.
    public static func occurrence(
        in group: inout Group, build: String?, isDescendant: ((_ build: String, _ resolved: String) -> Bool?)? = nil
    ) -> Outcome {
        group.count += 1
        if let build, !group.buildsSeen.contains(build) { group.buildsSeen.append(build) }
        switch group.state {
        case .ignored:
            return .ignored
        case .resolved:
            guard let build else {
                group.state = .ongoing
                return .unknownBuildAfterResolve
            }
            guard let resolved = group.resolvedInBuild, build != resolved else {
                group.state = .regressed
                return .regressed
            }
            if let descendant = isDescendant?(build, resolved) {
                if descendant {
                    group.state = .regressed
                    return .regressed
                }
                return .oldBuildAfterResolve
            }
            // Without the tree: a build seen before the resolve is an old binary still running; a build first seen
            // since can only be newer, so it contains the fix.
            if group.buildsBeforeResolve.contains(build) { return .oldBuildAfterResolve }
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

extension CrashGroupRecord {
    /// The group's lifecycle fields as the rules see them.
    public var lifecycle: GroupLifecycle.Group {
        get {
            GroupLifecycle.Group(
                state: state, count: count, buildsSeen: buildsSeen, resolvedInBuild: resolvedInBuild,
                buildsBeforeResolve: buildsBeforeResolve)
        }
        set {
            state = newValue.state
            count = newValue.count
            buildsSeen = newValue.buildsSeen
            resolvedInBuild = newValue.resolvedInBuild
            buildsBeforeResolve = newValue.buildsBeforeResolve
        }
    }

    /// Counts `occurrence` in the group (state, count, builds, first and last seen) and says what it was.
    /// - Parameter ancestry: the source tree that tells whether a build contains the one a fix was resolved in.
    public mutating func count(_ occurrence: PreparedOccurrence, ancestry: GitAncestry?) -> GroupLifecycle.Outcome {
        let isDescendant = ancestry.map { tree in
            { @Sendable (build: String, resolved: String) in tree.isDescendant(build, of: resolved) }
        }
        let outcome = GroupLifecycle.occurrence(in: &lifecycle, build: occurrence.build, isDescendant: isDescendant)
        firstSeen = min(firstSeen, occurrence.time)
        lastSeen = max(lastSeen, occurrence.time)
        return outcome
    }

    /// Resolves, ignores or reopens the group.
    public mutating func changeLifecycle(_ change: (inout GroupLifecycle.Group) -> Void) { change(&lifecycle) }
}

extension OccurrenceRecord {
    /// The same report file recorded again (same path or same `device:inode`, on the same host): not a new crash.
    public func isSameFile(as occurrence: PreparedOccurrence) -> Bool {
        guard host.isEmpty || host == occurrence.host else { return false }
        return reportPath == occurrence.reportPath
            || (occurrence.fileIdentity != nil && fileIdentity == occurrence.fileIdentity)
    }
}

extension FixDecisionRecord {
    /// The approval a fix commit carries, recorded after crashwatch was stopped before writing it.
    public init(recoveredFrom commit: FixCommit, groupID: Int64) {
        self.init(
            id: nil, groupID: groupID, time: commit.time, decision: .approved,
            reason: "recorded from commit \(commit.commit.prefix(12)): the approval was not written when it was made",
            patch: commit.patch, commitHash: commit.commit)
    }
}

extension SimilarGroup {
    /// The candidates sharing top frames with `wanted`, most shared frames first, then most occurrences.
    public static func ranked(_ candidates: [CrashGroupRecord], sharing wanted: Set<String>, limit: Int)
        -> [SimilarGroup]
    {
        var scored: [SimilarGroup] = []
        for candidate in candidates {
            let shared = Set(candidate.topFrames).intersection(wanted).count
            if shared > 0 { scored.append(SimilarGroup(group: candidate, sharedFrames: shared)) }
        }
        scored.sort { a, b in
            a.sharedFrames != b.sharedFrames ? a.sharedFrames > b.sharedFrames : a.group.count > b.group.count
        }
        return Array(scored.prefix(limit))
    }
}

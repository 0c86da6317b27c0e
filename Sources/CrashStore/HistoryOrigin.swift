import Foundation

/// Which machine and realm the occurrences this crashwatch records come from.
public struct HistoryOrigin: Sendable, Equatable, Codable {
    /// The machine's name (`host-name` in `crashwatch.toml`, else the system's host name).
    public var host: String
    /// The realm (`realm`, or `RealmID` from `worldserver.conf`), when known.
    public var realm: String?

    public init(host: String, realm: String? = nil) {
        self.host = host
        self.realm = realm
    }

    /// This machine, realm unknown.
    public static var local: HistoryOrigin { HistoryOrigin(host: ProcessInfo.processInfo.hostName) }
}

/// Where one host (and realm) saw a group: its own counts, times and builds.
public struct HostSighting: Sendable, Equatable, Codable {
    public var host: String
    public var realm: String?
    public var count: Int
    public var firstSeen: Int64
    public var lastSeen: Int64
    public var builds: [String]

    public init(host: String, realm: String?, count: Int, firstSeen: Int64, lastSeen: Int64, builds: [String]) {
        self.host = host
        self.realm = realm
        self.count = count
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.builds = builds
    }

    /// How a person names where a crash happened: the realm when it is known (`realm 2` for a `RealmID`, or its
    /// configured name), else the host.
    public var place: String {
        guard let realm, !realm.isEmpty else { return host }
        return realm.allSatisfy(\.isNumber) ? "realm \(realm)" : realm
    }
}

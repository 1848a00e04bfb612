// IsolationLevel: what the jail can enforce on this host (docs/reference/sandbox-profiles.md, "Isolation levels").

/// The isolation levels, weakest first.
public enum IsolationLevel: String, Sendable, Comparable, CaseIterable, Codable {
    case minimal
    case noCgroup = "no-cgroup"
    case full

    var rank: Int { switch self { case .minimal: 0; case .noCgroup: 1; case .full: 2 } }
    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
}

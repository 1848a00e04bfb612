// Jail: the seam between grading and the jail helper.

/// Runs one command in the jail and reports what happened.
public protocol Jail: Sendable {
    /// Runs the request; the jail's own failures come back as status IE, not as a throw.
    func run(_ request: RunRequest) async throws -> RunResult
    /// The isolation level runs get on this host.
    var level: IsolationLevel { get }
}

// SandboxError: what can go wrong in the Swift face of the jail; each case says what to do.

/// Errors of the Sandbox module. The jail's own failures surface as RunResult.status == .IE.
public enum SandboxError: Error, Sendable, CustomStringConvertible {
    case helperNotFound(searched: [String])
    case spawnFailed(path: String, errno: Int32)
    case helperFailed(exitStatus: Int32, stderr: String)
    case badRecord(String)
    case noProfiles(directory: String)
    case unknownProfile(String, available: [String])
    case isolationTooLow(required: IsolationLevel, available: IsolationLevel, missing: [String])
    case limitAboveCeiling(key: String, message: String)
    case staging(path: String, reason: String)
    /// polyjail's record answered another request: the helper is retired.
    case protocolOutOfStep(expected: String, got: String)
    /// The run asks for more than one spec can carry (JailLimits); refused before the jail.
    case requestTooLarge(String)
    /// A streamed service (JailStream) failed mid-exchange: it is stopped, the work is done the cold way.
    case streamFailed(String)

    public var description: String {
        switch self {
        case let .helperNotFound(searched):
            return "the jail helper polyjail was not found (searched: \(searched.joined(separator: ", "))); build it with `swift build` or set POLYJAIL"
        case let .spawnFailed(path, errno):
            return "posix_spawn(\(path)) failed: \(String(cString: strerror(errno)))"
        case let .helperFailed(status, stderr):
            return "polyjail exited with status \(status): \(stderr.trimmingCharacters(in: .whitespacesAndNewlines))"
        case let .badRecord(text):
            return "polyjail wrote an unreadable record: \(text.prefix(300))"
        case let .noProfiles(directory):
            return "no sandbox profiles (*.yml) in \(directory)"
        case let .unknownProfile(name, available):
            return "unknown sandbox profile \"\(name)\" (available: \(available.sorted().joined(separator: ", ")))"
        case let .isolationTooLow(required, available, missing):
            return "refusing to run: this host gives isolation level \"\(available.rawValue)\" but \"\(required.rawValue)\" is required. Missing: "
                + missing.joined(separator: "; ")
        case let .limitAboveCeiling(key, message):
            return "\(key): \(message)"
        case let .staging(path, reason):
            return "preparing the box: \(path): \(reason)"
        case let .protocolOutOfStep(expected, got):
            return "polyjail answered request \(got) while request \(expected) was waiting; the helper was retired"
        case let .requestTooLarge(what):
            return "the run is too large for the jail: \(what)"
        case let .streamFailed(why):
            return "jailed service: \(why)"
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif

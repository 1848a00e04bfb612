// JailTables: the jail's fixed facts as polyjail exports them (`polyjail tables`): the deny list
// with its errnos, the errno and device names a profile may use, the socket families, the
// defaults. Profiles are validated against this export, never against a Swift copy that could
// drift from the C (docs/polyjail.md).
import Foundation

/// What `polyjail tables` prints.
public struct JailTables: Sendable, Decodable, Equatable {
    public struct DenyRule: Sendable, Decodable, Equatable {
        public var syscall: String
        public var errno: String
        public var why: String
    }
    public struct Defaults: Sendable, Decodable, Equatable {
        public var boxSize: UInt64
        public var boxInodes: Int
        public var tmpSize: UInt64
        public var tmpInodes: Int
        public var uidBase: Int
        enum CodingKeys: String, CodingKey {
            case boxSize = "box_size", boxInodes = "box_inodes", tmpSize = "tmp_size", tmpInodes = "tmp_inodes", uidBase = "uid_base"
        }
    }

    /// What one spec may hold; `JailLimits` must say the same (a test checks it).
    public struct SpecLimits: Sendable, Decodable, Equatable {
        public var maxArguments: Int
        public var maxSpecBytes: Int
        public var maxLineBytes: Int
        enum CodingKeys: String, CodingKey {
            case maxArguments = "max_arguments", maxSpecBytes = "max_spec_bytes", maxLineBytes = "max_line_bytes"
        }
    }

    public var deny: [DenyRule]
    public var errnos: [String]
    public var devices: [String]
    public var socketFamilies: [String]
    public var seccompPolicies: [String]
    public var procModes: [String]
    public var defaults: Defaults
    public var specLimits: SpecLimits

    enum CodingKeys: String, CodingKey {
        case deny, errnos, devices, socketFamilies = "socket_families", seccompPolicies = "seccomp_policies",
             procModes = "proc_modes", defaults, specLimits = "spec_limits"
    }

    /// Syscalls the default policy denies: they may not appear in a strict allow list.
    public var deniedSyscalls: Set<String> { Set(deny.map(\.syscall)) }

    /// Asks the helper for its tables.
    public static func load(helper: String) throws -> JailTables {
        let r = try HostCommand.runBlocking([helper, "tables"], environment: [:], stdinFile: nil, timeout: 10, outputCap: 256 << 10)
        guard r.status == 0 else { throw SandboxError.helperFailed(exitStatus: r.status, stderr: r.stderrText) }
        do { return try JSONDecoder().decode(JailTables.self, from: r.stdout) }
        catch { throw SandboxError.badRecord(String(decoding: r.stdout, as: UTF8.self)) }
    }

    /// The tables of the helper this process uses (found as `ResourcePaths.helper()` finds it), read once.
    public static let current: Result<JailTables, SandboxError> = {
        do { return .success(try load(helper: try ResourcePaths.helper())) }
        catch let e as SandboxError { return .failure(e) }
        catch { return .failure(.helperFailed(exitStatus: -1, stderr: "\(error)")) }
    }()
}

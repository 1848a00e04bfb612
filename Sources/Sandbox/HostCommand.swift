// HostCommand: runs a trusted command on the host (toolchain resolution, version probes, the
// jail helper) with posix_spawn. Swift never forks: the runtime is multi-threaded.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The outcome of a host command: exit status and captured, capped output.
public struct HostCommandResult: Sendable {
    public var status: Int32
    public var stdout: Data
    public var stderr: Data
    public var timedOut: Bool
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}

/// Spawns host programs without a shell; output goes to private files, read back capped.
public enum HostCommand {
    /// Runs `argv` (argv[0] a path, or a name searched in `PATH`) with `stdinFile` and a timeout.
    public static func run(_ argv: [String], environment: [String: String]? = nil, stdinFile: String? = nil,
                           timeout: Double = 10, outputCap: Int = 64 << 10) async throws -> HostCommandResult {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try runBlocking(argv, environment: environment, stdinFile: stdinFile,
                                                                   timeout: timeout, outputCap: outputCap) })
            }
        }
    }

    /// The blocking form, for use off the cooperative pool.
    public static func runBlocking(_ argv: [String], environment: [String: String]?, stdinFile: String?,
                                   timeout: Double, outputCap: Int) throws -> HostCommandResult {
        let dir = try PrivateDirectory.make(prefix: "polygrader-cmd")
        defer { dir.remove() }
        let outPath = dir.path + "/stdout", errPath = dir.path + "/stderr"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdinFile ?? "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        // SwiftNIO's sockets are not close-on-exec: without this the command would hold our connections.
        SpawnActions.closeFrom(3, in: &actions)
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        // A new process group, so a timeout can end the command and anything it started.
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attr, 0)
        var empty = sigset_t(), all = sigset_t()
        sigemptyset(&empty); sigfillset(&all)
        posix_spawnattr_setsigmask(&attr, &empty)
        posix_spawnattr_setsigdefault(&attr, &all)
        let env = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let rc = withCStrings(argv) { cargv in
            withCStrings(env) { cenv in
                argv[0].contains("/") ? posix_spawn(&pid, argv[0], &actions, &attr, cargv, cenv)
                                      : posix_spawnp(&pid, argv[0], &actions, &attr, cargv, cenv)
            }
        }
        if rc != 0 { throw SandboxError.spawnFailed(path: argv[0], errno: rc) }
        let (status, timedOut) = waitWithTimeout(pid: pid, timeout: timeout)
        return HostCommandResult(status: status, stdout: readCapped(outPath, cap: outputCap),
                                 stderr: readCapped(errPath, cap: outputCap), timedOut: timedOut)
    }

    /// Waits for `pid`, killing its process group after `timeout` seconds. Returns the exit
    /// status (128 + signal when killed by one).
    static func waitWithTimeout(pid: pid_t, timeout: Double) -> (Int32, Bool) {
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        var timedOut = false
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { break }
            if r < 0 && errno != EINTR { return (-1, timedOut) }
            if !timedOut && Date() > deadline { timedOut = true; kill(-pid, SIGKILL); kill(pid, SIGKILL) }
            usleep(2000)
        }
        let exited = (status & 0x7f) == 0
        return (exited ? (status >> 8) & 0xff : 128 + (status & 0x7f), timedOut)
    }

    static func readCapped(_ path: String, cap: Int) -> Data {
        guard let h = FileHandle(forReadingAtPath: path) else { return Data() }
        defer { try? h.close() }
        return (try? h.read(upToCount: cap)) ?? Data()
    }
}

/// Calls `body` with a NULL-terminated C array of the strings.
func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    pointers.append(nil)
    defer { for p in pointers { free(p) } }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}

/// A root-private (0700) temporary directory: nothing a jailed program controls lives here.
public struct PrivateDirectory: Sendable {
    public let path: String

    public static func make(prefix: String) throws -> PrivateDirectory {
        let base = ProcessInfo.processInfo.environment["POLYGRADER_TMPDIR"] ?? NSTemporaryDirectory()
        var template = Array((base as NSString).appendingPathComponent("\(prefix)-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard made != nil else { throw SandboxError.staging(path: base, reason: String(cString: strerror(errno))) }
        // mkdtemp filled in the template's X's in place; the array holds the path up to its NUL.
        return PrivateDirectory(path: String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    /// Removes the tree. Only our own files live here (polyjail copies out regular files and
    /// directories only); the walk opens each directory with O_NOFOLLOW all the same. Plain unlinkat:
    /// FileManager's removal costs about twice as much, on every jail call.
    public func remove() {
        if !Self.removeTree(parent: AT_FDCWD, name: path) { try? FileManager.default.removeItem(atPath: path) }
    }

    private static func removeTree(parent: Int32, name: String) -> Bool {
        let fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return false }
        guard let dir = fdopendir(fd) else { _ = close(fd); return false }
        defer { closedir(dir) }
        var entries: [(name: String, isDirectory: Bool)] = []
        while let entry = readdir(dir) {
            let entryName = withUnsafePointer(to: entry.pointee.d_name) {
                String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
            }
            if entryName != "." && entryName != ".." { entries.append((entryName, entry.pointee.d_type == UInt8(DT_DIR))) }
        }
        var ok = true
        for entry in entries {
            if entry.isDirectory { ok = removeTree(parent: dirfd(dir), name: entry.name) && ok }
            else if unlinkat(dirfd(dir), entry.name, 0) != 0 { ok = false }
        }
        return unlinkat(parent, name, AT_REMOVEDIR) == 0 && ok
    }

    /// Writes a new file with exactly `mode` (not through the umask): O_EXCL and O_NOFOLLOW, so nothing
    /// already there is followed or overwritten. Staging writes several per jail call; FileManager's
    /// createFile costs a few times more.
    public static func writeNewFile(_ path: String, contents: Data, mode: mode_t) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard fd >= 0 else { return false }
        var ok = fchmod(fd, mode) == 0
        contents.withUnsafeBytes { bytes in
            var offset = 0
            while ok && offset < bytes.count {
                let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { ok = false } else { offset += n }
            }
        }
        return close(fd) == 0 && ok
    }
}

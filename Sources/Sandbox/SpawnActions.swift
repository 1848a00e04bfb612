// SpawnActions: what every posix_spawn of ours adds to its file actions. SwiftNIO's sockets (and so
// AsyncHTTPClient's connections to XQueue) are not close-on-exec; a spawned program, above all a
// long-lived `polyjail serve`, would otherwise hold copies of them, and a connection the watcher
// closes would stay open on the server.
#if canImport(Glibc)
import Glibc
#endif

enum SpawnActions {
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// glibc's posix_spawn_file_actions_addclosefrom_np (2.34+), found at run time: Swift's Glibc
    /// module does not declare it.
    private static let addCloseFrom: AddCloseFrom? = {
        guard let sym = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(sym, to: AddCloseFrom.self)
    }()

    /// Closes every descriptor from `fd` on in the child. Returns false where the C library cannot
    /// (polyjail then closes them itself at start).
    @discardableResult
    static func closeFrom(_ fd: Int32, in actions: inout posix_spawn_file_actions_t) -> Bool {
        guard let f = addCloseFrom else { return false }
        return f(&actions, fd) == 0
    }

    /// Spawns the polyjail helper at `path` with `arguments` (argv[0] is the path), an empty environment,
    /// no signal blocked and every signal at its default (the helper's own handling starts from there),
    /// and the caller's file actions. Returns the child's pid, or posix_spawn's error.
    static func spawnHelper(_ path: String, _ arguments: [String], actions: inout posix_spawn_file_actions_t) -> Result<pid_t, SandboxError> {
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var empty = sigset_t(), all = sigset_t()
        sigemptyset(&empty); sigfillset(&all)
        posix_spawnattr_setsigmask(&attr, &empty)
        posix_spawnattr_setsigdefault(&attr, &all)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var child: pid_t = 0
        let rc = withCStrings([path] + arguments) { argv in withCStrings([]) { env in posix_spawn(&child, path, &actions, &attr, argv, env) } }
        return rc == 0 ? .success(child) : .failure(.spawnFailed(path: path, errno: rc))
    }
}

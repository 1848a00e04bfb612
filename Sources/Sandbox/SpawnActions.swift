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
}

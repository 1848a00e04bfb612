// SelfTestCache: a language that passed its self-test keeps that result until its profile, its
// sandbox profiles, its toolchain version or the jail helper change, so start-up does not compile
// and run every language's echo program each time (`polygrader languages --recheck` forgets it).
// The file is root's own (0600 in a 0700 directory): only root can mark a language as tested.
import Foundation

/// What decides whether a self-test runs while the registry loads.
public enum SelfTestPolicy: Sendable {
    /// Every language is self-tested now.
    case always
    /// No language is self-tested (tests that grade through a replay jail, without root).
    case never
    /// A language whose key is in the cache is taken as tested; the others are tested and recorded.
    case cached(SelfTestCache)
}

/// Passed self-tests on disk, keyed by everything the self-test's outcome depends on.
public struct SelfTestCache: Sendable {
    public let file: String

    public init(file: String) { self.file = file }

    /// `$POLYGRADER_CACHE_DIR/selftest.json`, else /var/cache/polygrader for root, else ~/.cache/polygrader.
    public static var standard: SelfTestCache {
        let env = ProcessInfo.processInfo.environment
        let dir = env["POLYGRADER_CACHE_DIR"]
            ?? (getuid() == 0 ? "/var/cache/polygrader" : (NSHomeDirectory() as NSString).appendingPathComponent(".cache/polygrader"))
        return SelfTestCache(file: (dir as NSString).appendingPathComponent("selftest.json"))
    }

    /// The key of one language: its profile's bytes, its sandboxes' bytes, the toolchain's version
    /// and paths, and the jail helper's identity (size and modification time).
    public static func key(profileFile: String, sandboxFiles: [String], version: String, tools: [String: String], helper: String) -> String {
        var h = FNV64()
        for f in [profileFile] + sandboxFiles.sorted() {
            h.add(f)
            h.add(FileManager.default.contents(atPath: f) ?? Data())
        }
        h.add(version)
        for (k, v) in tools.sorted(by: { $0.key < $1.key }) { h.add(k); h.add(v) }
        if let a = try? FileManager.default.attributesOfItem(atPath: helper) {
            h.add("\(a[.size] ?? 0) \((a[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)")
        }
        return String(format: "%016llx", h.value)
    }

    /// The keys of passed self-tests, by language name.
    public func load() -> [String: String] {
        guard let data = FileManager.default.contents(atPath: file),
              let map = try? JSONDecoder().decode([String: String].self, from: data) else { return [:] }
        return map
    }

    /// Records the passed languages (and forgets the others); best effort: a cache that cannot be
    /// written only costs a self-test at the next start.
    public func store(_ passed: [String: String]) {
        let dir = (file as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        guard let data = try? JSONEncoder().encode(passed) else { return }
        let tmp = file + ".\(getpid()).tmp"
        guard FileManager.default.createFile(atPath: tmp, contents: data, attributes: [.posixPermissions: 0o600]) else { return }
        if rename(tmp, file) != 0 { unlink(tmp) }
    }

    /// Forgets every recorded self-test.
    public func clear() { unlink(file) }
}

/// 64-bit FNV-1a: a change detector for the cache key, not a security boundary (the cache is root's).
struct FNV64 {
    var value: UInt64 = 0xcbf29ce484222325
    mutating func add(_ data: Data) {
        for b in data { value = (value ^ UInt64(b)) &* 0x100000001b3 }
        add(separator: ())
    }
    mutating func add(_ text: String) { add(Data(text.utf8)) }
    private mutating func add(separator: Void) { value = (value ^ 0xff) &* 0x100000001b3 }
}

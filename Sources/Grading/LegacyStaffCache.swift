// LegacyStaffCache: the staff run's results, kept per handler so that the course's jail need not run
// answer.py again for every submission (docs/legacy-graders.md, "The staff-result cache"). The course
// side still loads the grader, checks, compares and renders for every submission: only the staff run is
// skipped, and only when its inputs are byte for byte the same.
import Foundation

/// One handler's cache (a Grader and its per-slot copies share it; another handler has its own).
final class LegacyStaffCache: @unchecked Sendable {
    /// Everything a staff run's results depend on. `seed` is nil for a run the course side proved
    /// seed-free (grader_support/seedwatch.py): such an entry serves every seed.
    struct Key: Hashable {
        var graderName: String
        var grader: Data
        var answer: Data
        /// The package's files (name, size, modification time) and the handler's Python and limits.
        var support: String
        var settings: String
        var lang: String
        var seed: Int?
    }

    /// A record larger than this is not kept (a staff run printing megabytes is not worth memory).
    static let maxRecordBytes = 1 << 20
    /// Entries kept; the oldest goes first (a course has few problems per queue).
    let capacity: Int
    private var entries: [Key: Data] = [:]
    private var order: [Key] = []
    private let lock = NSLock()

    init(capacity: Int = 256) { self.capacity = capacity }

    /// The record for these inputs: a seed-free entry, else one made with this very seed.
    func lookup(_ key: Key, seed: Int) -> (record: Data, seedFree: Bool)? {
        lock.lock()
        defer { lock.unlock() }
        var k = key
        k.seed = nil
        if let r = entries[k] { return (r, true) }
        k.seed = seed
        return entries[k].map { ($0, false) }
    }

    /// Keeps a staff run's record, under the seed-free key if the course side proved it so.
    func store(_ key: Key, seed: Int, record: Data, seedFree: Bool) {
        guard record.count <= Self.maxRecordBytes else { return }
        var k = key
        k.seed = seedFree ? nil : seed
        lock.lock()
        defer { lock.unlock() }
        if entries.updateValue(record, forKey: k) == nil { order.append(k) }
        while order.count > capacity { entries.removeValue(forKey: order.removeFirst()) }
    }

    var count: Int { lock.lock(); defer { lock.unlock() }; return entries.count }

    /// The course line's `staff_run`: the text of `{"answer_code", "results", "seed_free"}`. Untrusted
    /// (course code runs in that process), but it only ever goes back into the same problem's course
    /// jail, which holds that course code anyway; checked here only for shape.
    static func parse(_ text: String) -> (record: Data, seedFree: Bool)? {
        let data = Data(text.utf8)
        guard data.count <= maxRecordBytes,
              let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              object["answer_code"] is String, object["results"] is [Any],
              let seedFree = object["seed_free"] as? Bool else { return nil }
        return (data, seedFree)
    }

    /// The package's version for the key: each source file's name, size and modification time.
    static func supportVersion(_ directory: String) -> String {
        let dir = directory + "/grader_support"
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".py") }.sorted()
        return names.map { name -> String in
            var st = stat()
            guard stat(dir + "/" + name, &st) == 0 else { return name + ":?" }
            return "\(name):\(st.st_size):\(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)"
        }.joined(separator: ",")
    }
}

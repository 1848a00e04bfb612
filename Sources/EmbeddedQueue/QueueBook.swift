// QueueBook: the queues' state and rules, apart from HTTP and from time (the caller passes `now`): oldest
// first, a new key on every pull, a pulled but unanswered submission served again after the delay, a reply
// accepted only with the current key, the first reply kept (docs/embedded-queue.md, "What each endpoint answers").
import Foundation

struct QueueBook {
    /// A submission and what the wire needs to serve it.
    struct Entry {
        var record: SubmissionRecord
        let studentResponse: String
        let graderPayload: String
        /// `student_info` as sent: already a JSON text.
        let studentInfo: String
        /// The learner's file names and the ids their bytes are stored under, in upload order.
        let files: [(name: String, fileID: String)]
        /// The key of the latest pull; nil until the first.
        var key: String?
        var lastPulledAt: ContinuousClock.Instant?
    }

    /// A stored upload. Like edx-submissions' storage, it keeps no name: the name travels as the key of `xqueue_files`.
    struct StoredFile {
        let queue: String
        let data: Data
    }

    /// What a pull hands out.
    struct Served {
        let id: Int
        let key: String
        let entry: Entry
    }

    /// How a `put_result` with a readable header and body ended.
    enum PutOutcome: Equatable {
        /// The first result for the submission: stored.
        case stored
        /// The current key, but the submission was already answered: counted, the first result kept.
        case duplicate
        /// Not the key of the latest pull.
        case staleKey
        /// No such submission.
        case unknownSubmission
    }

    let redeliveryDelay: Duration
    /// Entries by id - 1 (ids are 1, 2, 3… in enqueue order).
    private(set) var entries: [Entry] = []
    /// Per queue, the ids not known to be answered, oldest first (answered ones are dropped from the front lazily).
    private var waiting: [String: [Int]] = [:]
    private(set) var files: [String: StoredFile] = [:]
    var counters = QueueCounters()

    init(redeliveryDelay: Duration) {
        self.redeliveryDelay = redeliveryDelay
    }

    /// Adds a submission; `makeFileID` names each stored upload.
    mutating func enqueue(queue: String, studentResponse: String, graderPayload: String, studentInfo: (Int) -> String,
                          files uploads: [(name: String, data: Data)], makeFileID: () -> String,
                          now: ContinuousClock.Instant) -> Int {
        let id = entries.count + 1
        var stored: [(name: String, fileID: String)] = []
        for upload in uploads {
            let fileID = makeFileID()
            files[fileID] = StoredFile(queue: queue, data: upload.data)
            stored.append((name: upload.name, fileID: fileID))
        }
        entries.append(Entry(record: SubmissionRecord(id: id, queue: queue, enqueuedAt: now),
                             studentResponse: studentResponse, graderPayload: graderPayload,
                             studentInfo: studentInfo(id), files: stored))
        waiting[queue, default: []].append(id)
        counters.enqueued += 1
        return id
    }

    /// The oldest submission of `queue` that is unanswered and not out with a grader (never pulled, or pulled at
    /// least `redeliveryDelay` ago), now under the new `key`; nil when there is none.
    mutating func pull(queue: String, key: String, now: ContinuousClock.Instant) -> Served? {
        dropAnsweredFromFront(of: queue)
        guard let id = waiting[queue]?.first(where: { isServable(entries[$0 - 1], now: now) }) else {
            counters.emptyPulls += 1
            return nil
        }
        let index = id - 1
        if entries[index].record.pulls > 0 { counters.redeliveries += 1 }
        entries[index].key = key
        entries[index].lastPulledAt = now
        entries[index].record.pulls += 1
        if entries[index].record.firstPulledAt == nil { entries[index].record.firstPulledAt = now }
        counters.pulls += 1
        return Served(id: id, key: key, entry: entries[index])
    }

    /// Takes a reply for submission `id` pulled with `key`.
    mutating func put(id: Int, key: String, result: PostedResult, now: ContinuousClock.Instant) -> PutOutcome {
        guard id >= 1, id <= entries.count else {
            counters.rejectedPuts += 1
            return .unknownSubmission
        }
        let index = id - 1
        guard let current = entries[index].key, current == key else {
            counters.stalePuts += 1
            return .staleKey
        }
        if entries[index].record.result != nil {
            entries[index].record.duplicateReplies += 1
            counters.duplicatePuts += 1
            return .duplicate
        }
        entries[index].record.result = result
        entries[index].record.repliedAt = now
        counters.puts += 1
        return .stored
    }

    /// The submissions of `queue` a pull could serve now (unanswered, not out with a grader).
    func length(queue: String, now: ContinuousClock.Instant) -> Int {
        (waiting[queue] ?? []).reduce(0) { $0 + (isServable(entries[$1 - 1], now: now) ? 1 : 0) }
    }

    /// How many submissions have a stored result.
    var answered: Int { counters.puts }

    private func isServable(_ entry: Entry, now: ContinuousClock.Instant) -> Bool {
        guard entry.record.result == nil else { return false }
        guard let pulled = entry.lastPulledAt else { return true }
        return now - pulled >= redeliveryDelay
    }

    private mutating func dropAnsweredFromFront(of queue: String) {
        guard var ids = waiting[queue] else { return }
        let answered = ids.prefix { entries[$0 - 1].record.result != nil }.count
        guard answered > 0 else { return }
        ids.removeFirst(answered)
        waiting[queue] = ids
    }
}

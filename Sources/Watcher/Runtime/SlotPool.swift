// SlotPool: the one owner of grading concurrency. It holds the process's jail slots (each with its
// own uid, lock and cgroups, and a `polyjail serve` helper that keeps the next jail prepared), lends
// one per submission, and as a service starts the helpers at start-up and ends them at shutdown.
// Pollers take a slot before they pull, so the process never holds more submissions than it can grade.
import Logging
import Sandbox
import ServiceLifecycle

/// The grading slots of this process.
public actor SlotPool: Service {
    /// One lent slot: the jail bound to it.
    public struct Lease: Sendable {
        public let slot: Int
        public let jail: SlotJail
    }

    private let jail: PolyjailRunner
    private var free: [Int]
    private var waiters: [(id: UInt64, continuation: CheckedContinuation<Int, Error>)] = []
    private var nextWaiter: UInt64 = 0
    private let logger: Logger
    /// Called with the number of busy slots whenever it changes (the busy-slots gauge).
    private let onBusyChange: @Sendable (Int) -> Void

    public init(jail: PolyjailRunner, logger: Logger = Logger(label: "polygrader.slots"),
                onBusyChange: @escaping @Sendable (Int) -> Void = { _ in }) {
        self.jail = jail
        self.free = jail.instance.slotNumbers.reversed()
        self.logger = logger
        self.onBusyChange = onBusyChange
    }

    /// How many slots the pool has.
    public nonisolated var capacity: Int { jail.instance.slots }

    /// Slots lent out now.
    public var busy: Int { capacity - free.count }

    /// Waits for a free slot; cancelling the waiting task gives up the wait.
    public func acquire() async throws -> Lease {
        try Task.checkCancellation()
        if let slot = free.popLast() {
            onBusyChange(busy)
            return Lease(slot: slot, jail: jail.onSlot(slot))
        }
        nextWaiter += 1
        let id = nextWaiter
        let slot = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                waiters.append((id, continuation))
            }
        } onCancel: {
            Task { await self.cancelWait(id) }
        }
        return Lease(slot: slot, jail: jail.onSlot(slot))
    }

    /// A free slot now, or nil without waiting (push mode tries this before it waits with a deadline).
    public func tryAcquire() -> Lease? {
        guard waiters.isEmpty, let slot = free.popLast() else { return nil }
        onBusyChange(busy)
        return Lease(slot: slot, jail: jail.onSlot(slot))
    }

    /// Gives a slot back: to the first waiter, else to the free list.
    public func release(_ lease: Lease) {
        if !waiters.isEmpty {
            waiters.removeFirst().continuation.resume(returning: lease.slot)
            return
        }
        free.append(lease.slot)
        onBusyChange(busy)
    }

    private func cancelWait(_ id: UInt64) {
        guard let i = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: i).continuation.resume(throwing: CancellationError())
    }

    /// Starts every slot's helper (each prepares its first jail), then holds until shutdown and ends
    /// the helpers and their prepared jails. It is the last service to stop: gradings end first.
    public func run() async throws {
        // The start-up self-tests ran on helpers that took the first free slots (0–31) and stay idle,
        // each holding its slot's lock: end them first, or the helper of one of our own slots would wait
        // for that lock for ever.
        jail.drainHelpers()
        do { try jail.prewarm() } catch {
            logger.warning("could not start the slot helpers ahead of time; they start with the first run", metadata: ["error": "\(error)"])
        }
        logger.info("grading slots ready", metadata: ["slots": "\(capacity)", "first_slot": "\(jail.instance.firstSlot)",
                                                      "uid_base": "\(jail.instance.uidBase)"])
        try? await gracefulShutdown()
        jail.drainHelpers()
    }
}

// LegacySettings: legacy gradelib mode's toolchain and limits, set per JailedGrader handler by its
// CODEJAIL block (docs/watcher-config.md, "`CODEJAIL`") and turned into the limits of the two jailed runs
// (docs/legacy-graders.md).
import Foundation
import Languages
import Sandbox

/// The Python and limits of legacy runs, and where our grader_support package lives.
public struct LegacySettings: Sendable {
    /// `CODEJAIL.bin_path` (or `python_bin`); Debian's python3 by default, because replies embed
    /// tracebacks and other Python versions format them differently (docs/reference/gradelib.md, "The flow in
    /// polygrader").
    public var python: String
    /// `CODEJAIL.limits` mapped onto our names: CPU → cpu, REALTIME → wall, VMEM → memory,
    /// FSIZE → file_size, NPROC → processes. Keys left out take codejail's defaults (`runLimits`).
    public var limits: LimitLayer
    /// The directory holding `grader_support/` (bound read-only into every legacy run).
    public var supportDirectory: String
    /// The memory limit when no VMEM is set; nil: the Python profile's run memory.
    public var profileMemory: UInt64?
    /// Whether the host compares and renders itself when the cached staff run allows it
    /// (docs/legacy-graders.md, "The host's own comparison"); off, the course's jail runs for every
    /// submission (conformance tests and benchmarks compare the two).
    public var hostCompare = true

    public init(python: String = "/usr/bin/python3", limits: LimitLayer = LimitLayer(),
                supportDirectory: String = ResourcePaths.dataDirectory("support/python")) {
        self.python = python; self.limits = limits; self.supportDirectory = supportDirectory
    }

    /// The sandbox profile of legacy runs.
    static let sandbox = "interpreter"
    /// The learner jail's stdout cap: outputs are cut at 5000 characters only later, course-side.
    static let learnerOutput: UInt64 = 8 << 20
    /// The course jail's stdout cap (the reply's JSON line).
    static let courseOutput: UInt64 = 16 << 20
    /// The jail's own file-size limit: room for the `submission.py` the entry point writes before it
    /// lowers RLIMIT_FSIZE to the handler's FSIZE (the box's size).
    static let stagingFileSize: UInt64 = 64 << 20

    /// The learner run's limits: the handler's, else codejail's defaults (CPU 1 s, 15 processes), a wall
    /// of 3 × CPU (codejail's 1 s real time is fragile on a loaded host), and never unlimited memory:
    /// without VMEM the Python profile's run memory applies as a cgroup limit (docs/reference/gradelib.md, "The flow in
    /// polygrader").
    func runLimits(profileMemory: UInt64) -> (limits: Limits, addressSpace: UInt64?, fileSize: UInt64) {
        let cpu = limits.cpu ?? 1
        var layer = LimitLayer(cpu: cpu, wall: limits.wall ?? 3 * cpu, memory: limits.memory ?? profileMemory,
                               processes: limits.processes ?? 15, fileSize: Self.stagingFileSize, output: Self.learnerOutput)
        layer.stack = .bytes(8 << 20)
        // VMEM is codejail's RLIMIT_AS: an allocation fails with MemoryError, as in the reference.
        return (StepLimits.resolve(defaults: .runDefaults, step: LimitLayer(), overlay: layer), limits.memory, limits.fileSize ?? 0)
    }

    /// The course run does the staff run plus what the reference does unlimited in its own process:
    /// twice the learner run's CPU and wall time, a larger stdout cap.
    func courseLimits(profileMemory: UInt64) -> (limits: Limits, addressSpace: UInt64?, fileSize: UInt64) {
        let run = runLimits(profileMemory: profileMemory)
        var l = run.limits
        l.cpu *= 2
        l.wall *= 2
        l.output = Self.courseOutput
        return (l, run.addressSpace, run.fileSize)
    }
}

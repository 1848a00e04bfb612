// Limits: one vocabulary for every layer (docs/reference/sandbox-profiles.md, "Limits"), with codejail's names as
// aliases.

/// A partial set of limits: one layer (language step, problem, test, command-line flags).
public struct LimitLayer: Sendable, Equatable {
    public var cpu: Double?
    public var wall: Double?
    public var wallFactor: Double?
    public var memory: UInt64?
    public var processes: Int?
    public var fileSize: UInt64?
    public var disk: UInt64?
    public var output: UInt64?
    public var stderr: UInt64?
    public var openFiles: Int?
    public var stack: StackLimit?

    public init(cpu: Double? = nil, wall: Double? = nil, wallFactor: Double? = nil, memory: UInt64? = nil,
                processes: Int? = nil, fileSize: UInt64? = nil, disk: UInt64? = nil, output: UInt64? = nil,
                stderr: UInt64? = nil, openFiles: Int? = nil, stack: StackLimit? = nil) {
        self.cpu = cpu; self.wall = wall; self.wallFactor = wallFactor; self.memory = memory
        self.processes = processes; self.fileSize = fileSize; self.disk = disk; self.output = output
        self.stderr = stderr; self.openFiles = openFiles; self.stack = stack
    }

    /// The keys of a limits map, canonical and codejail aliases.
    public static let keys = ["cpu", "wall", "wall_factor", "memory", "processes", "file_size", "disk", "output",
                              "stderr", "open_files", "stack", "CPU", "REALTIME", "VMEM", "NPROC", "FSIZE"]

    /// Reads a limits map; `extraKeys` are allowed and left to the caller (e.g. `per_language`).
    public static func read(_ value: YValue, extraKeys: [String] = []) -> (LimitLayer, YMapping?) {
        var layer = LimitLayer()
        guard let m = value.mapping(keys: keys + extraKeys) else { return (layer, nil) }
        let aliases = [("cpu", "CPU"), ("wall", "REALTIME"), ("memory", "VMEM"), ("processes", "NPROC"), ("file_size", "FSIZE")]
        for (canonical, alias) in aliases where m.has(canonical) && m.has(alias) {
            m[alias]?.report("\(alias) and \(canonical) are the same limit; give one", hint: "remove \(alias)")
        }
        layer.cpu = m["cpu"]?.duration() ?? m["CPU"]?.number()
        layer.wall = m["wall"]?.duration() ?? m["REALTIME"]?.number()
        layer.wallFactor = m["wall_factor"]?.number()
        if let f = layer.wallFactor, f < 1 { m["wall_factor"]?.report("must be at least 1"); layer.wallFactor = nil }
        if let v = m["VMEM"] { layer.memory = v.size(bareBytes: true).flatMap { $0 == 0 ? nil : $0 } }
        if let v = m["memory"] { layer.memory = v.size() }
        layer.processes = m["processes"]?.int(min: 1) ?? m["NPROC"]?.int(min: 1)
        layer.fileSize = m["file_size"]?.size() ?? m["FSIZE"]?.size(bareBytes: true)
        layer.disk = m["disk"]?.size()
        layer.output = m["output"]?.size()
        layer.stderr = m["stderr"]?.size()
        layer.openFiles = m["open_files"]?.int(min: 4)
        if let s = m["stack"] {
            if s.node.string == "memory" { layer.stack = .memory } else if let b = s.size() { layer.stack = .bytes(b) }
        }
        return (layer, m)
    }

    /// This layer with `other`'s set keys on top.
    public func overlaid(by other: LimitLayer) -> LimitLayer {
        LimitLayer(cpu: other.cpu ?? cpu, wall: other.wall ?? wall, wallFactor: other.wallFactor ?? wallFactor,
                   memory: other.memory ?? memory, processes: other.processes ?? processes,
                   fileSize: other.fileSize ?? fileSize, disk: other.disk ?? disk, output: other.output ?? output,
                   stderr: other.stderr ?? stderr, openFiles: other.openFiles ?? openFiles, stack: other.stack ?? stack)
    }

    /// Checks every set key against a ceiling; returns "key: value is above NAME (ceiling)" lines.
    public func violations(of ceiling: LimitLayer, ceilingName: String) -> [(key: String, message: String)] {
        var out: [(String, String)] = []
        func check<T: Comparable>(_ key: String, _ v: T?, _ c: T?, _ show: (T) -> String) {
            if let v, let c, v > c { out.append((key, "\(show(v)) is above \(ceilingName) (\(show(c)))")) }
        }
        check("cpu", cpu, ceiling.cpu, Units.format(seconds:))
        check("wall", wall, ceiling.wall, Units.format(seconds:))
        check("memory", memory, ceiling.memory, Units.format(bytes:))
        check("processes", processes, ceiling.processes, String.init)
        check("file_size", fileSize, ceiling.fileSize, Units.format(bytes:))
        check("disk", disk, ceiling.disk, Units.format(bytes:))
        check("output", output, ceiling.output, Units.format(bytes:))
        check("stderr", stderr, ceiling.stderr, Units.format(bytes:))
        check("open_files", openFiles, ceiling.openFiles, String.init)
        return out
    }

    /// Built-in hard ceilings (docs/reference/sandbox-profiles.md, "Limits").
    public static let hardCeiling = LimitLayer(cpu: 120, wall: 600, memory: 8 << 30, processes: 1024, fileSize: 2 << 30,
                                               disk: 2 << 30, output: 64 << 20, stderr: 64 << 20, openFiles: 4096)
    /// Defaults of a run step.
    public static let runDefaults = LimitLayer(cpu: 2, wallFactor: 3, memory: 256 << 20, processes: 8, fileSize: 16 << 20,
                                               output: 1 << 20, stderr: 64 << 10, openFiles: 64, stack: .bytes(8 << 20))
    /// Defaults of a compile step.
    public static let compileDefaults = LimitLayer(cpu: 10, wallFactor: 3, memory: 1 << 30, processes: 64, fileSize: 128 << 20,
                                                   output: 64 << 10, stderr: 64 << 10, openFiles: 256, stack: .bytes(8 << 20))
}

/// `stack`: a size, or the memory limit.
public enum StackLimit: Sendable, Equatable {
    case bytes(UInt64)
    case memory
}

/// Fully resolved limits of one run.
public struct Limits: Sendable, Equatable {
    public var cpu: Double
    public var wall: Double
    public var memory: UInt64
    public var processes: Int
    public var fileSize: UInt64
    public var disk: UInt64?
    public var output: UInt64
    public var stderr: UInt64
    public var openFiles: Int
    public var stack: UInt64

    /// Resolves a layer (on top of `defaults`): a missing wall is cpu × wall_factor.
    public init(_ layer: LimitLayer, defaults: LimitLayer = LimitLayer.runDefaults) {
        let l = defaults.overlaid(by: layer)
        cpu = l.cpu ?? 2
        wall = l.wall ?? cpu * (l.wallFactor ?? 3)
        memory = l.memory ?? 256 << 20
        processes = l.processes ?? 8
        fileSize = l.fileSize ?? 16 << 20
        disk = l.disk
        output = l.output ?? 1 << 20
        stderr = l.stderr ?? 64 << 10
        openFiles = l.openFiles ?? 64
        switch l.stack ?? .bytes(8 << 20) {
        case .bytes(let b): stack = b
        case .memory: stack = memory
        }
    }
}

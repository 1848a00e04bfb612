// WarmCompile: a profile's `compile.service` (docs/java-compile-service.md). The compilation goes to a
// long-lived compiler JVM running in the compile step's own sandbox and limits (a JailStream on a slot of
// its own); the sources travel as bytes, the class files come back as bytes and are written where the cold
// `javac -d DIR` would have left them. Only a compilation that is clean (no diagnostic at all) is taken;
// anything else, and any anomaly, returns nil and the caller compiles cold, so verdicts and compiler
// messages are exactly the cold path's.
import Foundation
import Logging
import Sandbox

enum WarmCompile {
    static let magic: UInt32 = 0x504a_4353 // "PJCS", support/java/CompileService.java
    private static let log = Logger(label: "polygrader.compile-service")

    /// The service is off when `POLYGRADER_COMPILE_SERVICE=off` (benchmarks compare both paths).
    static var enabled: Bool { ProcessInfo.processInfo.environment["POLYGRADER_COMPILE_SERVICE"] != "off" }

    /// What the cold command means for the service: the JVM flags (`-J…`), the compiler options, the
    /// output directory (`-d DIR`). nil when the command has something the service does not reproduce
    /// (an argument file, no `-d`).
    struct Plan: Equatable {
        var jvmFlags: [String] = []
        var options: [String] = []
        var outputDirectory = ""
    }

    /// Options about annotation processing or compiler plugins: the service always runs `-proc:none`, so
    /// a command that asks for processing (or names a processor that does not exist, a CE) is compiled cold.
    static func processingOption(_ a: String) -> Bool {
        a == "-s" || a.hasPrefix("-A") || ["-processor", "--processor", "-proc:", "-Xplugin", "--plugin"].contains { a.hasPrefix($0) }
    }

    static func plan(argv: [String], sourceArguments: Set<String>) -> Plan? {
        var p = Plan()
        var i = 1
        while i < argv.count {
            let a = argv[i]
            if a.hasPrefix("-J") { p.jvmFlags.append(String(a.dropFirst(2))) }
            else if a == "-d", i + 1 < argv.count { p.outputDirectory = argv[i + 1]; i += 1 }
            else if sourceArguments.contains(a) {}
            else if a.hasPrefix("@") || Self.processingOption(a) { return nil }
            else { p.options.append(a) }
            i += 1
        }
        return p.outputDirectory.isEmpty || !isSafeRelativePath(p.outputDirectory) ? nil : p
    }

    /// Compiles warm into `outDir` (the build's artifact directory); nil: compile cold.
    static func attempt(jail: any StreamingJail, lang: ResolvedLanguage, service: LanguageProfile.CompileService, argv: [String],
                        sources: [SourceFile], sourcePaths: [String], request: RunRequest, artifacts: [String], outDir: String) async -> RunResult? {
        guard enabled else { return nil }
        // The cold javac's class path is the box: warm matches it only when the box holds nothing but
        // the sources it compiles (no .class or jar of the learner's or the author's beside them).
        let compiled = Set(sourcePaths)
        guard !sources.isEmpty, sources.allSatisfy({ compiled.contains($0.path) }),
              let plan = plan(argv: argv, sourceArguments: Set(sourcePaths.map { "./" + $0 })),
              artifacts.contains(plan.outputDirectory),
              let runtime = lang.tools[service.runtime]?.exec, let javac = argv.first else { return nil }
        let classes: String
        do { classes = try await ServiceClasses.directory(javac: javac) } catch {
            log.warning("compile service unavailable, compiling cold: \(error)")
            return nil
        }
        let limits = request.limits
        var serviceRequest = RunRequest(argv: [runtime] + plan.jvmFlags + ["-cp", classes, "CompileService", String(service.recycleAfter)],
                                        environment: request.environment, profile: request.profile, limits: limits)
        // The service lives for up to recycle_after compilations: CPU for all of them, a wall of 15 minutes.
        serviceRequest.limits.cpu = min(limits.cpu * Double(service.recycleAfter), 900)
        serviceRequest.limits.wall = 900
        serviceRequest.extraBinds = request.extraBinds + [.init(path: classes, optional: false)]
        serviceRequest.addressSpace = request.addressSpace
        serviceRequest.memoryOverhead = request.memoryOverhead
        serviceRequest.slot = request.slot
        serviceRequest.uidBase = request.uidBase
        let key = ([lang.profile.name, request.profile.name, classes] + serviceRequest.argv + serviceRequest.environment.sorted { $0.key < $1.key }.map { "\($0)=\($1)" }
                   + serviceRequest.extraBinds.map(\.path) + ["\(limits.memory)", "\(limits.processes)", "\(limits.fileSize)"]).joined(separator: "\u{0}")
        let stream: JailStream
        do { stream = try jail.borrowStream(key: key, request: serviceRequest) } catch {
            log.warning("compile service could not start, compiling cold: \(error)")
            return nil
        }
        let body = encode(options: plan.options, sources: sources.filter { compiled.contains($0.path) })
        let started = Date()
        let reply: Reply
        do {
            // The compile step's own wall limit bounds one compilation; the first also starts the JVM.
            reply = try await stream.exchange(timeout: min(limits.wall, limits.cpu * 2)) { io in
                try io.write(body)
                return try Reply.read(io, maxBytes: Int(min(limits.fileSize, 64 << 20)))
            }
        } catch {
            stream.stop()
            log.info("compile service stopped (\(error)); compiling cold")
            return nil
        }
        stream.uses += 1
        if stream.uses >= service.recycleAfter { stream.stop() } else { jail.returnStream(stream) }
        guard reply.clean, !reply.classes.isEmpty else { return nil }
        do {
            for (path, data) in reply.classes {
                let full = outDir + "/" + plan.outputDirectory + "/" + path
                try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                guard FileManager.default.createFile(atPath: full, contents: data, attributes: [.posixPermissions: 0o644]) else {
                    throw LanguageError.jailFailed(step: "compile", detail: "cannot write \(full)")
                }
            }
        } catch {
            // A half-written artifact must not survive into the cold build's directory.
            try? FileManager.default.removeItem(atPath: outDir + "/" + plan.outputDirectory)
            log.warning("compile service reply not written (\(error)); compiling cold")
            return nil
        }
        return RunResult(succeededWith: reply.cpuSeconds, wallS: Date().timeIntervalSince(started), isolation: jail.level.rawValue,
                         slot: request.slot ?? -1)
    }

    /// The request: magic, options, then (path, bytes) per source (support/java/CompileService.java).
    static func encode(options: [String], sources: [SourceFile]) -> [UInt8] {
        var out: [UInt8] = []
        func int(_ v: Int) { out += withUnsafeBytes(of: UInt32(truncatingIfNeeded: v).bigEndian, Array.init) }
        func bytes(_ b: [UInt8]) { int(b.count); out += b }
        int(Int(magic))
        int(options.count)
        for o in options { bytes(Array(o.utf8)) }
        int(sources.count)
        for s in sources { bytes(Array(s.path.utf8)); bytes(Array(s.data)) }
        return out
    }

    /// The service's answer. Everything in it is checked: a reply that breaks a rule is an anomaly.
    struct Reply: Sendable {
        var clean: Bool
        var cpuSeconds: Double
        var classes: [(String, Data)]

        static func read(_ io: StreamIO, maxBytes: Int) throws -> Reply {
            func int() throws -> Int { Int(try io.read(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }) }
            guard try int() == Int(magic) else { throw SandboxError.streamFailed("bad reply magic") }
            let status = try int()
            guard status == 0 || status == 1 else { throw SandboxError.streamFailed("bad reply status \(status)") }
            let cpuNanos = try io.read(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let n = try int()
            guard n <= 4096, status == 0 || n == 0 else { throw SandboxError.streamFailed("bad class count \(n)") }
            var budget = maxBytes
            var classes: [(String, Data)] = []
            var seen = Set<String>()
            for _ in 0..<n {
                let pathLength = try int()
                guard pathLength > 0, pathLength < 1024 else { throw SandboxError.streamFailed("bad path length") }
                let path = String(decoding: try io.read(pathLength), as: UTF8.self)
                // A class file path, below the output directory, each given once.
                guard isSafeRelativePath(path), path.hasSuffix(".class"), seen.insert(path).inserted else {
                    throw SandboxError.streamFailed("bad class path \(path.prefix(100))")
                }
                let size = try int()
                budget -= size
                guard size > 0, budget >= 0 else { throw SandboxError.streamFailed("class files larger than \(maxBytes) bytes") }
                classes.append((path, Data(try io.read(size))))
            }
            return Reply(clean: status == 0, cpuSeconds: Double(cpuNanos) / 1e9, classes: classes)
        }
    }
}

/// The service's own classes, compiled once per javac and source into the cache directory
/// (`$POLYGRADER_CACHE_DIR/compile-service/HASH`, else /var/cache/polygrader for root): our code, built on
/// the host like any of polygrader's files, bound read-only into the service's jail.
enum ServiceClasses {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var built: [String: String] = [:]

    static func directory(javac: String) async throws -> String {
        let source = ResourcePaths.dataDirectory("support") + "/java/CompileService.java"
        guard let text = FileManager.default.contents(atPath: source) else {
            throw LanguageError.jailFailed(step: "compile service", detail: "missing \(source)")
        }
        var h = FNV64()
        h.add(text)
        h.add(javac)
        h.add(ToolchainResolver.realpath(javac))
        let env = ProcessInfo.processInfo.environment
        let cache = env["POLYGRADER_CACHE_DIR"]
            ?? (getuid() == 0 ? "/var/cache/polygrader" : (NSHomeDirectory() as NSString).appendingPathComponent(".cache/polygrader"))
        let dir = cache + "/compile-service/" + String(h.value, radix: 16)
        if lock.withLock({ built[dir] != nil }) { return dir }
        let fm = FileManager.default
        if !fm.fileExists(atPath: dir + "/CompileService.class") {
            let tmp = dir + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            try fm.createDirectory(atPath: tmp, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
            defer { try? fm.removeItem(atPath: tmp) }
            let r = try await HostCommand.run([javac, "-d", tmp, "-proc:none", "-nowarn", source], environment: ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"],
                                              timeout: 120)
            guard r.status == 0, fm.fileExists(atPath: tmp + "/CompileService.class") else {
                throw LanguageError.jailFailed(step: "compile service", detail: "javac \(source): \(r.stderrText.prefix(500))")
            }
            // Readable by the slot uids inside the jail (the classes are ours, not secret).
            for name in try fm.contentsOfDirectory(atPath: tmp) { try fm.setAttributes([.posixPermissions: 0o644], ofItemAtPath: tmp + "/" + name) }
            if rename(tmp, dir) != 0 && !fm.fileExists(atPath: dir + "/CompileService.class") {
                throw LanguageError.jailFailed(step: "compile service", detail: "rename to \(dir): \(String(cString: strerror(errno)))")
            }
        }
        lock.withLock { built[dir] = dir }
        return dir
    }
}

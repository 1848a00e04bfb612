// RunArchive: the run JVM's class-data-sharing archive (`run.class_data_sharing`,
// docs/java-compile-service.md "The run JVM"). The JDK classes a typical course program loads
// (support/java/CdsSample.java, our code, run on the host) are dumped once per JDK into a read-only archive
// that every run JVM maps instead of parsing and verifying those classes again: about a fifth of a small
// program's start-up. The archive is checked before use (a JVM started with it must run the sample cleanly)
// and put in place atomically, because a damaged archive crashes the JVM that maps it.
import Foundation
import Logging
import Sandbox

enum RunArchive {
    private static let lock = NSLock()
    /// Archive path (nil: could not be built, not tried again in this process) by cache key.
    nonisolated(unsafe) private static var known: [String: String?] = [:]
    private static let log = Logger(label: "polygrader.cds")

    /// The archive for runs of `java` with the run command's JVM flags, building it on first use; nil when
    /// it cannot be built (the run then goes without it).
    static func path(java: String, javac: String, runArgv: [String]) async -> String? {
        // `POLYGRADER_CLASS_DATA_SHARING=off`: runs without the archive (benchmarks compare both).
        if ProcessInfo.processInfo.environment["POLYGRADER_CLASS_DATA_SHARING"] == "off" { return nil }
        // The flags the archive must agree with (the collector), and those a validation run should use.
        let flags = runArgv.dropFirst().filter { $0.hasPrefix("-XX:") && !$0.contains("=/") && !$0.contains("{") }
        let sample = ResourcePaths.dataDirectory("support") + "/java/CdsSample.java"
        guard let text = FileManager.default.contents(atPath: sample) else { return nil }
        let real = ToolchainResolver.realpath(java)
        let home = ((real as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
        var h = FNV64()
        h.add(text)
        h.add(real)
        // A JDK upgrade changes these files: the archive is made again under a new name.
        for f in [home + "/lib/modules", home + "/lib/server/libjvm.so"] {
            let a = try? FileManager.default.attributesOfItem(atPath: f)
            h.add("\(f) \((a?[.size] as? NSNumber)?.int64Value ?? -1) \((a?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)")
        }
        for f in flags { h.add(f) }
        let env = ProcessInfo.processInfo.environment
        let cache = env["POLYGRADER_CACHE_DIR"]
            ?? (getuid() == 0 ? "/var/cache/polygrader" : (NSHomeDirectory() as NSString).appendingPathComponent(".cache/polygrader"))
        let dir = cache + "/java-cds/" + String(h.value, radix: 16)
        if let k = lock.withLock({ known[dir] }) { return k }
        let archive = dir + "/run.jsa"
        var result: String?
        if FileManager.default.fileExists(atPath: archive) { result = archive } else {
            do { try await build(dir: dir, java: java, javac: javac, sample: sample, flags: Array(flags)); result = archive } catch {
                log.warning("no class-data-sharing archive for the run JVM: \(error)")
            }
        }
        lock.withLock { known[dir] = .some(result) }
        return result
    }

    private static func build(dir: String, java: String, javac: String, sample: String, flags: [String]) async throws {
        let fm = FileManager.default
        let tmp = dir + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try fm.createDirectory(atPath: tmp, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        defer { try? fm.removeItem(atPath: tmp) }
        let env = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]
        func step(_ argv: [String]) async throws {
            let r = try await HostCommand.run(argv, environment: env, timeout: 120)
            guard r.status == 0, r.stderr.isEmpty || argv.contains("-Xshare:dump") else {
                throw LanguageError.jailFailed(step: "class-data-sharing archive", detail: "\(argv.joined(separator: " ")): \(r.stderrText.prefix(300))")
            }
        }
        try await step([javac, "-d", tmp, "-proc:none", "-nowarn", sample])
        try await step([java] + flags + ["-XX:DumpLoadedClassList=\(tmp)/all.classlist", "-cp", tmp, "CdsSample"])
        // JDK classes only: the learner's classes differ every time, and the sample's own have no place in it.
        let list = (try String(contentsOfFile: tmp + "/all.classlist", encoding: .utf8)).split(separator: "\n").filter { !$0.contains("CdsSample") }
        try (list.joined(separator: "\n") + "\n").write(toFile: tmp + "/jdk.classlist", atomically: false, encoding: .utf8)
        try await step([java, "-Xshare:dump", "-XX:SharedClassListFile=\(tmp)/jdk.classlist", "-XX:SharedArchiveFile=\(tmp)/run.jsa"] + flags)
        // -Xshare:on fails at start when the archive cannot be mapped: a bad archive never reaches a run.
        try await step([java, "-Xshare:on", "-XX:SharedArchiveFile=\(tmp)/run.jsa"] + flags + ["-cp", tmp, "CdsSample"])
        for name in try fm.contentsOfDirectory(atPath: tmp) where name.hasSuffix(".class") || name.hasSuffix(".classlist") {
            try fm.removeItem(atPath: tmp + "/" + name)
        }
        try fm.setAttributes([.posixPermissions: 0o444], ofItemAtPath: tmp + "/run.jsa")
        if rename(tmp, dir) != 0 && !fm.fileExists(atPath: dir + "/run.jsa") {
            throw LanguageError.jailFailed(step: "class-data-sharing archive", detail: "rename to \(dir): \(String(cString: strerror(errno)))")
        }
    }
}

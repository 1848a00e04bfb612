// ResourcePaths: where polyjail, sandboxes/ and languages/ are found (docs/reference/common.md, "Directories").
import Foundation

/// Locates the helper binary and the data directories shipped with polygrader.
public enum ResourcePaths {
    /// The directory of the running executable (the test bundle in tests).
    public static var executableDirectory: String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return (exe as NSString).deletingLastPathComponent
    }

    /// polyjail: `$POLYJAIL`, beside the executable, or `../libexec/polygrader/polyjail`.
    public static func helper() throws -> String {
        var candidates: [String] = []
        if let env = ProcessInfo.processInfo.environment["POLYJAIL"] { candidates.append(env) }
        let dir = executableDirectory
        candidates.append(dir + "/polyjail")
        candidates.append((dir as NSString).appendingPathComponent("../libexec/polygrader/polyjail"))
        for c in candidates where FileManager.default.isExecutableFile(atPath: c) { return c }
        throw SandboxError.helperNotFound(searched: candidates)
    }

    /// A data directory (`sandboxes`, `languages`): explicit, `./NAME`, the checkout the binary was
    /// built in (`.build/<config>/` → `../../NAME`), or `PREFIX/share/polygrader/NAME`.
    public static func dataDirectory(_ name: String, explicit: String? = nil) -> String {
        if let explicit { return explicit }
        let fm = FileManager.default
        let cwd = fm.currentDirectoryPath + "/" + name
        if fm.fileExists(atPath: cwd) { return cwd }
        let dir = executableDirectory
        for rel in ["../../\(name)", "../../../\(name)", "../share/polygrader/\(name)"] {
            let p = ((dir as NSString).appendingPathComponent(rel) as NSString).standardizingPath
            if fm.fileExists(atPath: p) { return p }
        }
        return cwd
    }
}

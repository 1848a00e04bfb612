// HandlerConfiguration: one entry of a queue's `HANDLERS`: which grading it asks for (`HANDLER`), the course
// directory (`KWARGS.grader_root`), and the `CODEJAIL` block that sets legacy mode's Python and limits for this
// handler only (xqueue-watcher sets them process-wide). docs/watcher-config.md.
import Foundation
import Grading
import Sandbox

/// A grading handler of a queue.
public struct HandlerConfiguration: Sendable, Equatable {
    /// What grades a submission.
    public enum Kind: Sendable, Equatable {
        /// `xqueue_watcher.jailedgrader.JailedGrader`: the mode comes from the problem on disk; legacy gradelib
        /// problems run in our Python jail with this handler's `CODEJAIL` Python and limits.
        case jailed
        /// `xqueue_watcher.grader.Grader`, `polygrader`, `polygrader.Grader`: multi-language grading, which also
        /// grades legacy problems when it meets them.
        case multiLanguage
    }

    /// The kind of grading.
    public var kind: Kind
    /// `HANDLER` as written.
    public var name: String
    /// `KWARGS.grader_root`: the course directory, made absolute against the current directory.
    public var graderRoot: String
    /// The other `KWARGS`, kept as given (polygrader uses none of them today).
    public var options: [ConfigEntry]
    /// The `CODEJAIL` block, if any.
    public var codejail: CodejailSettings?

    /// The legacy-mode settings of this handler: `CODEJAIL.bin_path` as the Python (Debian's python3 without
    /// one) and its limits; keys left out take codejail's defaults inside `LegacySettings`.
    public func legacySettings() -> LegacySettings {
        guard let codejail else { return LegacySettings() }
        var settings = LegacySettings(limits: codejail.limits)
        if let python = codejail.python { settings.python = python }
        return settings
    }

    static let handlerNames: [String: Kind] = [
        "xqueue_watcher.jailedgrader.JailedGrader": .jailed,
        "xqueue_watcher.grader.Grader": .multiLanguage,
        "polygrader": .multiLanguage,
        "polygrader.Grader": .multiLanguage,
    ]
    static let containerGrader = "xqueue_watcher.containergrader.ContainerGrader"
    /// KWARGS xqueue-watcher's graders take; accepted without a warning, used by nobody.
    static let knownOptions = ["fork_per_item", "logger_name", "codejail_python"]

    /// Reads one handler. `warnedUser` makes the `CODEJAIL.user` warning appear once per configuration.
    static func read(_ node: ConfigNode, environment: ConfigEnvironment, warnedUser: inout Bool,
                     warnings: inout [ConfigWarning]) throws -> HandlerConfiguration {
        let o = try node.object()
        let handler = try o.required("HANDLER")
        let name = try handler.string()
        guard let kind = handlerNames[name] else {
            if name == containerGrader { throw ConfigError.unsupportedHandler(handler.location, name: name) }
            throw ConfigError.unknownHandler(handler.location, name: name)
        }
        let kwargsNode = o.optional("KWARGS")
        let kwargs = try kwargsNode?.object() ?? ConfigObject(entries: [], location: o.location.child("KWARGS"))
        let rootNode = try kwargs.required("grader_root")
        let root = try rootNode.nonEmptyString()
        let graderRoot = root.hasPrefix("/") ? root
            : URL(fileURLWithPath: root, relativeTo: URL(fileURLWithPath: environment.currentDirectory, isDirectory: true)).standardizedFileURL.path
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: graderRoot, isDirectory: &isDirectory) || !isDirectory.boolValue {
            warnings.append(ConfigWarning(rootNode.location, "\(graderRoot) is not a directory: until it is, every submission "
                                          + "to this queue is answered with a \"not set up for automatic grading\" error"))
        }
        kwargs.ignore(knownOptions)
        kwargs.warnUnknown(&warnings, what: "unknown option, ignored")
        var options: [ConfigEntry] = []
        if case .object(let entries)? = kwargsNode?.value { options = entries.filter { $0.key != "grader_root" } }
        let codejail = try o.optional("CODEJAIL").map { try CodejailSettings.read($0, warnedUser: &warnedUser, warnings: &warnings) }
        o.warnUnknown(&warnings)
        return HandlerConfiguration(kind: kind, name: name, graderRoot: graderRoot, options: options, codejail: codejail)
    }
}

/// A handler's `CODEJAIL` block.
public struct CodejailSettings: Sendable, Equatable {
    /// `name`: codejail's name for the jail; kept for logs only.
    public var name: String?
    /// `bin_path` (or `python_bin`): the Python of legacy runs; nil: Debian's python3.
    public var python: String?
    /// `limits` in our names: CPU → cpu, REALTIME → wall, VMEM → memory, FSIZE → fileSize, NPROC → processes.
    public var limits = LimitLayer()

    static let limitKeys = ["CPU", "REALTIME", "VMEM", "FSIZE", "NPROC", "PROXY"]

    static func read(_ node: ConfigNode, warnedUser: inout Bool, warnings: inout [ConfigWarning]) throws -> CodejailSettings {
        let o = try node.object()
        var s = CodejailSettings()
        s.name = try o.optional("name")?.string()
        let bin = o.optional("bin_path"), pythonBin = o.optional("python_bin")
        if bin != nil, pythonBin != nil {
            warnings.append(ConfigWarning(o.location.child("python_bin"), "bin_path is also given and wins; ignored"))
        }
        s.python = try (bin ?? pythonBin)?.nonEmptyString()
        if s.python == nil {
            warnings.append(ConfigWarning(o.location.child("bin_path"), "missing: legacy problems of this handler run with "
                                          + LegacySettings().python))
        }
        if let python = s.python, !FileManager.default.isExecutableFile(atPath: python) {
            warnings.append(ConfigWarning((bin ?? pythonBin)!.location, "\(python) is not an executable file: "
                                          + "legacy problems of this handler fail until it is"))
        }
        if let user = o.optional("user"), !warnedUser {
            warnedUser = true
            warnings.append(ConfigWarning(user.location, "ignored: every run gets its own slot uid (uid_base + slot)"))
        }
        o.ignore(["user", "lang"])
        if let limits = o.optional("limits") { s.limits = try readLimits(limits, warnings: &warnings) }
        o.warnUnknown(&warnings)
        return s
    }

    /// codejail's limits. 0 means "no limit" to codejail for CPU, REALTIME and VMEM: time limits then take
    /// polygrader's ceiling (a run is never unlimited), VMEM none (the Python profile's memory applies).
    /// FSIZE 0 means no file may be written, as in codejail.
    static func readLimits(_ node: ConfigNode, warnings: inout [ConfigWarning]) throws -> LimitLayer {
        let o = try node.object()
        var layer = LimitLayer()
        let ceiling = LimitLayer.hardCeiling
        func seconds(_ key: String, _ max: Double) throws -> Double? {
            guard let v = o.optional(key) else { return nil }
            let s = try v.number()
            if s > max { throw v.fail("\(ConfigNode.show(s)) s is above polygrader's ceiling (\(ConfigNode.show(max)) s)") }
            if s == 0 {
                warnings.append(ConfigWarning(v.location, "0 means no limit to codejail; polygrader uses its ceiling, \(ConfigNode.show(max)) s"))
                return max
            }
            return s
        }
        func bytes(_ key: String, _ max: UInt64) throws -> UInt64? {
            guard let v = o.optional(key) else { return nil }
            let b = UInt64(try v.integer(min: 0))
            if b > max { throw v.fail("\(b) bytes is above polygrader's ceiling (\(Units.format(bytes: max)))") }
            return b
        }
        layer.cpu = try seconds("CPU", ceiling.cpu!)
        layer.wall = try seconds("REALTIME", ceiling.wall!)
        layer.memory = try bytes("VMEM", ceiling.memory!).flatMap { $0 == 0 ? nil : $0 }
        layer.fileSize = try bytes("FSIZE", ceiling.fileSize!)
        if let v = o.optional("NPROC") {
            let n = try v.integer(min: 1)
            if n > ceiling.processes! { throw v.fail("\(n) is above polygrader's ceiling (\(ceiling.processes!))") }
            layer.processes = n
        }
        if let v = o.optional("PROXY") {
            warnings.append(ConfigWarning(v.location, "ignored: runs have no network, so no proxy"))
        }
        o.warnUnknown(&warnings, what: "unknown limit, ignored (known: \(limitKeys.joined(separator: ", ")))")
        return layer
    }
}

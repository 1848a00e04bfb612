// Config trees written to a temporary directory, loaded with a fixed environment (3 cores, cwd /srv).
import Foundation
import Testing
@testable import Watcher

/// A temporary config directory (or YAML file) that removes itself.
final class ConfigTree {
    let root: String

    /// Writes `files` (relative path → text) below a fresh directory.
    init(_ files: [String: String]) throws {
        root = NSTemporaryDirectory() + "polygrader-config-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        for (name, text) in files {
            let path = root + "/" + name
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    static let environment = ConfigEnvironment(processorCount: 3, currentDirectory: "/srv")

    /// Loads the directory, or `file` below it.
    func load(_ file: String? = nil) throws -> WatcherConfiguration {
        try WatcherConfiguration.load(path: file.map { root + "/" + $0 } ?? root, environment: Self.environment)
    }

    /// The text of the error loading throws (the test fails when it does not throw).
    func error(_ file: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        do {
            _ = try load(file)
            Issue.record("the configuration loaded", sourceLocation: sourceLocation)
            return nil
        } catch let error as ConfigError {
            return error.description.replacingOccurrences(of: root + "/", with: "")
        } catch {
            Issue.record("not a ConfigError: \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }
}

/// A conf.d queue with one multi-language handler on an existing directory, plus `extra` JSON members.
func queueJSON(_ name: String = "q", extra: String = "", handler: String = "polygrader") -> String {
    """
    {"\(name)": {\(extra)\(extra.isEmpty ? "" : ", ")"HANDLERS": [{"HANDLER": "\(handler)", "KWARGS": {"grader_root": "/tmp"}}]}}
    """
}

extension WatcherConfiguration {
    /// The warnings as text, for exact comparisons.
    var warningTexts: [String] { warnings.map(\.description) }
}

extension ConfigTree {
    /// A configuration's warnings as text, with this tree's directory taken out of YAML file names.
    func warnings(_ config: WatcherConfiguration) -> [String] {
        config.warnings.map { $0.description.replacingOccurrences(of: root + "/", with: "") }
    }
}

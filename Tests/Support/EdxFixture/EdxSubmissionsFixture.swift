// EdxSubmissionsFixture: drives Tests/Fixtures/edx-submissions/edx_fixture.py, a real edx-submissions 4.x
// server in a temporary Django project (its README says how it works and which variables it reads).
import Foundation

public final class EdxSubmissionsFixture: @unchecked Sendable {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Fixtures/edx-submissions/edx_fixture.py").standardized.path
    /// The course directory of Tests/Fixtures (the watcher's tests point handlers at it).
    public static let fixturesDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Fixtures").standardized.path
    public static let username = "grader"
    public static let password = "grader-password"

    public let directory: URL
    public let server: Process
    public let port: Int
    /// The edx-submissions version installed.
    public let version: String

    public var url: URL { URL(string: "http://127.0.0.1:\(port)")! }

    private init(directory: URL, server: Process, port: Int, version: String) {
        self.directory = directory
        self.server = server
        self.port = port
        self.version = version
    }

    /// Sets up the project and starts the server. Throws `EdxFixtureUnavailable` only when no virtualenv can
    /// be made here (no python3, or a python3 without venv/ensurepip: the test then skips); any other failure
    /// is a test failure.
    public static func start() throws -> EdxSubmissionsFixture {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("edx-submissions-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        do {
            return try start(in: directory)
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
    }

    private static func start(in directory: URL) throws -> EdxSubmissionsFixture {
        let env = ProcessInfo.processInfo.environment
        let venv = env["POLYGRADER_EDX_VENV"]
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("polygrader-edx-submissions-4-venv").path
        let setup = try run(["setup", directory.path, "--venv", venv])
        switch setup.status {
        case 0: break
        case 3, 127:
            throw EdxFixtureUnavailable("edx-submissions integration test skipped: no Python virtualenv can be created on this machine "
                          + "(install python3 with its venv module, e.g. Debian's python3-venv). \(setup.stderr)")
        default:
            throw FixtureError("edx_fixture.py setup failed (exit \(setup.status)):\n\(setup.stderr)")
        }
        let version = (json(setup.stdout)?["edx_submissions"] as? String) ?? "?"

        let server = try process(["serve", directory.path], log: directory.appendingPathComponent("serve.log"))
        try server.run()
        let portFile = directory.appendingPathComponent("port")
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, server.isRunning {
            if let text = try? String(contentsOf: portFile, encoding: .utf8), let port = Int(text) {
                return EdxSubmissionsFixture(directory: directory, server: server, port: port, version: version)
            }
            usleep(50_000)
        }
        if server.isRunning { server.terminate() }
        server.waitUntilExit()
        let log = (try? String(contentsOf: directory.appendingPathComponent("serve.log"), encoding: .utf8)) ?? ""
        throw FixtureError("the edx-submissions server did not start:\n\(log)")
    }

    /// Creates a submission waiting in `queue`; returns its id.
    public func submit(queue: String, answer: String, points: Int, grader: String, files: [String: String] = [:]) throws -> Int {
        var arguments = ["submit", directory.path, "--queue", queue, "--answer", answer, "--points", String(points), "--grader", grader]
        for (name, content) in files.sorted(by: { $0.key < $1.key }) {
            let path = directory.appendingPathComponent("upload-\(name)")
            try Data(content.utf8).write(to: path)
            arguments += ["--file", "\(name)=\(path.path)"]
        }
        let result = try Self.run(arguments)
        guard result.status == 0, let id = Self.json(result.stdout)?["submission_id"] as? Int else {
            throw FixtureError("submit failed: \(result.stderr)")
        }
        return id
    }

    /// Deletes every session on the server, as if the grader's login had expired.
    public func expireSessions() throws {
        let result = try Self.run(["expire-sessions", directory.path])
        guard result.status == 0 else { throw FixtureError("expire-sessions failed: \(result.stderr)") }
    }

    /// What the server stored for a submission: status, points_earned, points_possible, grader_reply.
    public func score(_ id: Int) throws -> [String: Any] {
        let result = try Self.run(["score", directory.path, String(id)])
        guard result.status == 0, let object = Self.json(result.stdout) else { throw FixtureError("score failed: \(result.stderr)") }
        return object
    }

    /// Stops the server: SIGTERM, then SIGKILL if it is still there after 10 s.
    public func stop() {
        if server.isRunning { server.terminate() }
        let deadline = Date().addingTimeInterval(10)
        while server.isRunning, Date() < deadline { usleep(20_000) }
        if server.isRunning { kill(server.processIdentifier, SIGKILL) }
        server.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }

    private static func process(_ arguments: [String], log: URL? = nil) throws -> Process {
        let process = Process()
        let python = ProcessInfo.processInfo.environment["POLYGRADER_PYTHON"] ?? "python3"
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, script] + arguments
        process.standardInput = FileHandle.nullDevice
        if let log {
            FileManager.default.createFile(atPath: log.path, contents: nil)
            let handle = try FileHandle(forWritingTo: log)
            process.standardOutput = handle
            process.standardError = handle
        }
        return process
    }

    private static func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = try process(arguments)
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes while the process runs: pip's output can fill a pipe buffer.
        let errorData = ErrorCollector(err.fileHandleForReading)
        let output = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self), errorData.text())
    }

    private static func json(_ text: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    }
}

/// Reads a pipe to its end on a background thread.
private final class ErrorCollector: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var data = Data()

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func text() -> String {
        done.wait()
        return String(decoding: data, as: UTF8.self)
    }
}

/// No virtualenv can be made on this machine: tests that need the server skip, saying why.
public struct EdxFixtureUnavailable: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

public struct FixtureError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

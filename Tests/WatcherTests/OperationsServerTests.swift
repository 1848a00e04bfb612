// The operations endpoints over real HTTP on 127.0.0.1 (port 0): status codes and bodies, readiness with its
// reasons, the Prometheus exposition, the languages listing, and a clean graceful shutdown.
import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import Prometheus
import Sandbox
import ServiceLifecycle
import Testing
@testable import Watcher

@Suite("Operations endpoints")
struct OperationsServerTests {
    @Test("/healthz answers 200 ok while the process runs")
    func healthz() async throws {
        try await withOperationsServer(status: WatcherStatus()) { port, _ async throws in
            let (code, body, contentType) = try await get(port, "/healthz")
            #expect(code == 200)
            #expect(body == "ok\n")
            #expect(contentType == "text/plain; charset=utf-8")
        }
    }

    @Test("/readyz is 503 with one reason per unmet condition until the watcher can grade")
    func readyzNotReady() async throws {
        let status = WatcherStatus(queues: ["q-b", "q-a"])
        await status.queueLoginFailed("q-b", error: "login refused (HTTP 403)")
        await status.setLanguages([.pending(name: "c", file: "c.yml"), .pending(name: "python", file: "python.yml")])
        try await withOperationsServer(status: status) { port, _ async throws in
            let (code, body, contentType) = try await get(port, "/readyz")
            #expect(code == 503)
            #expect(contentType == "application/json")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
            #expect(json["ready"] as? Bool == false)
            #expect(json["reasons"] as? [String] == [
                "queue q-a is not logged in",
                "queue q-b is not logged in (last error: login refused (HTTP 403))",
                "no language has passed its self-test yet (2 pending)",
                "the isolation level has not been probed yet",
            ])
            let queues = try #require(json["queues"] as? [String: [String: Any]])
            #expect(queues["q-b"]?["logged_in"] as? Bool == false)
            #expect(queues["q-b"]?["last_error"] as? String == "login refused (HTTP 403)")
            #expect(queues["q-b"]?["failing_since"] is String)
            #expect((json["languages"] as? [String: [String]])?["pending"] == ["c", "python"])
        }
    }

    @Test("/readyz is 200 when every queue is logged in, one language passed and the isolation level is met")
    func readyzReady() async throws {
        let status = WatcherStatus(queues: ["q1", "q2"])
        await status.queueLoggedIn("q1")
        await status.queueLoggedIn("q2")
        await status.setLanguages([ok("python"), failed("java", "self-test-failed", "javac: not found")])
        await status.setIsolation(required: .noCgroup, available: .full)
        try await withOperationsServer(status: status) { port, _ async throws in
            let (code, body, _) = try await get(port, "/readyz")
            #expect(code == 200)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
            #expect(json["ready"] as? Bool == true)
            #expect(json["reasons"] as? [String] == [])
            #expect(json["shutting_down"] as? Bool == false)
            #expect(json["isolation"] as? [String: String] == ["required": "no-cgroup", "available": "full"])
            #expect(json["languages"] as? [String: [String]] == ["ok": ["python"], "pending": [], "failed": ["java"]])
        }
    }

    @Test("/readyz turns 503 when the isolation level is below the required one, or on shutdown")
    func readyzIsolationAndShutdown() async throws {
        let status = WatcherStatus(queues: ["q1"])
        await status.queueLoggedIn("q1")
        await status.setLanguages([ok("c")])
        await status.setIsolation(required: .full, available: .noCgroup)
        try await withOperationsServer(status: status) { port, _ async throws in
            var (code, body, _) = try await get(port, "/readyz")
            #expect(code == 503)
            #expect(try reasons(body) == ["this host gives isolation level \"no-cgroup\" but \"full\" is required"])

            await status.setIsolation(required: nil, available: .minimal)
            (code, _, _) = try await get(port, "/readyz")
            #expect(code == 200)

            await status.beginShutdown()
            (code, body, _) = try await get(port, "/readyz")
            #expect(code == 503)
            #expect(try reasons(body) == ["shutting down"])
        }
    }

    @Test("/readyz says why when every language failed its self-test, or none is installed")
    func readyzLanguagesFailed() async throws {
        let status = WatcherStatus()
        await status.setIsolation(required: nil, available: .full)
        try await withOperationsServer(status: status) { port, _ async throws in
            #expect(try reasons(try await get(port, "/readyz").body) == ["no language is installed"])
            await status.setLanguages([failed("c", "toolchain-missing", "gcc not found")])
            #expect(try reasons(try await get(port, "/readyz").body) == ["no language passed its self-test (1 failed)"])
        }
    }

    @Test("/metrics exports the watcher's metrics with their exact names and labels")
    func metrics() async throws {
        try await withOperationsServer(status: WatcherStatus()) { port, registry in
            let metrics = WatcherMetrics(factory: WatcherMetrics.prometheusFactory(registry: registry))
            metrics.graded(queue: "q1", language: "python", verdict: "AC", duration: .milliseconds(300))
            metrics.graded(queue: "q1", language: "python", verdict: "AC", duration: .milliseconds(700))
            metrics.graded(queue: "q1", language: "c", verdict: "WA", duration: .seconds(2))
            metrics.compiled(language: "c", duration: .milliseconds(40))
            metrics.ran(language: "c", duration: .milliseconds(8))
            metrics.xqueueError(queue: "q1", operation: .getSubmission)
            metrics.xqueueError(queue: "q1", operation: .putResult)
            metrics.xqueueError(queue: "q1", operation: .putResult)
            metrics.replied(queue: "q1", kind: .grade)
            metrics.replied(queue: "q1", kind: .learnerError)
            metrics.replied(queue: "q1", kind: .internalError)
            metrics.queueLength(queue: "q1", 7)
            metrics.queueSucceeded(queue: "q1", at: Date(timeIntervalSince1970: 1_800_000_000))
            metrics.slotsConfigured(4)
            metrics.slotsBusy(3)
            metrics.languageReady("python", true)
            metrics.languageReady("java", false)

            let (code, body, contentType) = try await get(port, "/metrics")
            #expect(code == 200)
            #expect(contentType == "text/plain; version=0.0.4; charset=utf-8")
            let lines = Set(body.split(separator: "\n").map(String.init))
            let expected = [
                #"polygrader_submissions_total{queue="q1",language="python",verdict="AC"} 2"#,
                #"polygrader_submissions_total{queue="q1",language="c",verdict="WA"} 1"#,
                #"polygrader_grading_duration_seconds_bucket{queue="q1",language="python",le="0.25"} 0"#,
                #"polygrader_grading_duration_seconds_bucket{queue="q1",language="python",le="0.5"} 1"#,
                #"polygrader_grading_duration_seconds_bucket{queue="q1",language="python",le="1.0"} 2"#,
                #"polygrader_grading_duration_seconds_bucket{queue="q1",language="python",le="60.0"} 2"#,
                #"polygrader_grading_duration_seconds_count{queue="q1",language="python"} 2"#,
                #"polygrader_grading_duration_seconds_sum{queue="q1",language="python"} 1.0"#,
                #"polygrader_compile_duration_seconds_bucket{language="c",le="0.05"} 1"#,
                #"polygrader_compile_duration_seconds_bucket{language="c",le="0.025"} 0"#,
                #"polygrader_run_duration_seconds_bucket{language="c",le="0.005"} 0"#,
                #"polygrader_run_duration_seconds_bucket{language="c",le="0.01"} 1"#,
                #"polygrader_xqueue_errors_total{queue="q1",operation="get_submission"} 1"#,
                #"polygrader_xqueue_errors_total{queue="q1",operation="put_result"} 2"#,
                #"polygrader_replies_total{queue="q1",kind="grade"} 1"#,
                #"polygrader_replies_total{queue="q1",kind="learner_error"} 1"#,
                #"polygrader_replies_total{queue="q1",kind="internal_error"} 1"#,
                #"polygrader_queue_length{queue="q1"} 7.0"#,
                #"polygrader_last_success_timestamp_seconds{queue="q1"} 1800000000.0"#,
                #"polygrader_slots 4.0"#,
                #"polygrader_busy_slots 3.0"#,
                #"polygrader_language_ready{language="python"} 1.0"#,
                #"polygrader_language_ready{language="java"} 0.0"#,
                "# TYPE polygrader_submissions_total counter",
                "# TYPE polygrader_grading_duration_seconds histogram",
                "# TYPE polygrader_busy_slots gauge",
            ]
            for line in expected { #expect(lines.contains(line), "missing: \(line)\n\(body)") }
        }
    }

    @Test("at start every queue's error and reply counters exist at 0, and the slot gauges are set")
    func startedSeries() async throws {
        try await withOperationsServer(status: WatcherStatus()) { port, registry async throws in
            WatcherMetrics(factory: WatcherMetrics.prometheusFactory(registry: registry)).started(queues: ["q1"], slots: 2)
            let lines = Set(try await get(port, "/metrics").body.split(separator: "\n").map(String.init))
            for operation in ["login", "get_submission", "put_result", "get_queuelen", "download"] {
                #expect(lines.contains(#"polygrader_xqueue_errors_total{queue="q1",operation="\#(operation)"} 0"#))
            }
            for kind in ["grade", "learner_error", "internal_error"] {
                #expect(lines.contains(#"polygrader_replies_total{queue="q1",kind="\#(kind)"} 0"#))
            }
            #expect(lines.contains("polygrader_slots 2.0"))
            #expect(lines.contains("polygrader_busy_slots 0.0"))
        }
    }

    @Test("/languages lists every language in the shape of `polygrader languages --json`")
    func languages() async throws {
        let status = WatcherStatus()
        await status.setIsolation(required: nil, available: .noCgroup)
        var python = ok("python")
        python.aliases = ["py", "python3"]
        python.extensions = [".py"]
        python.frameworks = ["pytest": "ok"]
        await status.setLanguages([python, .pending(name: "java", file: "/l/java.yml"),
                                   failed("c", "toolchain-missing", "gcc: not found")])
        try await withOperationsServer(status: status) { port, _ async throws in
            let (code, body, contentType) = try await get(port, "/languages")
            #expect(code == 200)
            #expect(contentType == "application/json")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
            #expect(json["isolation"] as? String == "no-cgroup")
            let list = try #require(json["languages"] as? [[String: Any]])
            #expect(list.map { $0["name"] as? String } == ["c", "java", "python"])
            #expect(list.map { $0["status"] as? String } == ["toolchain-missing", "pending", "ok"])
            #expect(Set(list[2].keys) == ["name", "display_name", "aliases", "extensions", "version", "enabled",
                                          "status", "file", "frameworks"])
            #expect(list[2]["version"] as? String == "3.12.1")
            #expect(list[2]["enabled"] as? Bool == true)
            #expect(list[2]["aliases"] as? [String] == ["py", "python3"])
            #expect(list[2]["frameworks"] as? [String: String] == ["pytest": "ok"])
            #expect(list[0]["reason"] as? String == "gcc: not found")
            #expect(list[0]["enabled"] as? Bool == false)
        }
    }

    @Test("an unknown path is 404")
    func unknownPath() async throws {
        try await withOperationsServer(status: WatcherStatus()) { port, _ async throws in
            #expect(try await get(port, "/nope").code == 404)
        }
    }

    @Test("graceful shutdown of the ServiceGroup stops the server and frees its port", .timeLimit(.minutes(1)))
    func gracefulShutdown() async throws {
        let port = try await withOperationsServer(status: WatcherStatus()) { port, _ async throws -> Int in
            #expect(try await get(port, "/healthz").code == 200)
            return port
        }
        // The group's run() has returned (the helper waited for it): nothing listens on the port any more.
        #expect(connectErrno(port: port) == ECONNREFUSED)
    }

    @Test("addresses: HOST:PORT, [IPV6]:PORT and a bare PORT on 127.0.0.1; anything else is refused")
    func addresses() throws {
        #expect(try OperationsServer.parseAddress("127.0.0.1:9464") == ("127.0.0.1", 9464))
        #expect(try OperationsServer.parseAddress("0.0.0.0:0") == ("0.0.0.0", 0))
        #expect(try OperationsServer.parseAddress("[::1]:9464") == ("::1", 9464))
        #expect(try OperationsServer.parseAddress("9464") == ("127.0.0.1", 9464))
        for bad in ["", "host:", ":9464", "::1:9464", "h:70000", "h:-1", "[::1]9464", "h:port"] {
            #expect(throws: OperationsError.self, "\(bad)") { try OperationsServer.parseAddress(bad) }
        }
    }
}

// MARK: Helpers

func ok(_ name: String) -> LanguageReport {
    LanguageReport(name: name, display_name: name.capitalized, version: "3.12.1", enabled: true, status: "ok",
                   file: "/l/\(name).yml")
}

func failed(_ name: String, _ status: String, _ reason: String) -> LanguageReport {
    LanguageReport(name: name, display_name: name, enabled: false, status: status, reason: reason, file: "/l/\(name).yml")
}

func reasons(_ body: String) throws -> [String] {
    let json = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
    return json?["reasons"] as? [String] ?? ["<no reasons in \(body)>"]
}

/// GET http://127.0.0.1:PORT/PATH: status, body and content type.
func get(_ port: Int, _ path: String) async throws -> (code: Int, body: String, contentType: String?) {
    let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)"),
                                                       timeout: .seconds(10))
    let body = try await response.body.collect(upTo: 1 << 20)
    return (Int(response.status.code), String(buffer: body), response.headers.first(name: "Content-Type"))
}

let quietLogger: Logger = {
    var l = Logger(label: "polygrader.tests.operations")
    l.logLevel = .warning
    return l
}()

/// Runs an OperationsServer on 127.0.0.1:0 in a ServiceGroup, gives `body` its port and its registry, then
/// shuts the group down gracefully and waits until its run() has returned.
func withOperationsServer<R: Sendable>(status: WatcherStatus,
                                       _ body: (Int, PrometheusCollectorRegistry) async throws -> R) async throws -> R {
    let registry = PrometheusCollectorRegistry()
    return try await withServiceOnPort({ onRunning in
        try OperationsServer(address: "127.0.0.1:0", status: status, registry: registry, logger: quietLogger,
                             onServerRunning: onRunning)
    }) { port in try await body(port, registry) }
}

/// 0 when a TCP connection to 127.0.0.1:port succeeds, else connect(2)'s errno.
func connectErrno(port: Int) -> Int32 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return errno }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let rc = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    return rc == 0 ? 0 : errno
}

enum HarnessError: Error { case serviceEndedBeforeListening }

/// Runs one service that reports its bound port in a ServiceGroup; after `body`, graceful shutdown and wait.
func withServiceOnPort<S: Service, R: Sendable>(_ make: (@escaping @Sendable (Int) async -> Void) throws -> S,
                                                _ body: (Int) async throws -> R) async throws -> R {
    let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
    let service = try make { portSink.yield($0) }
    let group = ServiceGroup(services: [service], logger: quietLogger)
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask {
            defer { portSink.finish() }
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            try await tasks.waitForAll()
            throw HarnessError.serviceEndedBeforeListening
        }
        let result: Result<R, any Error>
        do { result = .success(try await body(port)) } catch { result = .failure(error) }
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
        return try result.get()
    }
}

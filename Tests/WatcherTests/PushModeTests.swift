// Push (passive) mode end to end: `Serve.run` on a real jail slot, requests POSTed over HTTP as XQueue
// pushes them, graded replies read from the responses. A typed Python answer (JSON with a header), a typed
// C answer (a form, as put_result-style fields), a legacy gradelib answer (classic XQueue's push shape:
// no header, no content type); then the refusals: no or wrong credential, too large, malformed, unknown queue.
// Runs as root (the jail). docs/push-mode.md.
import AsyncHTTPClient
import Foundation
import Grading
import Languages
import Sandbox
import ServiceLifecycle
import Testing
@testable import Watcher
import XQueue

@Suite(.serialized) struct PushModeTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized.path
    static var course: String { repository + "/examples/course" }
    static let secret = "s3cret-push-token"

    /// The engine of these tests (slot 44 alone) and a registry of `languages`; nil, with an issue recorded,
    /// when not root (the grading is in the real jail).
    static func engine(languages: Set<String>) async throws -> (GradingEngine, LanguageRegistry)? {
        guard geteuid() == 0 else {
            Issue.record("PushModeTests grade in the real jail: run them as root")
            return nil
        }
        let engine = try GradingEngine(EngineSettings(
            sandboxesDir: repository + "/sandboxes", languagesDir: repository + "/languages",
            minIsolation: .noCgroup, instance: JailInstance(firstSlot: 44, slots: 1), selfTestCache: nil))
        return (engine, await engine.registry(only: languages))
    }

    @Test func gradesPushedSubmissionsAndRefusesBadRequests() async throws {
        guard let (engine, registry) = try await Self.engine(languages: ["python", "c"]) else { return }
        let server = XQueueConfiguration(server: URL(string: "http://127.0.0.1:9")!)
        let plan = RuntimePlan(queues: [
            QueuePlan(name: "native", server: server, handlers: [HandlerPlan(graderRoot: Self.course)]),
            QueuePlan(name: "legacy", server: server, handlers: [HandlerPlan(graderRoot: Self.course)]),
        ])
        let settings = PushSettings(listen: "127.0.0.1:0", authentication: .sharedSecret(Self.secret), maxRequestBytes: 64 * 1024, slotWait: 30)
        let events = RecordingEvents()
        let port = PortBox()
        let stop = StopSignal()
        let service = Task {
            try await Serve.run(plan: plan, engine: engine, registry: registry, settings: settings, events: events,
                                shutdownSignals: [], onListening: { await port.set($0) }, until: { await stop.wait() })
        }
        defer { service.cancel() }
        let base = "http://127.0.0.1:\(try await port.get())"
        let http = HTTPClient(eventLoopGroupProvider: .singleton)

        func text(_ path: String) throws -> String { try String(contentsOfFile: Self.course + "/" + path, encoding: .utf8) }
        func post(_ path: String, body: Data, contentType: String?, secret: String? = Self.secret) async throws -> (Int, [String: Any], String?) {
            var request = HTTPClientRequest(url: base + path)
            request.method = .POST
            if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
            if let secret { request.headers.add(name: "X-Polygrader-Secret", value: secret) }
            request.body = .bytes(body)
            let response = try await http.execute(request, timeout: .seconds(120))
            let data = Data(buffer: try await response.body.collect(upTo: 1 << 20))
            let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
            return (Int(response.status.code), json, response.headers.first(name: "Retry-After"))
        }
        func json(_ object: [String: Any]) throws -> Data { try JSONSerialization.data(withJSONObject: object) }
        func body(_ answer: String, grader: String) throws -> String {
            String(decoding: try json(["student_info": #"{"anonymous_student_id": "abc"}"#, "student_response": answer,
                                       "grader_payload": "\n {\"grader\": \"\(grader)\"}\n"]), as: UTF8.self)
        }

        do {
            // A typed Python answer, every layer a JSON string as on the pull path: 8/8.
            let python = try json(["xqueue_header": #"{"submission_id": 71, "submission_key": "k71"}"#,
                                   "xqueue_body": try body(text("py-sum/submissions/accepted/sum.py"), grader: "py-sum"),
                                   "xqueue_files": "{}"])
            let (s1, r1, _) = try await post("/grade/native", body: python, contentType: "application/json")
            #expect(s1 == 200)
            #expect(r1["correct"] as? Bool == true)
            #expect(r1["score"] as? Double == 1.0)
            #expect((r1["msg"] as? String)?.hasPrefix("<div") == true)

            // A typed C answer as form fields: WA on the secret tests, 4 of 8 points (EXPECTED.yml: 0.5).
            var form = URLComponents()
            form.queryItems = [URLQueryItem(name: "xqueue_header", value: #"{"submission_id": 72, "submission_key": "k72"}"#),
                               URLQueryItem(name: "xqueue_body", value: try body(text("c-sum/submissions/wrong_answer/int_overflow.c"), grader: "c-sum"))]
            let encoded = form.percentEncodedQuery!.replacingOccurrences(of: "+", with: "%2B")
            let (s2, r2, _) = try await post("/grade/native", body: Data(encoded.utf8), contentType: "application/x-www-form-urlencoded")
            #expect(s2 == 200)
            #expect(r2["correct"] as? Bool == false)
            #expect(r2["score"] as? Double == 0.5)

            // Legacy gradelib, in classic XQueue's push shape: no header, no content type, a bare JSON text.
            let legacy = try json(["xqueue_body": try body(text("gradelib-squares/submissions/accepted/square.py"), grader: "gradelib-squares/grader.py"),
                                   "xqueue_files": "{}"])
            let (s3, r3, _) = try await post("/grade/legacy", body: legacy, contentType: nil)
            #expect(s3 == 200)
            #expect(r3["correct"] as? Bool == true)
            #expect(r3["score"] as? Double == 1.0)

            // Refusals: nothing is graded for any of them.
            let (s4, r4, _) = try await post("/grade/native", body: python, contentType: "application/json", secret: nil)
            #expect(s4 == 401)
            #expect(r4["error"] as? String == "authentication required")
            let (s5, _, _) = try await post("/grade/native", body: python, contentType: "application/json", secret: "wrong")
            #expect(s5 == 401)
            let (s6, r6, _) = try await post("/grade/native", body: Data(repeating: UInt8(ascii: "a"), count: 100 * 1024), contentType: "application/json")
            #expect(s6 == 413)
            #expect((r6["error"] as? String)?.contains("65536 bytes") == true)
            let (s7, r7, _) = try await post("/grade/native", body: Data(#"{"xqueue_body": "not json"}"#.utf8), contentType: "application/json")
            #expect(s7 == 400)
            #expect((r7["error"] as? String)?.contains("xqueue_body is not a JSON object") == true)
            let (s8, _, _) = try await post("/grade/native", body: Data("{not json".utf8), contentType: "application/json")
            #expect(s8 == 400)
            let (s9, r9, _) = try await post("/grade/nosuch", body: python, contentType: "application/json")
            #expect(s9 == 404)
            #expect((r9["error"] as? String)?.contains("nosuch") == true)
            // Two queues are configured: a request must name one.
            let (s10, _, _) = try await post("/grade", body: python, contentType: "application/json")
            #expect(s10 == 404)

            // The metrics saw the three graded submissions and nothing else.
            #expect(events.answered.map(\.queue) == ["native", "native", "legacy"])
            #expect(events.answered.map(\.kind) == [.grade, .grade, .grade])
        } catch {
            try? await http.shutdown()
            await stop.fire()
            throw error
        }
        try await http.shutdown()
        await stop.fire()
        try await service.value
    }

    /// With the only slot busy, a request is refused with 503 and Retry-After instead of grading without a slot.
    @Test func busySlotsAnswer503() async throws {
        guard let (engine, registry) = try await Self.engine(languages: ["python"]) else { return }
        let plan = RuntimePlan(queues: [QueuePlan(name: "native", server: XQueueConfiguration(server: URL(string: "http://127.0.0.1:9")!),
                                                  handlers: [HandlerPlan(graderRoot: Self.course)])])
        // slotWait 0: a request that finds no free slot is refused at once.
        let settings = PushSettings(listen: "127.0.0.1:0", authentication: .none, slotWait: 0)
        let events = RecordingEvents()
        let port = PortBox(), stop = StopSignal()
        let service = Task {
            try await Serve.run(plan: plan, engine: engine, registry: registry, settings: settings, events: events,
                                shutdownSignals: [], onListening: { await port.set($0) }, until: { await stop.wait() })
        }
        defer { service.cancel() }
        let base = "http://127.0.0.1:\(try await port.get())"
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        func request(_ file: String) throws -> HTTPClientRequest {
            let answer = try String(contentsOfFile: Self.course + "/py-sum/submissions/" + file, encoding: .utf8)
            let body = try JSONSerialization.data(withJSONObject: ["student_response": answer, "grader_payload": #"{"grader": "py-sum"}"#])
            var r = HTTPClientRequest(url: base + "/grade")
            r.method = .POST
            r.body = .bytes(try JSONSerialization.data(withJSONObject: ["xqueue_body": String(decoding: body, as: UTF8.self)]))
            return r
        }
        do {
            // A submission that spins until its CPU limit, on every test: it holds the only slot for seconds.
            let slow = Task { try await http.execute(try request("time_limit_exceeded/blank_line_loop.py"), timeout: .seconds(120)) }
            while events.busy != 1 { try await Task.sleep(for: .milliseconds(10)) }
            let refused = try await http.execute(try request("accepted/sum.py"), timeout: .seconds(120))
            #expect(refused.status.code == 503)
            #expect(refused.headers.first(name: "Retry-After") == "1")
            let graded = try await slow.value
            #expect(graded.status.code == 200)
            #expect(events.answered.map(\.verdict) == ["TLE"])
        } catch {
            try? await http.shutdown()
            await stop.fire()
            throw error
        }
        try await http.shutdown()
        await stop.fire()
        try await service.value
    }

    @Test func authenticationFileForms() throws {
        let dir = NSTemporaryDirectory() + "push-auth-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "xqueue:pass:word\n".write(toFile: dir + "/basic", atomically: true, encoding: .utf8)
        try "secret:abc\n".write(toFile: dir + "/secret", atomically: true, encoding: .utf8)
        try "nocolon\n".write(toFile: dir + "/bad", atomically: true, encoding: .utf8)
        #expect(try PushSettings.authentication(fromFile: dir + "/basic") == .basic(user: "xqueue", password: "pass:word"))
        #expect(try PushSettings.authentication(fromFile: dir + "/secret") == .sharedSecret("abc"))
        #expect(throws: PushError.self) { try PushSettings.authentication(fromFile: dir + "/bad") }
    }
}

/// The port the server bound, once it has.
actor PortBox {
    private var port: Int?
    private var waiters: [CheckedContinuation<Int, Never>] = []
    func set(_ value: Int) { port = value; for w in waiters { w.resume(returning: value) }; waiters = [] }
    func get() async -> Int {
        if let port { return port }
        return await withCheckedContinuation { waiters.append($0) }
    }
}

/// A one-shot signal that ends the service group gracefully.
actor StopSignal {
    private var fired = false
    private var waiters: [CheckedContinuation<Void, Never>] = []
    func fire() { fired = true; for w in waiters { w.resume() }; waiters = [] }
    func wait() async {
        if fired { return }
        await withCheckedContinuation { waiters.append($0) }
    }
}

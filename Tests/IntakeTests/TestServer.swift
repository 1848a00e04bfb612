// TestServer: a tiny Python HTTP server on 127.0.0.1 for download tests, started with posix_spawn
// (Swift never forks) and killed when the test ends. It counts requests per path in hits.json.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

final class TestServer: Sendable {
    let pid: pid_t
    let port: Int
    let directory: String

    /// Routes: /files/NAME, /sized?size=N (with Content-Length), /endless (chunked, never ends),
    /// /status?code=N, /flaky?fail=N (500 N times), /drop?fail=N (closes with no reply N times),
    /// /slowhead?delay=S, /slowbody?delay=S (10 bytes, a pause, then 90), /redirect?to=URL&code=N,
    /// /loop (redirects to itself), /chain?n=N (N redirects, then a body).
    static let script = #"""
    import http.server, json, os, sys, threading, time, urllib.parse
    hits, lock, directory = {}, threading.Lock(), sys.argv[1]

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        def log_message(self, *args): pass
        def reply(self, code, body):
            self.send_response(code)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        def redirect(self, code, location):
            self.send_response(code)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()
        def do_GET(self):
            url = urllib.parse.urlsplit(self.path)
            q = dict(urllib.parse.parse_qsl(url.query))
            with lock:
                hits[url.path] = n = hits.get(url.path, 0) + 1
                with open(os.path.join(directory, "hits.tmp"), "w") as f: json.dump(hits, f)
                os.replace(os.path.join(directory, "hits.tmp"), os.path.join(directory, "hits.json"))
            if url.path.startswith("/files/"):
                return self.reply(200, ("content of " + url.path[7:] + "\n").encode())
            if url.path == "/sized":
                return self.reply(200, b"x" * int(q["size"]))
            if url.path == "/endless":
                self.send_response(200)
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                chunk = b"y" * 65536
                while True:
                    self.wfile.write(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
            if url.path == "/redirect":
                return self.redirect(int(q.get("code", "302")), q["to"])
            if url.path == "/loop":
                return self.redirect(302, "/loop")
            if url.path == "/chain":
                n = int(q["n"])
                return self.redirect(302, "/chain?n=%d" % (n - 1)) if n > 0 else self.reply(200, b"end of chain\n")
            if url.path == "/status":
                return self.reply(int(q["code"]), b"error page")
            if url.path == "/flaky":
                return self.reply(500, b"busy") if n <= int(q["fail"]) else self.reply(200, b"recovered\n")
            if url.path == "/drop":
                if n <= int(q["fail"]):
                    self.close_connection = True
                    return
                return self.reply(200, b"after drop\n")
            if url.path == "/slowhead":
                time.sleep(float(q["delay"]))
                return self.reply(200, b"late\n")
            if url.path == "/slowbody":
                self.send_response(200)
                self.send_header("Content-Length", "100")
                self.end_headers()
                self.wfile.write(b"z" * 10)
                self.wfile.flush()
                time.sleep(float(q["delay"]))
                self.wfile.write(b"z" * 90)
                return
            self.reply(404, b"no route")

    class Server(http.server.ThreadingHTTPServer):
        daemon_threads = True
        def handle_error(self, request, client_address): pass

    server = Server(("127.0.0.1", 0), Handler)
    with open(os.path.join(directory, "port.tmp"), "w") as f: f.write(str(server.server_address[1]))
    os.replace(os.path.join(directory, "port.tmp"), os.path.join(directory, "port"))
    server.serve_forever()
    """#

    private init(pid: pid_t, port: Int, directory: String) {
        self.pid = pid
        self.port = port
        self.directory = directory
    }

    /// Starts the server and waits (up to 10 s) until it listens.
    static func start() throws -> TestServer {
        var template = Array((NSTemporaryDirectory() + "/intake-http-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw BuildError(description: "mkdtemp: \(errno)") }
        let directory = String(cString: made)
        let scriptPath = directory + "/server.py"
        try script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        let pid = try spawn(["/usr/bin/python3", scriptPath, directory], log: directory + "/server.log")
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if let text = try? String(contentsOfFile: directory + "/port", encoding: .utf8), let port = Int(text) {
                return TestServer(pid: pid, port: port, directory: directory)
            }
            usleep(20_000)
        }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        let log = (try? String(contentsOfFile: directory + "/server.log", encoding: .utf8)) ?? ""
        throw BuildError(description: "test server did not start: \(log)")
    }

    /// posix_spawn with stdin from /dev/null and stdout, stderr to `log`.
    static func spawn(_ argv: [String], log: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var cargs = argv.map { strdup($0) } + [nil]
        defer { cargs.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, argv[0], &actions, nil, &cargs, environ)
        guard rc == 0 else { throw BuildError(description: "posix_spawn \(argv[0]): \(String(cString: strerror(rc)))") }
        return pid
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Requests seen for `path`.
    func hits(_ path: String) -> Int {
        guard let data = FileManager.default.contents(atPath: directory + "/hits.json"),
              let counts = try? JSONSerialization.jsonObject(with: data) as? [String: Int] else { return 0 }
        return counts[path] ?? 0
    }

    /// Kills the server and removes its directory.
    func stop() {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        try? FileManager.default.removeItem(atPath: directory)
    }
}

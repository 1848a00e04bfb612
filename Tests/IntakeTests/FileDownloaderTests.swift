// Downloading xqueue_files against a real local HTTP server: caps while streaming, errors, retries, timeouts.
import Foundation
import Intake
import Logging
import Testing

@Suite("Downloading xqueue_files")
struct FileDownloaderTests {
    static func limits(_ change: (inout DownloadLimits) -> Void = { _ in }) -> DownloadLimits {
        var limits = DownloadLimits()
        limits.totalTimeout = 30  // generous: a loaded CI machine must not turn a size or retry test into a timeout
        change(&limits)
        return limits
    }

    /// The policy of these tests: the test server's host, and its loopback address named explicitly.
    static let serverPolicy = DownloadPolicy(hosts: ["127.0.0.1"], allowedAddresses: ["127.0.0.1"])

    /// Runs `body` with a fresh server, stopped however the test ends.
    static func withDownloader(_ limits: DownloadLimits = limits(), base: Bool = true, policy: DownloadPolicy = serverPolicy,
                               resolver: HostResolver = .system,
                               _ body: (FileDownloader, TestServer) async throws -> Void) async throws {
        let server = try TestServer.start()
        defer { server.stop() }
        let downloader = FileDownloader(baseURL: base ? URL(string: server.url("/")) : nil, policy: policy,
                                        limits: limits, logger: Logger(label: "intake-test"), resolver: resolver)
        try await body(downloader, server)
    }

    static func error(_ body: () async throws -> [SubmittedFile]) async -> IntakeError? {
        do {
            _ = try await body()
            return nil
        } catch {
            return error as? IntakeError
        }
    }

    @Test("files are downloaded with their names and exact bytes, sorted by name")
    func normal() async throws {
        try await Self.withDownloader { downloader, server in
            let files = try await downloader.download([(name: "b.c", url: server.url("/files/b.c")),
                                                       (name: "a.py", url: server.url("/files/a.py"))])
            #expect(files == [SubmittedFile(path: "a.py", data: Data("content of a.py\n".utf8)),
                              SubmittedFile(path: "b.c", data: Data("content of b.c\n".utf8))])
        }
    }

    @Test("a storage path and a bare key resolve against the files base URL")
    func relative() async throws {
        try await Self.withDownloader { downloader, server in
            let files = try await downloader.download([(name: "x.c", url: "/files/x.c"), (name: "y.c", url: "files/y.c")])
            #expect(files.map(\.data) == [Data("content of x.c\n".utf8), Data("content of y.c\n".utf8)])
            #expect(server.hits("/files/x.c") == 1 && server.hits("/files/y.c") == 1)
        }
    }

    @Test("a relative URL with no base URL is a bad URL, and nothing is requested")
    func relativeWithoutBase() async throws {
        try await Self.withDownloader(base: false) { downloader, _ in
            let error = await Self.error { try await downloader.download([(name: "x.c", url: "/files/x.c")]) }
            #expect(error == .fetchFailed(name: "x.c", url: "/files/x.c", reason: .badURL, attempts: 0))
        }
    }

    @Test("a body past the per-file cap is stopped while streaming, with no Content-Length to go by")
    func endlessBody() async throws {
        try await Self.withDownloader(Self.limits { $0.maxFileSize = 1 << 20 }) { downloader, server in
            let error = await Self.error { try await downloader.download([(name: "big.bin", url: server.url("/endless"))]) }
            // Without counting while streaming this would end in a timeout, not a size error.
            #expect(error == .fileTooLarge(name: "big.bin", limit: 1 << 20))
        }
    }

    @Test("a declared Content-Length past the cap is refused; exactly the cap is accepted")
    func declaredLength() async throws {
        try await Self.withDownloader(Self.limits { $0.maxFileSize = 1000 }) { downloader, server in
            let error = await Self.error { try await downloader.download([(name: "big.bin", url: server.url("/sized?size=1001"))]) }
            #expect(error == .fileTooLarge(name: "big.bin", limit: 1000))
            let files = try await downloader.download([(name: "ok.bin", url: server.url("/sized?size=1000"))])
            #expect(files.first?.data.count == 1000)
        }
    }

    @Test("files together past the total cap are refused")
    func totalCap() async throws {
        try await Self.withDownloader(Self.limits { $0.maxTotalSize = 1500 }) { downloader, server in
            let error = await Self.error {
                try await downloader.download([(name: "a", url: server.url("/sized?size=600")), (name: "b", url: server.url("/sized?size=600")),
                                               (name: "c", url: server.url("/sized?size=600"))])
            }
            #expect(error == .uploadsTooLarge(limit: 1500))
        }
    }

    @Test("a 404 is a clear error naming the file, not retried, with the URL only for staff")
    func notFound() async throws {
        try await Self.withDownloader { downloader, server in
            let error = try #require(await Self.error { try await downloader.download([(name: "x.c", url: server.url("/status?code=404"))]) })
            #expect(error == .fetchFailed(name: "x.c", url: server.url("/status") + "?…", reason: .status(404), attempts: 1))
            #expect(error.learnerMessage == "The file \"x.c\" could not be fetched from the course server. Please submit again.")
            #expect(error.description.contains("HTTP status 404") && error.description.contains(server.url("/status")))
            #expect(server.hits("/status") == 1)
        }
    }

    @Test("a 500 that recovers is retried and succeeds")
    func flakyRecovers() async throws {
        try await Self.withDownloader { downloader, server in
            let files = try await downloader.download([(name: "f.c", url: server.url("/flaky?fail=2"))])
            #expect(files.first?.data == Data("recovered\n".utf8))
            #expect(server.hits("/flaky") == 3)
        }
    }

    @Test("a 500 that persists fails after 1 + retries attempts")
    func flakyGivesUp() async throws {
        try await Self.withDownloader(Self.limits { $0.retries = 1 }) { downloader, server in
            let error = await Self.error { try await downloader.download([(name: "f.c", url: server.url("/flaky?fail=5"))]) }
            #expect(error == .fetchFailed(name: "f.c", url: server.url("/flaky") + "?…", reason: .status(500), attempts: 2))
            #expect(server.hits("/flaky") == 2)
        }
    }

    @Test("a connection closed without a reply is retried")
    func droppedConnection() async throws {
        try await Self.withDownloader { downloader, server in
            let files = try await downloader.download([(name: "d.c", url: server.url("/drop?fail=1"))])
            #expect(files.first?.data == Data("after drop\n".utf8))
            #expect(server.hits("/drop") == 2)
        }
    }

    @Test("a refused connection fails as a connection error after connectTimeout, then the retries")
    func refused() async throws {
        // AHC keeps retrying a refused connect until the client's connect timeout, which clientConfiguration sets.
        try await Self.withDownloader(Self.limits { $0.retries = 1; $0.connectTimeout = 0.5 }) { downloader, _ in
            let error = await Self.error { try await downloader.download([(name: "r.c", url: "http://127.0.0.1:1/x")]) }
            guard case .fetchFailed("r.c", _, .transport, 2) = error else { Issue.record("got \(String(describing: error))"); return }
        }
    }

    @Test("a response slower than totalTimeout is stopped, before the head or in the body, and not retried",
          arguments: ["/slowhead?delay=8", "/slowbody?delay=8"])
    func slow(path: String) async throws {
        try await Self.withDownloader(Self.limits { $0.totalTimeout = 1 }) { downloader, server in
            let error = await Self.error { try await downloader.download([(name: "s.c", url: server.url(path))]) }
            guard case .fetchFailed("s.c", _, .timedOut(seconds: 1), 1) = error else { Issue.record("got \(String(describing: error))"); return }
            #expect(server.hits(String(path.prefix { $0 != "?" })) == 1)
        }
    }

    @Test("a bad upload name is refused before any request", arguments: ["../x.c", "a/b.c", "..", "bad\nname.c"])
    func badName(name: String) async throws {
        try await Self.withDownloader { downloader, server in
            let error = await Self.error {
                try await downloader.download([(name: "ok.c", url: server.url("/files/ok.c")), (name: name, url: server.url("/files/x"))])
            }
            guard case .badUploadName(name, _) = error else { Issue.record("got \(String(describing: error))"); return }
            #expect(server.hits("/files/ok.c") == 0)
        }
    }

    @Test("more files than max_files are refused")
    func tooManyFiles() async throws {
        try await Self.withDownloader(Self.limits { $0.maxFiles = 2 }) { downloader, server in
            let files = (1...3).map { (name: "f\($0).c", url: server.url("/files/f\($0).c")) }
            #expect(await Self.error { try await downloader.download(files) } == .tooManyFiles(count: 3, limit: 2))
        }
    }

    @Test("a signed URL's token reaches neither the learner nor the staff message")
    func tokenRedacted() async throws {
        try await Self.withDownloader { downloader, server in
            let signed = server.url("/status?code=403&X-Amz-Signature=SECRET123")
                .replacingOccurrences(of: "http://", with: "http://user:hunter2@")
            let error = try #require(await Self.error { try await downloader.download([(name: "s.c", url: signed)]) })
            for text in [error.learnerMessage, error.description] {
                #expect(!text.contains("SECRET123") && !text.contains("hunter2"))
            }
            #expect(!error.learnerMessage.contains("127.0.0.1"))
            #expect(error.description.contains("HTTP status 403"))
        }
    }
}

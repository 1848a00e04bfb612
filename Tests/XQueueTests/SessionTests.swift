// The session lent to downloads (only on the XQueue host), the TLS switch against a real TLS server, and the
// cookie jar's handling of deletions.
import AsyncHTTPClient
import Foundation
import NIOHTTP1
import NIOSSL
import Testing
@testable import XQueue
import XQueueFakes

@Suite("The session and TLS")
struct SessionTests {
    @Test("a file on the XQueue host downloads with the decorated request, and is refused without it")
    func decoratedDownload() async throws {
        try await Harness.run(.lms) { client, _ in
            try await client.login()
            let url = client.configuration.server.absoluteString + "/media/q/0b9e"
            let http = HTTPClient(eventLoopGroupProvider: .singleton)
            do {
                var plain = HTTPClientRequest(url: url)
                let refused = try await http.execute(plain, timeout: .seconds(10))
                #expect(refused.status.code == 403)
                await client.session.decorate(&plain)
                let response = try await http.execute(plain, timeout: .seconds(10))
                #expect(response.status.code == 200)
                #expect(String(buffer: try await response.body.collect(upTo: 1 << 16)) == "bytes of /media/q/0b9e")
            } catch {
                try? await http.shutdown()
                throw error
            }
            try await http.shutdown()
        }
    }

    @Test("the session is lent only to the same scheme, host and port", arguments: [
        ("http://127.0.0.1:PORT/media/x", true), ("http://127.0.0.2:PORT/media/x", false),
        ("http://127.0.0.1:1/media/x", false), ("https://127.0.0.1:PORT/media/x", false),
        ("https://storage.example.com/bucket/x?sig=1", false),
    ])
    func sameHostOnly(url template: String, lent: Bool) async throws {
        try await Harness.run(.lms, configure: { $0.basicAuth = .init(username: "u", password: "p") }) { client, _ in
            try await client.login()
            let port = client.configuration.server.port!
            var request = HTTPClientRequest(url: template.replacingOccurrences(of: "PORT", with: String(port)))
            await client.session.decorate(&request)
            #expect(request.headers.contains(name: "Cookie") == lent)
            #expect(request.headers.contains(name: "Authorization") == lent)
            let headers = await client.session.downloadHeaders(for: URL(string: request.url)!)
            #expect(headers.map(\.name) == (lent ? ["Cookie", "Authorization"] : []))
            if lent { #expect(request.headers.first(name: "Cookie")?.contains("sessionid=session2") == true) }
        }
    }

    @Test("a cookie the server expires is removed from the jar")
    func cookieDeletion() async {
        let session = XQueueSession(server: URL(string: "http://127.0.0.1:8040")!, basicAuth: nil, verifyTLS: true)
        await session.absorb(HTTPHeaders([("Set-Cookie", "sessionid=abc; Path=/"), ("Set-Cookie", "csrftoken=t1; Path=/")]))
        #expect(await session.isLoggedIn)
        #expect(await session.csrfToken == "t1")
        await session.absorb(HTTPHeaders([("Set-Cookie", "sessionid=\"\"; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/")]))
        #expect(await session.isLoggedIn == false)
        #expect(await session.apiHeaders().first(name: "Cookie") == "csrftoken=t1")
    }

    @Test("a self-signed server is refused while TLS is verified, and works with verification off")
    func tlsSwitch() async throws {
        let context = try SelfSigned.serverContext()
        try await Harness.run(.lms, tls: context) { client, fake in
            let error = await Harness.error { try await client.login() }
            guard case .connectFailed(.login, _)? = error else {
                Issue.record("expected a TLS connect failure, got \(String(describing: error))")
                return
            }
            #expect(await fake.requests.isEmpty)
        }
        try await Harness.run(.lms, tls: context, configure: { $0.verifyTLS = false }) { client, fake in
            await fake.enqueue("q")
            let submission = try #require(try await client.getSubmission(queue: "q"))
            #expect(try await client.putResult(Reply(correct: true, score: 1, msg: "<p/>"), for: submission.header) == .stored(attempts: 1))
            // A download from the server inherits the switch.
            var download = HTTPClientRequest(url: client.configuration.server.absoluteString + "/media/f")
            await client.session.decorate(&download)
            #expect(download.tlsConfiguration?.certificateVerification == CertificateVerification.none)
        }
    }
}

/// A throwaway self-signed certificate made with the openssl command (tests only).
enum SelfSigned {
    static func serverContext() throws -> NIOSSLContext {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("xqueue-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let key = directory.appendingPathComponent("key.pem").path
        let cert = directory.appendingPathComponent("cert.pem").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                             "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
        let configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(cert).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
        return try NIOSSLContext(configuration: configuration)
    }
}

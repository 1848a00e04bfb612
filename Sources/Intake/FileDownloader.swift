// FileDownloader: fetches a submission's `xqueue_files` (name → URL) with the size caps enforced while
// bytes arrive, a deadline over the whole response, and a few retries for server and connection errors.
// Every request, redirects included, goes only to a host and an address that DownloadPolicy allows;
// redirects are followed here, one checked hop at a time (docs/downloads.md).
import AsyncHTTPClient
import Foundation
import Logging
import Metrics
import NIOCore

/// Downloads uploaded files; archives are returned as files (Grading decides whether to unpack).
public struct FileDownloader: Sendable {
    let baseURL: URL?
    let policy: DownloadPolicy
    let limits: DownloadLimits
    let logger: Logger
    let resolver: HostResolver
    let decorate: RequestDecorator?

    /// Adds what a request needs to reach its server (the XQueue session's cookies and basic auth,
    /// which the session adds only for its own host). Injected, so that Intake never imports XQueue.
    public typealias RequestDecorator = @Sendable (inout HTTPClientRequest) async -> Void

    /// Redirects followed for one file (signed storage URLs redirect once or twice).
    static let maxRedirects = 5

    /// A downloader; `baseURL` resolves relative values (`/media/QUEUE/UUID` or a bare key, docs/downloads.md).
    public init(baseURL: URL?, policy: DownloadPolicy, limits: DownloadLimits, logger: Logger, resolver: HostResolver = .system,
                decorate: RequestDecorator? = nil) {
        self.decorate = decorate
        self.baseURL = baseURL
        self.policy = policy
        self.limits = limits
        self.logger = logger
        self.resolver = resolver
    }

    /// The client configuration of one hop: the connect timeout (AHC takes it per client, not per request),
    /// no redirects (each is checked here before it is followed), no transparent decompression (a small gzip
    /// body could grow past the caps), and the host name pinned to the address that was checked, so that
    /// AHC does not look the name up again and connect wherever a second answer points.
    static func clientConfiguration(limits: DownloadLimits, pin: [String: String]) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .nanoseconds(Int64(limits.connectTimeout * 1e9))),
            decompression: .disabled)
        configuration.dnsOverride = pin
        return configuration
    }

    /// Downloads every `xqueue_files` entry (name → URL; a relative URL resolves against baseURL), streaming with the
    /// per-file and total caps enforced while bytes arrive, retrying 5xx and connection errors a few times with a short backoff.
    public func download(_ files: [(name: String, url: String)]) async throws -> [SubmittedFile] {
        if files.count > limits.maxFiles { throw IntakeError.tooManyFiles(count: files.count, limit: limits.maxFiles) }
        // Every name is checked before the first request: a bad one should cost the server nothing.
        var seen = Set<String>()
        for file in files {
            try ArchiveExtractor.checkUploadName(file.name)
            guard seen.insert(file.name).inserted else { throw IntakeError.duplicateUpload(name: file.name) }
        }
        var result: [SubmittedFile] = []
        var total: UInt64 = 0
        for file in files.sorted(by: { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }) {
            let data = try await fetch(name: file.name, url: file.url, remaining: limits.maxTotalSize - total)
            total += UInt64(data.count)
            result.append(SubmittedFile(path: file.name, data: data))
        }
        return result
    }

    /// How one attempt failed: worth another try, or not.
    enum AttemptError: Error {
        case retry(IntakeError.FetchFailure)
        case stop(IntakeError.FetchFailure)
    }

    private func fetch(name: String, url raw: String, remaining: UInt64) async throws -> Data {
        guard let url = resolve(raw) else {
            throw IntakeError.fetchFailed(name: name, url: Self.redacted(raw), reason: .badURL, attempts: 0)
        }
        let shown = Self.redacted(url.absoluteString)
        var attempt = 1
        while true {
            do {
                let data = try await fetchOnce(url, name: name, remaining: remaining)
                logger.debug("downloaded", metadata: ["file": "\(name)", "url": "\(shown)", "bytes": "\(data.count)", "attempts": "\(attempt)"])
                Counter(label: "polygrader_download_bytes_total").increment(by: data.count)
                return data
            } catch let error as AttemptError {
                if Task.isCancelled { throw CancellationError() }
                switch error {
                case let .retry(reason) where attempt <= limits.retries:
                    logger.warning("download failed, retrying", metadata: ["file": "\(name)", "url": "\(shown)", "reason": "\(reason)", "attempt": "\(attempt)"])
                    Counter(label: "polygrader_download_retries_total").increment()
                    try await Task.sleep(nanoseconds: UInt64(attempt) * 250_000_000)
                    attempt += 1
                case let .retry(reason), let .stop(reason):
                    throw IntakeError.fetchFailed(name: name, url: shown, reason: reason, attempts: attempt)
                }
            }
        }
    }

    /// One attempt under a deadline over the whole response: AHC's own deadline stops at the head.
    private func fetchOnce(_ url: URL, name: String, remaining: UInt64) async throws -> Data {
        let seconds = limits.totalTimeout
        return try await withThrowingTaskGroup(of: Data.self) { group in
            group.addTask { try await self.receive(url, name: name, remaining: remaining) }
            group.addTask {
                try await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
                throw AttemptError.stop(.timedOut(seconds: seconds))
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }

    /// One attempt: hop by hop, each hop's host and address checked before it is connected to.
    private func receive(_ url: URL, name: String, remaining: UInt64) async throws -> Data {
        var current = url
        var visited: Set<String> = [url.absoluteString]
        while true {
            let address = try await vet(current)
            switch try await hop(current, address: address, name: name, remaining: remaining) {
            case .body(let data):
                return data
            case .redirect(let location):
                guard visited.count <= Self.maxRedirects else { throw AttemptError.stop(.redirectRefused("more than \(Self.maxRedirects) redirects")) }
                guard let next = URL(string: location, relativeTo: current)?.absoluteURL,
                      let scheme = next.scheme?.lowercased(), scheme == "http" || scheme == "https", next.host?.isEmpty == false else {
                    throw AttemptError.stop(.redirectRefused("to an unusable location \(Self.redacted(location))"))
                }
                // A signed https URL must not be replayed in clear text.
                if current.scheme?.lowercased() == "https" && scheme == "http" {
                    throw AttemptError.stop(.redirectRefused("from https to http (\(Self.redacted(next.absoluteString)))"))
                }
                guard visited.insert(next.absoluteString).inserted else {
                    throw AttemptError.stop(.redirectRefused("in a cycle at \(Self.redacted(next.absoluteString))"))
                }
                current = next
            }
        }
    }

    /// Where one request may go: a host of the policy, resolved to addresses that are all allowed.
    /// Returns the address to pin the name to (nil for an IP literal, which is connected to as written).
    func vet(_ url: URL) async throws -> IPAddress? {
        guard let host = url.host, policy.allows(host: host) else {
            throw AttemptError.stop(.hostRefused(url.host ?? ""))
        }
        let bare = IPAddress.bare(host)
        if let literal = IPAddress(bare) {
            if let why = policy.refusalReason(of: literal) { throw AttemptError.stop(.addressRefused(host: host, address: literal.description, why: why)) }
            return nil
        }
        let addresses: [IPAddress]
        do { addresses = try await resolver.lookup(bare) } catch {
            if error is CancellationError { throw error }
            throw AttemptError.retry(.transport(String(describing: error)))
        }
        guard !addresses.isEmpty else { throw AttemptError.retry(.transport("\(host) has no addresses")) }
        // Every answer is checked, not only the one used: a name that also points inward is not trusted.
        for a in addresses {
            if let why = policy.refusalReason(of: a) { throw AttemptError.stop(.addressRefused(host: host, address: a.description, why: why)) }
        }
        return addresses[0]
    }

    enum HopResult {
        case body(Data)
        case redirect(String)
    }

    /// One request on a client of its own whose only name is pinned to `address`; the client is shut down
    /// however the hop ends.
    private func hop(_ url: URL, address: IPAddress?, name: String, remaining: UInt64) async throws -> HopResult {
        let pin = address.flatMap { a in url.host.map { [$0: a.description] } } ?? [:]
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: Self.clientConfiguration(limits: limits, pin: pin))
        do {
            let result = try await request(url, client: client, name: name, remaining: remaining)
            try? await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    private func request(_ url: URL, client: HTTPClient, name: String, remaining: UInt64) async throws -> HopResult {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .GET
        // Each hop is decorated anew: a redirect to storage on another host gets no session cookie.
        if let decorate { await decorate(&request) }
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, deadline: .now() + .nanoseconds(Int64(limits.totalTimeout * 1e9)), logger: logger)
        } catch let error as HTTPClientError where error == .deadlineExceeded {
            throw AttemptError.stop(.timedOut(seconds: limits.totalTimeout))
        } catch {
            if error is CancellationError { throw error }
            throw AttemptError.retry(.transport(String(describing: error)))
        }
        let status = Int(response.status.code)
        if [301, 302, 303, 307, 308].contains(status), let location = response.headers.first(name: "location") {
            return .redirect(location)
        }
        guard (200..<300).contains(status) else {
            throw status >= 500 ? AttemptError.retry(.status(status)) : AttemptError.stop(.status(status))
        }
        func check(_ bytes: UInt64) throws {
            if bytes > limits.maxFileSize { throw IntakeError.fileTooLarge(name: name, limit: limits.maxFileSize) }
            if bytes > remaining { throw IntakeError.uploadsTooLarge(limit: limits.maxTotalSize) }
        }
        // A declared length past the cap fails at once; the count below catches a body without one, or one that lies.
        if let declared = response.headers.first(name: "content-length").flatMap({ UInt64($0) }) { try check(declared) }
        var data = Data()
        do {
            for try await chunk in response.body {
                try check(UInt64(data.count + chunk.readableBytes))
                data.append(contentsOf: chunk.readableBytesView)
            }
        } catch let error as IntakeError {
            throw error
        } catch {
            if error is CancellationError { throw error }
            throw AttemptError.retry(.transport(String(describing: error)))
        }
        return .body(data)
    }

    /// An absolute http(s) URL, or nil.
    func resolve(_ raw: String) -> URL? {
        guard let url = URL(string: raw, relativeTo: baseURL)?.absoluteURL,
              let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty else { return nil }
        return url
    }

    /// A URL for logs without credentials or query: signed storage URLs carry their token in the query.
    static func redacted(_ raw: String) -> String {
        guard var parts = URLComponents(string: raw) else { return "(unparsable URL)" }
        let hadQuery = parts.query != nil
        parts.user = nil
        parts.password = nil
        parts.query = nil
        parts.fragment = nil
        return (parts.string ?? "(URL)") + (hadQuery ? "?…" : "")
    }
}

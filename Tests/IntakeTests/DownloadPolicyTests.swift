// Where downloads may go: only configured hosts, for the first request and every redirect, and never a
// loopback, link-local or metadata address the config does not name; the address checked is the one
// connected to. Against the real local server; a scripted resolver stands in for DNS answers.
import Foundation
import Intake
import Testing

@Suite("Download hosts and addresses")
struct DownloadPolicyTests {
    typealias T = FileDownloaderTests

    struct Unknown: Error {}

    /// A resolver that answers from a table (a name it does not know fails to resolve).
    static func resolver(_ table: [String: [String]]) -> HostResolver {
        HostResolver { host in
            guard let answers = table[host] else { throw Unknown() }
            return answers.map { IPAddress($0)! }
        }
    }

    @Test("a file on a loopback address is refused unless the config names the address, and nothing is requested")
    func loopbackRefused() async throws {
        try await T.withDownloader(policy: DownloadPolicy(hosts: ["127.0.0.1"])) { downloader, server in
            let error = await T.error { try await downloader.download([(name: "a.c", url: server.url("/files/a.c"))]) }
            #expect(error == .fetchFailed(name: "a.c", url: server.url("/files/a.c"),
                                          reason: .addressRefused(host: "127.0.0.1", address: "127.0.0.1", why: "a loopback address"), attempts: 1))
            #expect(server.hits("/files/a.c") == 0)
        }
        // Named as a block, the address is allowed.
        try await T.withDownloader(policy: DownloadPolicy(hosts: ["127.0.0.1"], allowedAddresses: ["127.0.0.0/8"])) { downloader, server in
            let files = try await downloader.download([(name: "a.c", url: server.url("/files/a.c"))])
            #expect(files.first?.data == Data("content of a.c\n".utf8))
        }
    }

    @Test("a server configured by its address or as localhost names that address, and only that one")
    func serverAddressNamed() {
        let byAddress = DownloadPolicy.servers([URL(string: "http://127.0.0.1:18040")!, nil])
        #expect(byAddress.refusalReason(of: IPAddress("127.0.0.1")!) == nil)
        #expect(byAddress.refusalReason(of: IPAddress("127.0.0.2")!) != nil)
        #expect(byAddress.refusalReason(of: IPAddress("169.254.169.254")!) != nil)
        let local = DownloadPolicy.servers([URL(string: "http://localhost:18040")!])
        #expect(local.refusalReason(of: IPAddress("127.0.0.1")!) == nil)
        #expect(local.refusalReason(of: IPAddress("::1")!) == nil)
        let named = DownloadPolicy.servers([URL(string: "https://xqueue.example.org")!])
        #expect(named.refusalReason(of: IPAddress("127.0.0.1")!) != nil)
    }

    @Test("a URL on a host outside the policy is refused before any connection")
    func hostRefused() async throws {
        try await T.withDownloader { downloader, server in
            let url = "http://localhost:\(server.port)/files/b.c"
            let error = await T.error { try await downloader.download([(name: "b.c", url: url)]) }
            #expect(error == .fetchFailed(name: "b.c", url: url, reason: .hostRefused("localhost"), attempts: 1))
            #expect(server.hits("/files/b.c") == 0)
        }
    }

    @Test("a redirect on the same host is followed")
    func redirectSameHost() async throws {
        try await T.withDownloader { downloader, server in
            let files = try await downloader.download([(name: "r.c", url: server.url("/redirect?to=/files/r.c&code=307"))])
            #expect(files.first?.data == Data("content of r.c\n".utf8))
            #expect(server.hits("/redirect") == 1 && server.hits("/files/r.c") == 1)
        }
    }

    @Test("a redirect that leaves the configured hosts is refused, and its target never requested")
    func redirectToOtherHost() async throws {
        try await T.withDownloader { downloader, server in
            // localhost is this very server: followed blindly, the redirect would fetch it.
            let target = "http://localhost:\(server.port)/files/leak"
            let error = await T.error {
                try await downloader.download([(name: "x.c", url: server.url("/redirect?to=\(target)"))])
            }
            #expect(error == .fetchFailed(name: "x.c", url: server.url("/redirect") + "?…", reason: .hostRefused("localhost"), attempts: 1))
            #expect(server.hits("/redirect") == 1 && server.hits("/files/leak") == 0)
        }
    }

    @Test("a redirect to the metadata address is refused even when the host list names it")
    func redirectToMetadata() async throws {
        let policy = DownloadPolicy(hosts: ["127.0.0.1", "169.254.169.254"], allowedAddresses: ["127.0.0.1"])
        try await T.withDownloader(policy: policy) { downloader, server in
            let error = await T.error {
                try await downloader.download([(name: "m", url: server.url("/redirect?to=http://169.254.169.254/latest/meta-data/"))])
            }
            guard case .fetchFailed("m", _, .addressRefused(host: "169.254.169.254", address: "169.254.169.254", let why), 1) = error else {
                Issue.record("got \(String(describing: error))"); return
            }
            #expect(why.contains("link-local"))
        }
    }

    @Test("redirect cycles and chains longer than five are refused; five are followed")
    func redirectLimits() async throws {
        try await T.withDownloader { downloader, server in
            let loop = await T.error { try await downloader.download([(name: "l", url: server.url("/loop"))]) }
            guard case .fetchFailed("l", _, .redirectRefused(let why), 1) = loop, why.contains("cycle") else {
                Issue.record("got \(String(describing: loop))"); return
            }
            let long = await T.error { try await downloader.download([(name: "c6", url: server.url("/chain?n=6"))]) }
            guard case .fetchFailed("c6", _, .redirectRefused(let tooMany), 1) = long, tooMany.contains("more than 5") else {
                Issue.record("got \(String(describing: long))"); return
            }
            let files = try await downloader.download([(name: "c5", url: server.url("/chain?n=5"))])
            #expect(files.first?.data == Data("end of chain\n".utf8))
        }
    }

    @Test("a name is refused if any of its addresses is refused")
    func anyAnswerRefused() async throws {
        let policy = DownloadPolicy(hosts: ["127.0.0.1", "files.example"], allowedAddresses: ["127.0.0.1"])
        let resolver = Self.resolver(["files.example": ["127.0.0.1", "169.254.169.254"]])
        try await T.withDownloader(policy: policy, resolver: resolver) { downloader, server in
            let url = "http://files.example:\(server.port)/files/d.c"
            let error = await T.error { try await downloader.download([(name: "d.c", url: url)]) }
            guard case .fetchFailed("d.c", _, .addressRefused(host: "files.example", address: "169.254.169.254", _), 1) = error else {
                Issue.record("got \(String(describing: error))"); return
            }
            #expect(server.hits("/files/d.c") == 0)
        }
    }

    @Test("the connection goes to the address that was checked, not to a second lookup of the name")
    func pinnedAddress() async throws {
        // .invalid never resolves (RFC 6761): the download can only succeed by connecting to the checked address.
        let policy = DownloadPolicy(hosts: ["files.invalid"], allowedAddresses: ["127.0.0.1"])
        try await T.withDownloader(policy: policy, resolver: Self.resolver(["files.invalid": ["127.0.0.1"]])) { downloader, server in
            let files = try await downloader.download([(name: "p.c", url: "http://files.invalid:\(server.port)/files/p.c")])
            #expect(files.first?.data == Data("content of p.c\n".utf8))
            #expect(server.hits("/files/p.c") == 1)
        }
    }

    @Test("the system resolver's answer is what is checked: a numeric host that means 127.0.0.1 is refused")
    func numericLoopback() async throws {
        try await T.withDownloader(policy: DownloadPolicy(hosts: ["2130706433"])) { downloader, server in
            let url = "http://2130706433:\(server.port)/files/n.c"
            let error = await T.error { try await downloader.download([(name: "n.c", url: url)]) }
            guard case .fetchFailed("n.c", _, .addressRefused(host: "2130706433", address: "127.0.0.1", _), 1) = error else {
                Issue.record("got \(String(describing: error))"); return
            }
            #expect(server.hits("/files/n.c") == 0)
        }
    }

    @Test("host patterns, address blocks and mapped IPv6 addresses",
          arguments: [("::ffff:127.0.0.1", false), ("::1", false), ("fe80::1", false), ("fd00:ec2::254", false), ("0.0.0.0", false),
                      ("169.254.170.2", false), ("100.100.100.200", false), ("192.0.2.10", true), ("2001:db8::1", true),
                      ("10.1.2.3", true), ("169.255.0.1", true)])
    func addresses(address: String, allowed: Bool) throws {
        let policy = DownloadPolicy(hosts: [])
        let a = try #require(IPAddress(address))
        #expect((policy.refusalReason(of: a) == nil) == allowed)
        // Naming the address (or a block holding it) lets it through.
        let named = DownloadPolicy(hosts: [], allowedAddresses: [address.contains(":") ? address + "/128" : address + "/32"])
        #expect(named.refusalReason(of: a) == nil)
    }

    @Test("host names match exactly or by a *. pattern, ignoring case")
    func hostPatterns() {
        let policy = DownloadPolicy(hosts: ["XQueue.example.org", "*.s3.amazonaws.com", "[::1]"])
        #expect(policy.allows(host: "xqueue.example.org"))
        #expect(policy.allows(host: "bucket.s3.amazonaws.com"))
        #expect(policy.allows(host: "::1"))
        #expect(!policy.allows(host: "s3.amazonaws.com"))
        #expect(!policy.allows(host: "evil-s3.amazonaws.com.attacker.net"))
        #expect(!policy.allows(host: "example.org"))
        #expect(DownloadPolicy(hosts: [], allowedAddresses: ["10.0.0.0/8", "nonsense", "1.2.3.4/40"]).invalidAddresses == ["nonsense", "1.2.3.4/40"])
    }
}

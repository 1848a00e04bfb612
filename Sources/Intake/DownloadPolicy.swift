// DownloadPolicy: where the downloader may connect. Only the configured hosts (the XQueue server,
// the files base URL's host, any storage host the config adds), for the first request and for every
// redirect; and never to a loopback, link-local, unspecified or cloud-metadata address unless the
// config names that address: a redirect or a DNS answer must not turn a download into a request to
// the grader's own machine or its cloud's credentials service (docs/downloads.md).
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The hosts and addresses a `FileDownloader` may reach.
public struct DownloadPolicy: Sendable {
    /// Host names (exact, case-insensitive; `*.example.com` for its subdomains) that URLs and redirects may name.
    public var hosts: [String]
    /// Addresses or CIDR blocks (`127.0.0.1`, `10.0.0.0/8`, `::1`) allowed even though they are refused by default.
    public var allowedAddresses: [String]

    public init(hosts: [String], allowedAddresses: [String] = []) {
        self.hosts = hosts
        self.allowedAddresses = allowedAddresses
    }

    /// The usual policy: the hosts of the XQueue server and of the files base URL, plus `extraHosts`.
    /// A server configured by address (`http://127.0.0.1:18040`) or as `localhost` names its own
    /// address: that one is allowed even where it is loopback or private (xqueue-watcher's default
    /// server is `http://localhost:18040`), and nothing else of the refused ranges is.
    public static func servers(_ urls: [URL?], extraHosts: [String] = [], allowedAddresses: [String] = []) -> DownloadPolicy {
        let hosts = urls.compactMap { $0.flatMap(\.host) }
        var named: [String] = []
        for host in hosts {
            let bare = IPAddress.bare(host)
            if IPAddress(bare) != nil { named.append(bare) }
            else if bare.lowercased() == "localhost" { named += ["127.0.0.1", "::1"] }
        }
        return DownloadPolicy(hosts: hosts + extraHosts, allowedAddresses: allowedAddresses + named)
    }

    /// Whether a URL's host is one of `hosts`.
    public func allows(host raw: String) -> Bool {
        let host = IPAddress.bare(raw).lowercased()
        return hosts.contains { entry in
            let e = IPAddress.bare(entry).lowercased()
            if e.hasPrefix("*.") { return host.hasSuffix(e.dropFirst(1)) && host.count > e.count - 1 }
            return e == host
        }
    }

    /// Why an address may not be connected to, or nil when it may.
    public func refusalReason(of address: IPAddress) -> String? {
        guard let why = address.refusedByDefault else { return nil }
        if allowedAddresses.contains(where: { IPBlock($0)?.contains(address) ?? false }) { return nil }
        return why
    }

    /// Checks that every entry of `allowedAddresses` parses; returns the bad ones.
    public var invalidAddresses: [String] { allowedAddresses.filter { IPBlock($0) == nil } }
}

/// An IPv4 or IPv6 address as bytes; an IPv4-mapped IPv6 address is its IPv4 address.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// 4 or 16 bytes, network order.
    public let bytes: [UInt8]

    public init?(_ text: String) {
        let t = IPAddress.bare(text)
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, t, &v4) == 1 {
            self.init(bytes: withUnsafeBytes(of: &v4) { Array($0) })
        } else if inet_pton(AF_INET6, t, &v6) == 1 {
            self.init(bytes: withUnsafeBytes(of: &v6) { Array($0) })
        } else {
            return nil
        }
    }

    init(bytes b: [UInt8]) {
        // ::ffff:a.b.c.d reaches a.b.c.d: judge it as that address.
        if b.count == 16, b[0..<10].allSatisfy({ $0 == 0 }), b[10] == 0xff, b[11] == 0xff { bytes = Array(b[12...]) } else { bytes = b }
    }

    /// Text for `dnsOverride` and logs (inet_ntop's form).
    public var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = bytes.count == 4 ? AF_INET : AF_INET6
        let ok = bytes.withUnsafeBytes { raw in inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count)) } != nil
        return ok ? String(cString: buffer) : "(address)"
    }

    /// Blocks refused unless the policy names them, with the reason.
    static let refusedBlocks: [(IPBlock, String)] = [
        ("0.0.0.0/8", "an unspecified address (it reaches this machine)"),
        ("127.0.0.0/8", "a loopback address"),
        ("169.254.0.0/16", "a link-local address (cloud metadata lives at 169.254.169.254)"),
        ("100.100.100.200/32", "a cloud metadata address"),
        ("192.0.0.192/32", "a cloud metadata address"),
        ("::/128", "an unspecified address (it reaches this machine)"),
        ("::1/128", "a loopback address"),
        ("fe80::/10", "a link-local address"),
        ("fd00:ec2::254/128", "a cloud metadata address"),
    ].map { (IPBlock($0.0)!, $0.1) }

    /// Why this address is refused by default, or nil.
    var refusedByDefault: String? { Self.refusedBlocks.first { $0.0.contains(self) }?.1 }

    /// A host as written in a URL, without IPv6 brackets.
    static func bare(_ host: String) -> String {
        host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    }
}

/// An address block: an address and a prefix length (a bare address is the whole length).
struct IPBlock: Sendable {
    let base: IPAddress
    let prefix: Int

    init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        guard let first = parts.first, let base = IPAddress(first) else { return nil }
        // A mapped ::ffff:a.b.c.d/N block was turned into IPv4 bytes: its prefix counts 96 bits less.
        let mapped = base.bytes.count == 4 && first.contains(":")
        let full = mapped ? 128 : base.bytes.count * 8
        let prefix = parts.count == 2 ? Int(parts[1]) : full
        guard let prefix, (0...full).contains(prefix) else { return nil }
        self.base = base
        self.prefix = mapped ? max(0, prefix - 96) : prefix
    }

    func contains(_ a: IPAddress) -> Bool {
        guard a.bytes.count == base.bytes.count else { return false }
        var left = prefix
        for (x, y) in zip(a.bytes, base.bytes) where left > 0 {
            let bits = min(8, left)
            let mask = UInt8(truncatingIfNeeded: 0xff << (8 - bits))
            if x & mask != y & mask { return false }
            left -= bits
        }
        return true
    }
}

/// Turns a host name into the addresses it resolves to.
public struct HostResolver: Sendable {
    let lookup: @Sendable (String) async throws -> [IPAddress]

    public init(_ lookup: @escaping @Sendable (String) async throws -> [IPAddress]) { self.lookup = lookup }

    /// The system resolver (getaddrinfo), on a thread of its own: it blocks.
    public static let system = HostResolver { host in
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try getaddrinfoAddresses(host) }) }
        }
    }

    struct LookupFailed: Error, CustomStringConvertible {
        let description: String
    }

    static func getaddrinfoAddresses(_ host: String) throws -> [IPAddress] {
        if let literal = IPAddress(host) { return [literal] }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, nil, &hints, &list)
        guard rc == 0 else { throw LookupFailed(description: "cannot resolve \(host): \(String(cString: gai_strerror(rc)))") }
        defer { freeaddrinfo(list) }
        var out: [IPAddress] = []
        var p = list
        while let ai = p?.pointee {
            if let sa = ai.ai_addr {
                if ai.ai_family == AF_INET {
                    sa.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { sin in
                        var a = sin.pointee.sin_addr
                        out.append(IPAddress(bytes: withUnsafeBytes(of: &a) { Array($0) }))
                    }
                } else if ai.ai_family == AF_INET6 {
                    sa.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { sin6 in
                        var a = sin6.pointee.sin6_addr
                        out.append(IPAddress(bytes: withUnsafeBytes(of: &a) { Array($0) }))
                    }
                }
            }
            p = ai.ai_next
        }
        var seen = Set<IPAddress>()
        return out.filter { seen.insert($0).inserted }
    }
}

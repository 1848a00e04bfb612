// Toolchain resolution on the host: shims, symlinks, prefixes and version probes.
import Foundation
import Languages
import Sandbox
import Testing

@Suite("Toolchain resolution")
struct ToolchainTests {
    @Test("a symlinked binary resolves to the real file and its prefix")
    func symlink() async throws {
        let p = try ProfileLoader.load(path: Env.root + "/languages/python.yml", sandboxes: Env.sandboxes)
        let tools = try await ToolchainResolver.resolve(p)
        let py = try #require(tools["python"])
        #expect(py.exec.hasPrefix("/usr/bin/python3"))
        #expect(py.prefix == "/usr")
        #expect(try await ToolchainResolver.version(p, tools: tools).hasPrefix("3."))
    }

    @Test("a shim script without resolve is refused with a hint; with resolve it is seen through")
    func shim() async throws {
        let dir = try PrivateDirectory.make(prefix: "shim")
        defer { dir.remove() }
        let shim = dir.path + "/sh-shim"
        try "#!/bin/sh\nexec /bin/sh \"$@\"\n".write(toFile: shim, atomically: true, encoding: .utf8)
        chmod(shim, 0o755)
        let plain = Env.shellProfile(search: shim)
        let (d1, p1) = try Env.writeProfile(plain, name: "sh")
        defer { d1.remove() }
        let profile = try ProfileLoader.load(path: p1, sandboxes: Env.sandboxes)
        await #expect { try await ToolchainResolver.resolve(profile) } throws: { "\($0)".contains("looks like a shim; add toolchain.sh.resolve") }
        let resolving = plain.replacingOccurrences(of: "sh: {search: [\(shim)]}", with: "sh: {search: [\(shim)], resolve: [\"/bin/echo\", \"/usr/bin/dash\"]}")
        let (d2, p2) = try Env.writeProfile(resolving, name: "sh")
        defer { d2.remove() }
        let tools = try await ToolchainResolver.resolve(try ProfileLoader.load(path: p2, sandboxes: Env.sandboxes))
        #expect(tools["sh"]?.exec == "/usr/bin/dash")
        #expect(tools["sh"]?.prefix == "/usr")
    }

    @Test("a missing toolchain names every path tried")
    func missing() async throws {
        let (d, p) = try Env.writeProfile(Env.shellProfile(search: "/opt/nowhere/sh, definitely-not-a-shell"), name: "sh")
        defer { d.remove() }
        let profile = try ProfileLoader.load(path: p, sandboxes: Env.sandboxes)
        await #expect { try await ToolchainResolver.resolve(profile) } throws: {
            "\($0)".contains("toolchain.sh.search: no executable found; tried /opt/nowhere/sh") && "\($0)".contains("/usr/bin/definitely-not-a-shell")
        }
    }

    @Test("a version regex that does not match quotes the output's first line")
    func versionMismatch() async throws {
        let (d, p) = try Env.writeProfile(Env.shellProfile().replacingOccurrences(of: "regex: 'sh (\\d+\\.\\d+)'", with: "regex: 'bash (\\d+)'"), name: "sh")
        defer { d.remove() }
        let profile = try ProfileLoader.load(path: p, sandboxes: Env.sandboxes)
        let tools = try await ToolchainResolver.resolve(profile)
        await #expect { try await ToolchainResolver.version(profile, tools: tools) } throws: { "\($0)".contains("\"sh 1.0\"") }
    }
}

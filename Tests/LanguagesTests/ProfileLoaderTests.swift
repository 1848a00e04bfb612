// Strict loading of language profiles: every mistake names the file, line, key and a hint.
import Foundation
import Languages
import Sandbox
import Testing

@Suite("Language profile validation")
struct ProfileLoaderTests {
    func errors(_ text: String, name: String = "sh") -> String {
        do {
            let (dir, path) = try Env.writeProfile(text, name: name)
            defer { dir.remove() }
            _ = try ProfileLoader.load(path: path, displayName: "languages/\(name).yml", sandboxes: Env.sandboxes)
            return ""
        } catch { return "\(error)" }
    }

    @Test("the shipped profiles and the examples load")
    func shipped() throws {
        for f in ["languages/python.yml", "languages/c.yml", "languages/java.yml", "examples/languages/rust.yml", "examples/languages/cpp.yml"] {
            let p = try ProfileLoader.load(path: Env.root + "/" + f, sandboxes: Env.sandboxes)
            #expect(!p.run.command.isEmpty, "\(f)")
        }
    }

    @Test("a valid profile loads")
    func valid() { #expect(errors(Env.shellProfile()) == "") }

    @Test("an unknown key is an error with a did-you-mean hint")
    func unknownKey() {
        let e = errors(Env.shellProfile().replacingOccurrences(of: "limits: {cpu: 1s, memory: 64MiB}", with: "limits: {cpu: 1s, memroy: 64MiB}"))
        #expect(e.contains("languages/sh.yml:11:21:"), "\(e)")
        #expect(e.contains("run.limits.memroy: unknown key (hint: did you mean \"memory\"?)"), "\(e)")
    }

    @Test("a wrong type is an error")
    func wrongType() {
        #expect(errors(Env.shellProfile().replacingOccurrences(of: "extensions: [\".sh\"]", with: "extensions: .sh")).contains("extensions: expected a list"))
    }

    @Test("a missing run command is an error")
    func missingCommand() {
        let e = errors(Env.shellProfile().replacingOccurrences(of: "  command: [\"{sh}\", \"{main}\", \"{args}\"]\n", with: ""))
        #expect(e.contains("run.command: missing required key"), "\(e)")
    }

    @Test("unknown placeholders, misplaced ones and partial list placeholders are errors")
    func placeholders() {
        #expect(errors(Env.shellProfile().replacingOccurrences(of: "\"{main}\"", with: "\"{mian}\"")).contains("unknown placeholder {mian}"))
        #expect(errors(Env.shellProfile().replacingOccurrences(of: "\"{args}\"", with: "\"--x={args}\"")).contains("must be a whole argument"))
        #expect(errors(Env.shellProfile().replacingOccurrences(of: "\"{args}\"", with: "\"{report}\"")).contains("{report} is not allowed here"))
    }

    @Test("limits above max_limits, and max_limits above the sandbox ceiling, are errors")
    func ceilings() {
        let above = errors(Env.shellProfile().replacingOccurrences(of: "limits: {cpu: 1s, memory: 64MiB}", with: "limits: {cpu: 1s, memory: 1GiB}"))
        #expect(above.contains("run.limits: memory: 1 GiB is above max_limits (512 MiB)"), "\(above)")
        let ceiling = errors(Env.shellProfile().replacingOccurrences(of: "max_limits: {cpu: 10s, memory: 512MiB}", with: "max_limits: {cpu: 100s, memory: 512MiB}"))
        #expect(ceiling.contains("cpu: 100 s is above sandbox interpreter's ceiling (60 s)"), "\(ceiling)")
    }

    @Test("an unknown sandbox is an error listing the available ones")
    func unknownSandbox() {
        #expect(errors(Env.shellProfile().replacingOccurrences(of: "sandbox: interpreter", with: "sandbox: nope")).contains("unknown sandbox profile \"nope\""))
    }

    @Test("codejail names are aliases; giving both is an error")
    func aliases() {
        #expect(errors(Env.shellProfile().replacingOccurrences(of: "limits: {cpu: 1s, memory: 64MiB}", with: "limits: {CPU: 1, VMEM: 67108864}")) == "")
        #expect(errors(Env.shellProfile().replacingOccurrences(of: "limits: {cpu: 1s, memory: 64MiB}", with: "limits: {cpu: 1s, CPU: 2}")).contains("same limit"))
    }

    @Test("placeholders expand into whole arguments, lists into several")
    func expansion() {
        let argv = Placeholders.expand(["{cc}", "-o", "{binary}", "{sources}", "-Dx={{y}}"], scalars: ["cc": "/usr/bin/gcc", "binary": "main"],
                                       lists: ["sources": ["a.c", "b.c"]])
        #expect(argv == ["/usr/bin/gcc", "-o", "main", "a.c", "b.c", "-Dx={y}"])
        #expect(Placeholders.expand(["{args}"], scalars: [:], lists: ["args": []]) == [])
    }

    @Test("globs: ** spans directories, * stays in one")
    func globs() {
        #expect(PathGlob("**/*.c").matches("main.c"))
        #expect(PathGlob("**/*.c").matches("src/deep/x.c"))
        #expect(!PathGlob("*.c").matches("src/x.c"))
        #expect(PathGlob("__MACOSX/**").matches("__MACOSX/a/b"))
        #expect(PathGlob("tests/[0-9]?.in").matches("tests/1a.in"))
        #expect(PathGlob.naturalLess("2.in", "10.in"))
    }
}

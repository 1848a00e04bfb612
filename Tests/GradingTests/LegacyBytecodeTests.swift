// The precompiled grader_support bytecode is what the jail loads (docs/legacy-graders.md, "Interpreter
// flags and start-up cost"), and the package stays read-only there: proved with a .pyc whose code differs
// from its source but whose checked hash matches it, so only a loaded .pyc can give the marker.
import Foundation
@testable import Grading
import Sandbox
import Testing

@Suite("Legacy graders: precompiled, read-only grader_support in the jail", .serialized)
struct LegacyBytecodeTests {
    /// Precompiles the copy (support/python/precompile.py), then replaces gradelib's .pyc by one compiled
    /// from the source plus a marker, stamped with the hash of the unchanged source.
    static let craft = """
        import importlib._bootstrap_external as ext, importlib.util, marshal, os, subprocess, sys
        package = sys.argv[1] + "/grader_support"
        subprocess.run([sys.executable, sys.argv[2], package], check=True)
        source_path = package + "/gradelib.py"
        with open(source_path, "rb") as f:
            source = f.read()
        code = compile(source + b"\\n_LOADED_FROM_BYTECODE = True\\n", source_path, "exec")
        data = ext._code_to_hash_pyc(code, importlib.util.source_hash(source), checked=True)
        with open(importlib.util.cache_from_source(source_path), "wb") as f:
            f.write(data)
        """

    static let grader = """
        import os, sys
        from grader_support import gradelib
        grader = gradelib.Grader()
        def probe(submission):
            print("bytecode", getattr(gradelib, "_LOADED_FROM_BYTECODE", False))
            print("read-only", bool(os.statvfs(os.path.dirname(gradelib.__file__)).f_flag & os.ST_RDONLY))
        grader.add_test(gradelib.Test(probe, "Test: where gradelib came from"))
        """

    @Test("the jail loads grader_support's .pyc, matched to the interpreter and the source hash, from a read-only directory")
    func bytecodeUsed() async throws {
        try #require(G.jail != nil, "the jail cannot run on this host")
        let support = try PrivateDirectory.make(prefix: "support")
        defer { support.remove() }
        chmod(support.path, 0o755)
        let fm = FileManager.default
        try fm.createDirectory(atPath: support.path + "/grader_support", withIntermediateDirectories: false)
        for name in try fm.contentsOfDirectory(atPath: G.root + "/support/python/grader_support") where name.hasSuffix(".py") {
            try fm.copyItem(atPath: G.root + "/support/python/grader_support/" + name, toPath: support.path + "/grader_support/" + name)
        }
        let made = try HostCommand.runBlocking(["/usr/bin/python3", "-c", Self.craft, support.path, G.root + "/support/python/precompile.py"],
                                               environment: nil, stdinFile: nil, timeout: 60, outputCap: 65536)
        try #require(made.status == 0, "\(made.stderrText)")
        let before = try fm.subpathsOfDirectory(atPath: support.path).sorted()
        #expect(before.contains("grader_support/__pycache__/gradelib.cpython-311.pyc") || before.contains { $0.hasPrefix("grader_support/__pycache__/gradelib.") })

        let problem = try G.problem(["grader.py": Self.grader, "answer.py": "x = 1\n"])
        let grader = Grader(runner: G.runner, registry: await G.registry.value, legacy: LegacySettings(supportDirectory: support.path))
        let r = await grader.grade(problemPath: problem.path + "/grader.py", submission: .response(Data("x = 2\n".utf8), name: nil),
                                   options: GradeOptions())
        #expect(r.reply.correct, "\(r.legacy?.staffLog ?? []) \(r.reply.msg)")
        #expect(r.reply.msg.contains("<pre>bytecode True\nread-only True\n</pre>"), "\(r.reply.msg)")
        #expect(try fm.subpathsOfDirectory(atPath: support.path).sorted() == before, "nothing written into the package")
    }
}

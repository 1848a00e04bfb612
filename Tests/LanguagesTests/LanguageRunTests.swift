// The built-in languages compiled and run for real in the jail, with their limits.
import Foundation
import Languages
import Sandbox
import Testing

@Suite("Built-in languages in the jail")
struct LanguageRunTests {
    init() throws { try #require(Env.jail != nil, "the jail cannot run on this host") }

    func buildAndRun(_ tag: String, _ files: [(String, String)], stdin: String = "", limits: LimitLayer = LimitLayer()) async throws -> (Build, RunResult?) {
        let lang = try await Env.language(tag)
        let build = try await Env.runner.build(lang, sources: files.map { SourceFile(path: $0.0, data: Data($0.1.utf8)) })
        guard build.succeeded else { return (build, nil) }
        return (build, try await Env.runner.run(build, stdin: .data(Data(stdin.utf8)), limits: limits))
    }

    @Test("python, c and java are enabled with versions")
    func enabled() async throws {
        for tag in ["python", "c", "java", "py3", "JDK"] {
            let l = try await Env.language(tag)
            #expect(!l.version.isEmpty)
        }
    }

    @Test("each built-in language reads stdin and writes stdout", arguments: [
        ("python", "sum.py", "import sys\nprint(sum(int(x) for x in sys.stdin.read().split()))\n"),
        ("c", "sum.c", "#include <stdio.h>\nint main(void){long a,s=0;while(scanf(\"%ld\",&a)==1)s+=a;printf(\"%ld\\n\",s);return 0;}\n"),
        ("java", "Sum.java", "import java.util.*;\npublic class Sum { public static void main(String[] a) { Scanner s = new Scanner(System.in); long t = 0; while (s.hasNextLong()) t += s.nextLong(); System.out.println(t); } }\n"),
    ])
    func stdinStdout(_ tag: String, _ file: String, _ code: String) async throws {
        let (build, r) = try await buildAndRun(tag, [(file, code)], stdin: "1 2 3 4\n")
        #expect(build.succeeded, "\(build.output)")
        #expect(r?.status == .OK, "\(r?.stderrText ?? "")")
        #expect(r?.stdoutText == "10\n")
    }

    @Test("a compile error in each language is CE with the compiler's message, /box/ stripped", arguments: [
        ("python", "bad.py", "def f(:\n", "SyntaxError"),
        ("c", "bad.c", "int main(void) { return x; }\n", "undeclared"),
        ("java", "Bad.java", "public class Bad { void f() { int x = \"s\"; } }\n", "incompatible types"),
    ])
    func compileError(_ tag: String, _ file: String, _ code: String, _ message: String) async throws {
        let (build, _) = try await buildAndRun(tag, [(file, code)])
        #expect(!build.succeeded)
        #expect(build.output.contains(message), "\(build.output)")
        #expect(!build.output.contains("/box/"))
    }

    @Test("compiler output is capped")
    func compilerOutputCapped() async throws {
        let noisy = String(repeating: "int f(void) { return y; }\n", count: 4000)
        let (build, _) = try await buildAndRun("c", [("noisy.c", noisy)])
        #expect(!build.succeeded)
        #expect(build.output.utf8.count <= (64 << 10) + 64)
        #expect(build.output.hasSuffix("[… output cut]"))
    }

    @Test("a Java program that exceeds its heap is MLE, named")
    func javaHeap() async throws {
        let code = "import java.util.*;\npublic class Hog { public static void main(String[] a) { List<long[]> l = new ArrayList<>(); while (true) l.add(new long[1 << 20]); } }\n"
        let (_, r) = try await buildAndRun("java", [("Hog.java", code)], limits: LimitLayer(memory: 64 << 20))
        #expect(r?.status == .MLE, "\(r?.stderrText.prefix(300) ?? "")")
        #expect(r?.exception == "java.lang.OutOfMemoryError")
    }

    @Test("a Python CPU spin is TLE")
    func pythonSpin() async throws {
        let (_, r) = try await buildAndRun("python", [("spin.py", "while True: pass\n")], limits: LimitLayer(cpu: 0.5))
        #expect(r?.status == .TLE)
    }

    @Test("a Python exception is RE naming it; a MemoryError under RLIMIT_AS is MLE")
    func pythonErrors() async throws {
        let (_, r) = try await buildAndRun("python", [("z.py", "print(1/0)\n")])
        #expect(r?.status == .RE && r?.exception == "ZeroDivisionError")
        let (_, m) = try await buildAndRun("python", [("m.py", "x = bytearray(1 << 30)\n")], limits: LimitLayer(memory: 64 << 20))
        #expect(m?.status == .MLE)
    }

    @Test("each run gets a fresh box: files written by one run are gone in the next")
    func freshBox() async throws {
        let lang = try await Env.language("python")
        let build = try await Env.runner.build(lang, sources: [SourceFile(path: "w.py", data: Data("import os\nprint(os.path.exists('mark'))\nopen('mark','w').write('x')\n".utf8))])
        let a = try await Env.runner.run(build)
        let b = try await Env.runner.run(build)
        #expect(a.stdoutText == "False\n" && b.stdoutText == "False\n")
    }
}

// The warm javac (docs/java-compile-service.md) for real: a compiler JVM in the jvm sandbox on a slot of
// its own, answering clean compilations; everything else, and every anomaly, goes to the cold javac.
import Foundation
@testable import Languages
import Sandbox
import Testing

@Suite("Java compile service", .serialized)
struct CompileServiceTests {
    init() throws { try #require(Env.jail != nil, "the jail cannot run on this host") }

    static let sum = "import java.util.*;\npublic class Main { public static void main(String[] a) { Scanner s = new Scanner(System.in); long t = 0; while (s.hasNextLong()) t += s.nextLong(); System.out.println(t); } }\n"

    /// Slot uids of these tests' own (uid_base 61000), so that other suites' services are not counted.
    static let uidBase = 61000

    /// A runner with a jail of its own (its own service pool), drained at the end of each test.
    func withRunner<T>(_ body: (LanguageRunner) async throws -> T) async throws -> T {
        let jail = try PolyjailRunner(minimum: .full, instance: JailInstance(uidBase: Self.uidBase, cgroupRoot: JailInstance.fromEnvironment.cgroupRoot))
        defer { jail.drainHelpers() }
        return try await body(LanguageRunner(jail: jail, sandboxes: Env.sandboxes))
    }

    /// This suite's processes left on the host (slot uids from uidBase), after a grace for a service
    /// being stopped in the background.
    static func leftovers() async -> [String] {
        for _ in 0..<50 {
            let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc"))?.filter { Int($0) != nil } ?? []
            let left = pids.compactMap { pid -> String? in
                guard let st = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
                      let line = st.split(separator: "\n").first(where: { $0.hasPrefix("Uid:") }),
                      let uid = line.split(separator: "\t").dropFirst().first.flatMap({ Int($0) }),
                      (uidBase..<uidBase + 1000).contains(uid) else { return nil }
                return "\(pid) uid \(uid)"
            }
            if left.isEmpty { return [] }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return ["still running after 5 s"]
    }

    @Test("a clean compilation is the service's; the classes run; a second one reuses the JVM")
    func warmBuildRuns() async throws {
        let lang = try await Env.language("java")
        try #require(lang.profile.compile?.service != nil)
        try await withRunner { runner in
            for _ in 0..<2 {
                let build = try await runner.build(lang, sources: [SourceFile(path: "Main.java", data: Data(Self.sum.utf8))])
                #expect(build.succeeded, "\(build.output)")
                #expect(build.compiledWarm)
                #expect(build.output.isEmpty)
                let r = try await runner.run(build, stdin: .data(Data("1 2 3 4\n".utf8)))
                #expect(r.status == .OK, "\(r.stderrText)")
                #expect(r.stdoutText == "10\n")
            }
            // Packages land where `javac -d classes` puts them.
            let pkg = "package util;\npublic class Add { public static long add(long a, long b) { return a + b; } }\n"
            let main = "public class Main { public static void main(String[] a) { System.out.println(util.Add.add(2, 3)); } }\n"
            let build = try await runner.build(lang, sources: [SourceFile(path: "Main.java", data: Data(main.utf8)),
                                                               SourceFile(path: "util/Add.java", data: Data(pkg.utf8))])
            #expect(build.compiledWarm)
            let r = try await runner.run(build)
            #expect(r.stdoutText == "5\n", "\(r.stderrText)")
        }
        #expect(await Self.leftovers().isEmpty)
    }

    @Test("a compile error is the cold javac's, with its exact message")
    func compileErrorIsCold() async throws {
        let lang = try await Env.language("java")
        let bad = "public class Bad { void f() { int x = \"s\"; } }\n"
        let warm = try await withRunner { try await $0.build(lang, sources: [SourceFile(path: "Bad.java", data: Data(bad.utf8))]) }
        #expect(!warm.succeeded)
        #expect(!warm.compiledWarm)
        #expect(warm.output.contains("Bad.java:1: error: incompatible types: String cannot be converted to int"), "\(warm.output)")
        // A warning-only compilation is not clean either: the cold javac prints its note to the learner.
        let unchecked = "import java.util.*;\npublic class Main { static List l = new ArrayList(); public static void main(String[] a) { l.add(1); } }\n"
        let noted = try await withRunner { try await $0.build(lang, sources: [SourceFile(path: "Main.java", data: Data(unchecked.utf8))]) }
        #expect(noted.succeeded)
        #expect(!noted.compiledWarm)
        #expect(noted.output.contains("unchecked or unsafe operations"), "\(noted.output)")
    }

    @Test("a box with a file that is not a compiled source compiles cold (javac's class path is the box)")
    func foreignFileIsCold() async throws {
        let lang = try await Env.language("java")
        let build = try await withRunner {
            try await $0.build(lang, sources: [SourceFile(path: "Main.java", data: Data(Self.sum.utf8)), SourceFile(path: "Helper.class", data: Data([0xca, 0xfe]))])
        }
        #expect(build.succeeded, "\(build.output)")
        #expect(!build.compiledWarm)
    }

    @Test("hostile: a compile command that asks for an annotation processor is the cold javac's (the service never processes)")
    func processorRequestIsCold() async throws {
        let lang = try await Env.language("java")
        // A processor among the learner's sources: javac can only load one that is already compiled, and the
        // service never loads any (-proc:none); the cold javac reports that it cannot find it: CE.
        let proc = "import javax.annotation.processing.*; import javax.lang.model.element.*; import java.util.*;\n@SupportedAnnotationTypes(\"*\") public class Proc extends AbstractProcessor { public boolean process(Set<? extends TypeElement> a, RoundEnvironment r) { throw new RuntimeException(\"learner code ran in javac\"); } }\n"
        let build = try await withRunner {
            try await $0.build(lang, sources: [SourceFile(path: "Main.java", data: Data(Self.sum.utf8)), SourceFile(path: "Proc.java", data: Data(proc.utf8))],
                               extraArgs: ["-processor", "Proc"])
        }
        #expect(!build.compiledWarm)
        #expect(!build.succeeded)
        #expect(build.output.contains("Proc"), "\(build.output)")
        #expect(!build.output.contains("learner code ran in javac"), "\(build.output)")
    }

    @Test("invalid UTF-8 is not clean: the cold javac reports it")
    func badEncodingIsCold() async throws {
        let lang = try await Env.language("java")
        var bytes = Data("public class Main { String s = \"".utf8)
        bytes.append(0xc3)
        bytes.append(contentsOf: Data("\"; public static void main(String[] a) {} }\n".utf8))
        let build = try await withRunner { try await $0.build(lang, sources: [SourceFile(path: "Main.java", data: bytes)]) }
        #expect(!build.compiledWarm)
        #expect(build.output.contains("unmappable character"), "\(build.output)")
    }

    @Test("hostile: a source that keeps javac busy stops the service at the compile limit; the cold javac decides (TLE)")
    func busyCompilerStopsService() async throws {
        let lang = try await Env.language("java")
        // Nested conditionals of generic calls: javac's inference takes exponential time (depth 12: ~40 CPU-s).
        var inner = "0"
        for _ in 0..<12 { inner = "id(b ? \(inner) : id(0))" }
        let src = "public class Main { static boolean b; static <T> T id(T t) { return t; } static Object v = \(inner); public static void main(String[] a) {} }\n"
        let build = try await withRunner { runner in
            try await runner.build(lang, sources: [SourceFile(path: "Main.java", data: Data(src.utf8))], limits: LimitLayer(cpu: 2))
        }
        #expect(!build.succeeded)
        #expect(!build.compiledWarm)
        // TLE by the cold javac's own limits: its CPU (2 s) or, on a loaded machine, its wall (3 × CPU) first.
        #expect(build.failureReason?.hasPrefix("compilation timed out after ") == true, "\(build.failureReason ?? "nil")")
        let left = await Self.leftovers()
        #expect(left.isEmpty, "\(left)")
    }

    @Test("the request encoding and the service's plan of the cold command")
    func planAndEncoding() {
        let argv = ["/usr/bin/javac", "-J-Xmx512m", "-encoding", "UTF-8", "-nowarn", "-d", "classes", "-cp", "/j.jar", "./Main.java", "./p/A.java"]
        let p = WarmCompile.plan(argv: argv, sourceArguments: ["./Main.java", "./p/A.java"])
        #expect(p == WarmCompile.Plan(jvmFlags: ["-Xmx512m"], options: ["-encoding", "UTF-8", "-nowarn", "-cp", "/j.jar"], outputDirectory: "classes"))
        // An argument file or an output directory outside the box: not reproduced, cold.
        #expect(WarmCompile.plan(argv: ["javac", "-d", "classes", "@args"], sourceArguments: []) == nil)
        #expect(WarmCompile.plan(argv: ["javac", "-d", "/etc", "./Main.java"], sourceArguments: ["./Main.java"]) == nil)
        #expect(WarmCompile.plan(argv: ["javac", "./Main.java"], sourceArguments: ["./Main.java"]) == nil)
        // Annotation processing asked for: the service's -proc:none would change the outcome, so cold.
        for option in [["-processor", "P"], ["-processorpath", "x"], ["--processor-path", "x"], ["-proc:only"], ["-Xplugin:P"], ["-Akey=v"], ["-s", "gen"]] {
            #expect(WarmCompile.plan(argv: ["javac", "-d", "classes"] + option + ["./Main.java"], sourceArguments: ["./Main.java"]) == nil, "\(option)")
        }
        #expect(WarmCompile.plan(argv: ["javac", "-d", "classes", "-source", "17", "./Main.java"], sourceArguments: ["./Main.java"]) != nil)
        let bytes = WarmCompile.encode(options: ["-g"], sources: [SourceFile(path: "A.java", data: Data("x".utf8))])
        #expect(bytes == [0x50, 0x4a, 0x43, 0x53, 0, 0, 0, 1, 0, 0, 0, 2, 0x2d, 0x67, 0, 0, 0, 1, 0, 0, 0, 6] + Array("A.java".utf8) + [0, 0, 0, 1, 0x78])
    }
}

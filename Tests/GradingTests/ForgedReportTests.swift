// Hostile submissions that forge a unit-test report from inside the test process, graded for real
// against the example course's suites. Each forgery scored full marks when reports lived at a fixed
// path (or on stdout) and the runner's exit status was ignored; none may earn a point now
// (docs/unit-suites.md says what remains possible).
import Foundation
import Grading
import Intake
import Testing

@Suite("Forged unit-test reports", .serialized)
struct ForgedReportTests {
    init() throws { try #require(G.jail != nil, "the jail cannot run on this host") }

    /// Grades one typed or uploaded file against an example problem.
    static func grade(_ problem: String, file name: String, _ text: String) async -> GradeResult {
        let dir = G.course + "/" + problem
        let p = try! ProblemLoader.load(path: dir)
        let data = Data(text.utf8)
        let input: SubmissionInput = p.source == .files ? .files([SubmittedFile(path: name, data: data)]) : .response(data, name: name)
        return await G.grader().grade(problemPath: dir, submission: input)
    }

    /// The records of one suite, which must all be present, earn nothing, and end `verdict`.
    static func expectNothingEarned(_ r: GradeResult, suite: String, count: Int, verdict: Verdict,
                                    staff: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        let records = r.tests.filter { $0.name.hasPrefix(suite + "/") }
        #expect(records.count == count, "\(r.tests.map(\.name))", sourceLocation: sourceLocation)
        for t in records {
            #expect(t.verdict == verdict && t.points.earned == 0, "\(t.name): \(t.verdict) \(t.points.earned) \(t.message)",
                    sourceLocation: sourceLocation)
            if let staff { #expect(t.staffFeedback?.contains(staff) == true, "\(t.name): \(t.staffFeedback ?? "no staff note")",
                                   sourceLocation: sourceLocation) }
        }
    }

    static let bitsNames = ["popcount_small", "popcount_all_ones", "parity", "highest_bit_powers", "highest_bit_zero",
                            "reverse_bits", "rotate_left", "rotate_left_by_0_and_32"]

    /// Wrong implementations of bits.h: an honest run of the suite fails every test.
    static let wrongBits = """
        #include "bits.h"
        int popcount(uint32_t x) { (void)x; return 99; }
        int parity(uint32_t x) { (void)x; return 99; }
        int highest_bit(uint32_t x) { (void)x; return 99; }
        uint32_t reverse_bits(uint32_t x) { (void)x; return 99; }
        uint32_t rotate_left(uint32_t x, unsigned k) { (void)x; (void)k; return 99; }
        """

    @Test("a C constructor printing passing TAP on stdout, then _exit(0), earns nothing")
    func cConstructorForgesTAP() async {
        let oks = Self.bitsNames.enumerated().map { "ok \($0.offset + 1) - \($0.element)\\n" }.joined()
        let r = await Self.grade("c-bits", file: "bits.c", Self.wrongBits + """

            #include <stdio.h>
            #include <unistd.h>
            __attribute__((constructor)) static void forge(void)
            {
                fputs("1..8\\n\(oks)", stdout);
                fflush(stdout);
                _exit(0);
            }
            """)
        // The harness never ran: no report where polygrader reads it, and the runner exited 0.
        Self.expectNothingEarned(r, suite: "bits", count: 8, verdict: .RE)
        #expect(r.score == 0)
    }

    @Test("a C constructor that finds the report directory but not the nonce earns nothing")
    func cConstructorFindsDirectory() async {
        let oks = Self.bitsNames.enumerated().map { "ok \($0.offset + 1) - \($0.element)\\n" }.joined()
        let r = await Self.grade("c-bits", file: "bits.c", Self.wrongBits + """

            #include <dirent.h>
            #include <stdio.h>
            #include <string.h>
            #include <unistd.h>
            __attribute__((constructor)) static void forge(void)
            {
                DIR *d = opendir("/box");
                struct dirent *e;
                char path[512];
                while (d && (e = readdir(d)) != NULL) {
                    if (strncmp(e->d_name, ".report", 7) != 0)
                        continue;
                    snprintf(path, sizeof path, "/box/%s/report.tap", e->d_name);
                    FILE *f = fopen(path, "w");
                    if (f) { fputs("1..8\\n\(oks)", f); fclose(f); }
                }
                _exit(0);
            }
            """)
        Self.expectNothingEarned(r, suite: "bits", count: 8, verdict: .RE, staff: "nonce")
    }

    @Test("Python writing a passing JUnit report at import, then os._exit(0), earns nothing")
    func pythonForgesJUnitAtImport() async {
        let cases = ["test_mean", "test_mean_negative", "test_stdev", "test_stdev_constant", "test_empty_raises"]
            .map { "<testcase classname=\\\"test_stats\\\" name=\\\"\($0)\\\" time=\\\"0.001\\\"/>" }.joined()
        let r = await Self.grade("py-stats", file: "stats.py", """
            import os
            os.makedirs("/box/.report", exist_ok=True)
            with open("/box/.report/report.xml", "w") as f:
                f.write("<?xml version=\\"1.0\\"?><testsuites><testsuite name=\\"pytest\\" tests=\\"5\\">\(cases)</testsuite></testsuites>")
            os._exit(0)
            """)
        Self.expectNothingEarned(r, suite: "functions", count: 5, verdict: .RE)
    }

    @Test("a Java static initializer writing a passing report, then halt(0), earns nothing")
    func javaStaticInitializerForgesReport() async {
        let cases = ["newStackIsEmpty", "pushThenPopReturnsSameValue", "popReturnsInLifoOrder", "peekDoesNotRemove",
                     "pushBeyondCapacityThrows", "popOnEmptyThrows"]
            .map { "<testcase name=\\\"\($0)()\\\" classname=\\\"BoundedStackTest\\\" time=\\\"0.001\\\"/>" }.joined()
        let r = await Self.grade("java-stack", file: "BoundedStack.java", """
            import java.nio.file.Files;
            import java.nio.file.Path;

            public class BoundedStack {
                static {
                    try {
                        Files.createDirectories(Path.of("/box/.report"));
                        Files.writeString(Path.of("/box/.report/TEST-junit-jupiter.xml"),
                            "<?xml version=\\"1.0\\" encoding=\\"UTF-8\\"?><testsuite name=\\"JUnit Jupiter\\" tests=\\"6\\">\(cases)</testsuite>");
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                    Runtime.getRuntime().halt(0);
                }
                public BoundedStack(int capacity) {}
                public void push(int value) {}
                public int pop() { return 0; }
                public int peek() { return 0; }
                public int size() { return 0; }
                public int capacity() { return 0; }
                public boolean isEmpty() { return false; }
                public boolean isFull() { return false; }
            }
            """)
        Self.expectNothingEarned(r, suite: "unit", count: 6, verdict: .RE)
        #expect(r.score == 0)
    }

    @Test("a passing report with the nonce, from a pytest run that then failed, earns nothing")
    func forgedReportWithFailingRunner() async {
        // The forger reads the report path and nonce from its own argv, writes a passing report and makes it
        // read-only, so that pytest cannot replace it with the truth and ends with an error instead.
        let cases = ["test_mean", "test_mean_negative", "test_stdev", "test_stdev_constant", "test_empty_raises"]
            .map { "<testcase classname=\\\"test_stats\\\" name=\\\"\($0)\\\"/>" }.joined()
        let r = await Self.grade("py-stats", file: "stats.py", """
            import os, sys
            path = next(a.split("=", 1)[1] for a in sys.argv if a.startswith("--junitxml="))
            nonce = next(a.split("=", 1)[1] for a in sys.argv if a.startswith("junit_suite_name="))
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write("<?xml version=\\"1.0\\"?><testsuites><testsuite name=\\"" + nonce + "\\" tests=\\"5\\">\(cases)</testsuite></testsuites>")
            os.chmod(path, 0o444)

            def mean(xs):
                return 0

            def stdev(xs):
                return 0
            """)
        Self.expectNothingEarned(r, suite: "functions", count: 5, verdict: .RE, staff: "every test passed")
    }

    @Test("learner code that exits 0 in the middle of a TAP suite voids the report")
    func exitZeroMidSuite() async {
        // Five correct answers, then rotate_left ends the process with status 0: plan 1..8, 5 results, exit 0.
        let r = await Self.grade("c-bits", file: "bits.c", """
            #include <unistd.h>
            #include "bits.h"
            int popcount(uint32_t x) { return __builtin_popcount(x); }
            int parity(uint32_t x) { return __builtin_parity(x); }
            int highest_bit(uint32_t x) { return x ? 31 - __builtin_clz(x) : -1; }
            uint32_t reverse_bits(uint32_t x) { _exit(0); return x; }
            uint32_t rotate_left(uint32_t x, unsigned k) { return x; (void)k; }
            """)
        Self.expectNothingEarned(r, suite: "bits", count: 8, verdict: .RE, staff: "incomplete")
    }
}

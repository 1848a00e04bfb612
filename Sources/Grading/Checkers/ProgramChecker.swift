// ProgramChecker: `custom` and `kattis` checkers (docs/reference/problem-yml.md, "Checkers"): the problem's own
// program,
// compiled once per grading with its language's compile step and run in that language's jail,
// in a box of its own holding input, expected, the learner's output and a writable feedback/.
// Any fault of the checker (crash, timeout, bad JSON, a fraction outside 0..1) is IE, never WA.
import Foundation
import Languages
import Sandbox

/// Builds each checker program once per grading.
actor CheckerBuilds {
    private var builds: [String: Build] = [:]

    func build(program: String, spec: Problem.CheckerSpec, problem: Problem, registry: LanguageRegistry, runner: LanguageRunner) async throws -> Build {
        if let b = builds[program] { return b }
        let data = try ProblemFiles.read(program, in: problem.directory)
        let name = (program as NSString).lastPathComponent
        let lang = spec.language.flatMap { registry.find($0)?.resolved } ?? registry.detect(fileNames: [name])
        guard let lang else { throw PayloadError(reason: "no enabled language for checker \(program)") }
        let b = try await runner.build(lang, sources: [SourceFile(path: name, data: data)], main: name)
        guard b.succeeded else { throw PayloadError(reason: "checker \(program) does not build: \(b.failureReason ?? "") \(b.output.prefix(500))") }
        builds[program] = b
        return b
    }
}

enum ProgramChecker {
    struct Fault: Error, CustomStringConvertible { let description: String }

    static func check(_ spec: Problem.CheckerSpec, input: Data, expected: Data, output: Data, build: Build,
                      runner: LanguageRunner) async throws -> CheckResult {
        let kattis = spec.type == "kattis"
        let names = ["input": "input", "expected": "expected", "output": "output", "feedback_dir": "feedback/"]
        let template = spec.args ?? (kattis ? ["{input}", "{expected}", "{feedback_dir}"] : ["{input}", "{expected}", "{output}"])
        let args = template.map { Placeholders.expand($0, scalars: names) }
        var files: [BoxEntry] = [.file(path: "input", contents: input), .file(path: "expected", contents: expected),
                                 .file(path: "feedback/.keep", contents: Data())]
        if !kattis { files.append(.file(path: "output", contents: output)) }
        let out = try PrivateDirectory.make(prefix: "polygrader-checker")
        defer { out.remove() }
        let limits = LimitLayer(cpu: 5, memory: 512 << 20).overlaid(by: spec.limits)
        let r = try await runner.run(build, stdin: kattis ? .data(output) : .empty, args: args, limits: limits, files: files,
                                     collect: ["feedback"], collectInto: out.path)
        func read(_ name: String) -> String? {
            FileManager.default.contents(atPath: out.path + "/feedback/" + name).map { String(decoding: $0, as: UTF8.self) }
        }
        if kattis {
            guard r.status == .OK || r.status == .RE, let code = r.exitCode, code == 42 || code == 43 else {
                throw Fault(description: "kattis checker ended with \(r.status.rawValue) exit \(r.exitCode.map(String.init) ?? "-"): \(r.error ?? "")\(r.stderrText.prefix(300))")
            }
            var fraction = code == 42 ? 1.0 : 0.0
            if code == 42, let s = read("score.txt") {
                guard let v = Double(s.trimmingCharacters(in: .whitespacesAndNewlines)), (0...1).contains(v) else {
                    throw Fault(description: "kattis checker wrote an invalid score.txt: \(s.prefix(50))")
                }
                fraction = v
            }
            return CheckResult(fraction: fraction, feedback: read("teammessage.txt"), staff: read("judgemessage.txt"))
        }
        guard r.status == .OK else {
            throw Fault(description: "custom checker ended with \(r.status.rawValue): \(r.error ?? "")\(r.stderrText.prefix(300))")
        }
        guard let last = r.stdoutText.split(separator: "\n").last,
              let obj = (try? JSONSerialization.jsonObject(with: Data(last.utf8))) as? [String: Any],
              let passed = obj["passed"] as? Bool else {
            throw Fault(description: "custom checker printed no JSON verdict: \(r.stdoutText.suffix(200))")
        }
        let fraction = (obj["fraction"] as? NSNumber)?.doubleValue ?? (passed ? 1 : 0)
        guard (0...1).contains(fraction) else { throw Fault(description: "custom checker gave fraction \(fraction), outside 0..1") }
        return CheckResult(fraction: fraction, feedback: obj["feedback"] as? String, staff: obj["staff"] as? String)
    }
}

// Messages: the learner's words for each verdict (docs/reference/results.md, "Verdicts").
import Foundation
import Languages
import Sandbox

enum Messages {
    static let signalWords = ["SIGSEGV": "segmentation fault (bad memory access or stack overflow)",
                              "SIGFPE": "arithmetic error (e.g. division by zero)", "SIGABRT": "aborted",
                              "SIGBUS": "bus error (bad memory access)", "SIGILL": "illegal instruction",
                              "SIGPIPE": "broken pipe", "SIGKILL": "killed"]

    static func forRun(_ v: Verdict, run r: RunResult, limits: Limits, feedback: LanguageProfile.Feedback) -> String {
        switch v {
        case .AC: return "Passed"
        case .WA: return "Wrong answer"
        case .TLE:
            return r.limit == "wall" ? "Time limit exceeded: more than \(Units.format(seconds: limits.wall)) of real time (waiting for input?)"
                                     : "Time limit exceeded: more than \(Units.format(seconds: limits.cpu)) of CPU time"
        case .MLE: return "Memory limit exceeded (\(Units.format(bytes: limits.memory)))"
        case .OLE:
            switch r.limit {
            case "stderr": return "Output limit exceeded (more than \(Units.format(bytes: limits.stderr)) on stderr)"
            case "file_size": return "Output limit exceeded (a file grew past \(Units.format(bytes: limits.fileSize)))"
            default: return "Output limit exceeded (more than \(Units.format(bytes: limits.output)))"
            }
        case .RE:
            if let e = r.exception { return "Runtime error: \(e)" }
            if let s = r.signalName { return "Runtime error: \(feedback.signalNames[s] ?? signalWords[s] ?? s.lowercased()) (\(s))" }
            if r.execError != nil { return "Runtime error: the program could not be started" }
            return "Runtime error: exit code \(r.exitCode ?? -1)"
        case .SV: return r.syscall.map { "Forbidden system call: \($0)" } ?? "Forbidden system call"
        case .IE: return FeedbackRenderer.internalErrorText
        case .CE: return "Compilation failed"
        case .SK: return "Not run"
        }
    }
}

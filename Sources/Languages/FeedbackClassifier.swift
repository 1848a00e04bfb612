// FeedbackClassifier: the language's reading of a finished run: the exception that ended it
// (RE "ZeroDivisionError") and out-of-memory messages that make it MLE (docs/reference/language-profiles.md,
// "Feedback").
import Foundation
import Sandbox

enum FeedbackClassifier {
    static func classify(_ r: inout RunResult, feedback: LanguageProfile.Feedback) {
        let stderr = r.stderrText
        if r.status == .RE || r.status == .OK && (r.exitCode ?? 0) != 0 {
            for pattern in feedback.memoryError {
                if let re = try? NSRegularExpression(pattern: pattern, options: [.anchorsMatchLines]),
                   re.firstMatch(in: stderr, range: NSRange(stderr.startIndex..., in: stderr)) != nil {
                    r.status = .MLE
                    r.limit = "memory"
                    break
                }
            }
        }
        if let pattern = feedback.exception, (r.exitCode ?? 0) != 0 || r.status == .MLE,
           let re = try? NSRegularExpression(pattern: pattern, options: [.anchorsMatchLines]) {
            let ms = re.matches(in: stderr, range: NSRange(stderr.startIndex..., in: stderr))
            if let last = ms.last, last.numberOfRanges > 1, let range = Range(last.range(at: 1), in: stderr) {
                r.exception = String(stderr[range])
            }
        }
    }
}

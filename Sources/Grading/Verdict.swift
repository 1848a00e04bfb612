// Verdict: per-test verdicts and their precedence (docs/reference/results.md, "Verdicts"), as pure functions.
import Sandbox

/// A test's verdict.
public enum Verdict: String, Sendable, Codable, CaseIterable {
    case AC, WA, TLE, MLE, OLE, RE, SV, CE, IE, SK

    /// Order across tests: IE > CE > TLE > MLE > OLE > SV > RE > WA > SK > AC.
    static let severity: [Verdict] = [.AC, .SK, .WA, .RE, .SV, .OLE, .MLE, .TLE, .CE, .IE]

    /// The worst of several verdicts (AC when there are none).
    public static func worst(_ verdicts: [Verdict]) -> Verdict {
        verdicts.max { severity.firstIndex(of: $0)! < severity.firstIndex(of: $1)! } ?? .AC
    }

    /// The verdict of a finished run before any checker: nil when it ended normally.
    public static func of(run r: RunResult) -> Verdict? {
        switch r.status {
        case .OK: return nil
        case .TLE: return .TLE
        case .MLE: return .MLE
        case .OLE: return .OLE
        case .RE: return .RE
        case .SV: return .SV
        case .IE: return .IE
        }
    }
}

// ReportChannel: where one unit-test run writes its report, and the nonce its framework echoes
// into it. Both are fresh and random per run, so a report forged blind (a learner's constructor or
// import writing to a fixed path, or printing TAP on stdout) never lands where polygrader reads
// (docs/unit-suites.md says what this stops and what it cannot).

/// The report directory and nonce of one framework run.
public struct ReportChannel: Sendable, Equatable {
    /// The report directory, relative to `/box` (`.report-` and 64 random bits in hex).
    public let directory: String
    /// 128 random bits in hex; `{nonce}` in a framework's command or env.
    public let nonce: String

    public init(directory: String, nonce: String) {
        self.directory = directory
        self.nonce = nonce
    }

    /// A channel from the system's random source (getrandom on Linux).
    public static func fresh() -> ReportChannel {
        var rng = SystemRandomNumberGenerator()
        return ReportChannel(directory: ".report-" + hex(rng.next() as UInt64), nonce: hex(rng.next() as UInt64) + hex(rng.next() as UInt64))
    }

    /// `{report_dir}`: the directory's absolute path in the jail.
    public var reportDirectory: String { "/box/" + directory }
    /// `{report}`: the default report file.
    public var report: String { reportDirectory + "/report.xml" }

    /// The placeholder values this channel gives a run.
    public var scalars: [String: String] { ["report": report, "report_dir": reportDirectory, "nonce": nonce] }

    /// Whether the framework hands `{nonce}` to the runner (command or env): then its report must echo it.
    public static func echoesNonce(_ framework: LanguageProfile.Framework) -> Bool {
        (framework.command + Array(framework.env.values)).contains { Placeholders.names(in: $0)?.contains("nonce") ?? false }
    }

    static func hex(_ v: UInt64) -> String {
        let digits = String(v, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

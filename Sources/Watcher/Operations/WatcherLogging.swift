// WatcherLogging: the process-wide swift-log set-up, done once by the executable.
import Foundation
import Logging

/// Bootstraps swift-log for the watcher.
public enum WatcherLogging {
    /// Every logger writes `format` lines at `level` and above to standard error. Call once per process
    /// (swift-log allows one bootstrap).
    public static func bootstrap(format: LogFormat, level: Logger.Level) {
        LoggingSystem.bootstrap { label in
            WatcherLogHandler(label: label, format: format, level: level, write: writeToStandardError)
        }
    }

    /// Metadata keys the watcher's log lines use, so that every line names things the same way.
    public enum Key {
        public static let submissionID = "submission_id"
        public static let queue = "queue"
        public static let language = "language"
        public static let verdict = "verdict"
        public static let score = "score"
        public static let gradingMilliseconds = "grading_ms"
        public static let compileMilliseconds = "compile_ms"
        public static let runMilliseconds = "run_ms"
        public static let error = "error"
    }

    /// A duration as whole milliseconds, a number in JSON lines.
    public static func milliseconds(_ duration: Duration) -> Logger.MetadataValue {
        .stringConvertible(duration.nanoseconds / 1_000_000)
    }

    /// Serialises whole lines so that concurrent loggers never interleave inside a line.
    private static let lock = NSLock()

    @Sendable static func writeToStandardError(_ line: String) {
        let bytes = Array(line.utf8)
        lock.lock()
        defer { lock.unlock() }
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return  // standard error is gone: nowhere left to report it
            }
            offset += n
        }
    }
}

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

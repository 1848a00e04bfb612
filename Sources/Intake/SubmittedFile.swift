// SubmittedFile: one learner file, from an upload or an archive entry, ready for the box.
import Foundation

/// A learner file: a relative path, its bytes, and whether it gets mode 0755 (else 0644).
public struct SubmittedFile: Sendable, Equatable {
    /// Relative path with "/" separators, already checked (no "..", no absolute path, valid UTF-8).
    public var path: String
    /// The file's bytes, unchanged.
    public var data: Data
    /// Whether any x bit was set in the archive; setuid, setgid and sticky bits are always dropped.
    public var executable: Bool

    /// A file as it will be placed in the box.
    public init(path: String, data: Data, executable: Bool = false) {
        self.path = path
        self.data = data
        self.executable = executable
    }
}

// IntakeError: why a submission's files were refused, said twice: plainly for the learner, in full for staff.

/// Errors of the Intake module. `learnerMessage` never holds a URL, a token or a library's wording.
public enum IntakeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An archive entry broke a rule; `entry` is the name as stored (control characters escaped).
    case entryRejected(archive: String, entry: String, rule: EntryRule)
    /// The archive has more entries (directories included) than `limit`.
    case tooManyEntries(archive: String, limit: Int)
    /// The archive unpacks to more than `limit` bytes in total.
    case archiveTooLarge(archive: String, limit: UInt64)
    /// The bytes are of no supported archive format (zip or tar, plain or gzip, bzip2, xz).
    case notAnArchive(archive: String, detail: String)
    /// The archive is damaged or truncated; `detail` is libarchive's error string.
    case damagedArchive(archive: String, detail: String)
    /// This host's libarchive cannot be used safely (our fault, not the learner's).
    case archiveSupport(String)
    /// An uploaded file name is not a plain file name.
    case badUploadName(name: String, problem: UploadNameProblem)
    /// Two uploaded files have the same name.
    case duplicateUpload(name: String)
    /// More uploaded files than `limit`.
    case tooManyFiles(count: Int, limit: Int)
    /// One uploaded file is larger than `limit` bytes.
    case fileTooLarge(name: String, limit: UInt64)
    /// All uploaded files together are larger than `limit` bytes.
    case uploadsTooLarge(limit: UInt64)
    /// A file could not be fetched; `url` has its query and credentials removed.
    case fetchFailed(name: String, url: String, reason: FetchFailure, attempts: Int)

    /// The rule an archive entry broke.
    public enum EntryRule: Sendable, Equatable {
        case parentDirectory, absolutePath, invalidUTF8, controlCharacter, emptyPart, optionLike
        case symlink(target: String?), hardlink(target: String?), device, fifo, socket
        case unsupportedType(mode: UInt32), encrypted
        case tooDeep(depth: Int, limit: Int), pathTooLong(bytes: Int, limit: Int)
        case duplicate, fileAndFolder(path: String), fileTooLarge(limit: UInt64)
    }

    /// What is wrong with an uploaded file name.
    public enum UploadNameProblem: Sendable, Equatable {
        case empty, slash, nul, controlCharacter, dotName, optionLike, tooLong(bytes: Int)
    }

    /// Why a download failed.
    public enum FetchFailure: Sendable, Equatable {
        case badURL, status(Int), transport(String), timedOut(seconds: Double)
        /// A URL or redirect naming a host outside the download policy (nothing was connected to).
        case hostRefused(String)
        /// A host whose address (literal or resolved) the policy refuses: loopback, link-local, metadata.
        case addressRefused(host: String, address: String, why: String)
        /// A redirect that was not followed: too many, a cycle, a downgrade to http, an unusable location.
        case redirectRefused(String)
    }

    /// Whether the learner can fix this by changing the submission (else it is the server's or our problem).
    public var isLearnerFault: Bool {
        switch self {
        case .archiveSupport, .fetchFailed: return false
        default: return true
        }
    }

    /// Plain text for the learner, naming the file or entry and the rule.
    public var learnerMessage: String {
        switch self {
        case let .entryRejected(archive, entry, rule):
            return "Your archive \(quoted(archive)) was rejected: \(Self.sentence(entry: entry, rule: rule))"
        case let .tooManyEntries(archive, limit):
            return "Your archive \(quoted(archive)) was rejected: it has more than \(limit) entries (files and folders)."
        case let .archiveTooLarge(archive, limit):
            return "Your archive \(quoted(archive)) was rejected: it unpacks to more than \(sizeText(limit)) in total."
        case let .notAnArchive(archive, _):
            return "Your file \(quoted(archive)) is not an archive that can be unpacked. "
                + "Use a .zip or .tar file (a .tar may be compressed with gzip, bzip2 or xz)."
        case let .damagedArchive(archive, _):
            return "Your archive \(quoted(archive)) was rejected: it is damaged or incomplete and could not be read."
        case .archiveSupport:
            return "Your archive could not be unpacked because of a problem on our side. Please submit again later."
        case let .badUploadName(name, problem):
            return "The file name \(quoted(name)) is not allowed: \(Self.text(problem))."
        case let .duplicateUpload(name):
            return "The file name \(quoted(name)) was submitted twice."
        case let .tooManyFiles(count, limit):
            return "You submitted \(count) files; at most \(limit) are allowed."
        case let .fileTooLarge(name, limit):
            return "The file \(quoted(name)) is larger than \(sizeText(limit)), the limit for one file."
        case let .uploadsTooLarge(limit):
            return "Your files are larger than \(sizeText(limit)) together, the limit for a submission."
        case let .fetchFailed(name, _, _, _):
            return "The file \(quoted(name)) could not be fetched from the course server. Please submit again."
        }
    }

    /// Full detail for staff and logs: URL, HTTP status, libarchive's message.
    public var description: String {
        switch self {
        case let .entryRejected(archive, entry, rule):
            return "archive \(quoted(archive)): " + Self.sentence(entry: entry, rule: rule) + Self.staffDetail(rule)
        case let .damagedArchive(archive, detail):
            return "archive \(quoted(archive)) is damaged or truncated: libarchive: \(detail)"
        case let .notAnArchive(archive, detail):
            return "upload \(quoted(archive)) has an archive name but no supported format: \(detail)"
        case let .archiveSupport(detail):
            return "libarchive cannot be used safely on this host: \(detail)"
        case let .fetchFailed(name, url, reason, attempts):
            let why: String
            switch reason {
            case .badURL: why = "not an http(s) URL, or relative with no files base URL"
            case let .status(code): why = "HTTP status \(code)"
            case let .transport(error): why = "connection error: \(error)"
            case let .timedOut(seconds): why = "no complete response within \(seconds) s"
            case let .hostRefused(host):
                why = "host \(quoted(host)) is not an allowed download host (the XQueue and files hosts, or those the config adds)"
            case let .addressRefused(host, address, reason):
                why = "host \(quoted(host)) is at \(address), \(reason), which the config does not allow"
            case let .redirectRefused(detail): why = "redirect refused: \(detail)"
            }
            return "fetching \(quoted(name)) from \(url) failed after \(attempts) attempt(s): \(why)"
        default:
            return learnerMessage
        }
    }

    static func sentence(entry: String, rule: EntryRule) -> String {
        let e = quoted(entry)
        switch rule {
        case .parentDirectory: return "the entry \(e) leaves the archive folder (\"..\")."
        case .absolutePath: return "the entry \(e) is an absolute path (it starts with \"/\")."
        case .invalidUTF8: return "the entry \(e) has a name that is not valid UTF-8 text."
        case .controlCharacter: return "the entry \(e) has a control character (such as a line break) in its name."
        case .emptyPart: return "the entry \(e) has an empty or \".\" part in its path."
        case .optionLike: return "the entry \(e) has a part starting with \"-\" or \"@\" (a compiler would read it as an option)."
        case .symlink: return "the entry \(e) is a symbolic link; only files and folders are allowed."
        case .hardlink: return "the entry \(e) is a hard link; only files and folders are allowed."
        case .device: return "the entry \(e) is a device file; only files and folders are allowed."
        case .fifo: return "the entry \(e) is a named pipe; only files and folders are allowed."
        case .socket: return "the entry \(e) is a socket; only files and folders are allowed."
        case .unsupportedType: return "the entry \(e) is neither a file nor a folder."
        case .encrypted: return "the entry \(e) is password-protected."
        case let .tooDeep(depth, limit): return "the entry \(e) is \(depth) levels deep; at most \(limit) are allowed."
        case let .pathTooLong(bytes, limit): return "the entry \(e) has a path of \(bytes) bytes; at most \(limit) are allowed."
        case .duplicate: return "the entry \(e) appears more than once."
        case let .fileAndFolder(path): return "\(quoted(path)) is both a file and a folder."
        case let .fileTooLarge(limit): return "the file \(e) unpacks to more than \(sizeText(limit)), the limit for one file."
        }
    }

    static func staffDetail(_ rule: EntryRule) -> String {
        switch rule {
        case let .symlink(target), let .hardlink(target): return " (target \(quoted(target ?? "?")))"
        case let .unsupportedType(mode): return " (mode 0o\(String(mode, radix: 8)))"
        default: return ""
        }
    }

    static func text(_ problem: UploadNameProblem) -> String {
        switch problem {
        case .empty: return "it is empty"
        case .slash: return "it contains \"/\""
        case .nul: return "it contains a NUL character"
        case .controlCharacter: return "it contains a control character"
        case .dotName: return "\".\" and \"..\" are not file names"
        case .optionLike: return "it starts with \"-\" or \"@\" (a compiler would read it as an option)"
        case let .tooLong(bytes): return "it is \(bytes) bytes long; at most 255 are allowed"
        }
    }
}

/// A name in double quotes, control characters escaped and cut to 120 characters, for one-line messages.
func quoted(_ name: String) -> String {
    var out = ""
    for scalar in name.unicodeScalars {
        switch scalar {
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        case "\"": out += "\\\""
        default:
            if scalar.properties.generalCategory == .control {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    if out.count > 120 { out = String(out.prefix(117)) + "…" }
    return "\"" + out + "\""
}

/// A byte count as people write it: "8 MiB", "1.5 KiB", "100 bytes".
func sizeText(_ bytes: UInt64) -> String {
    for (unit, shift) in [("GiB", 30), ("MiB", 20), ("KiB", 10)] where bytes >= 1 << UInt64(shift) {
        let whole = bytes >> UInt64(shift)
        if bytes & ((1 << UInt64(shift)) - 1) == 0 { return "\(whole) \(unit)" }
        let tenths = (bytes * 10 + (1 << UInt64(shift)) / 2) >> UInt64(shift)
        return "\(tenths / 10).\(tenths % 10) \(unit)"
    }
    return "\(bytes) bytes"
}

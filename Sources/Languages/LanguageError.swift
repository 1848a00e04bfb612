// LanguageError: failures of the Languages module, each saying what an operator must fix.
import Sandbox

/// Errors of loading, resolving, probing, self-testing and installing language profiles.
public enum LanguageError: Error, Sendable, CustomStringConvertible {
    case invalid(ConfigErrors)
    case toolchainMissing(file: String, key: String, tried: [String])
    case shim(file: String, key: String, path: String)
    case resolveFailed(file: String, key: String, command: [String], output: String)
    case versionMismatch(file: String, regex: String, firstLine: String)
    case selfTestFailed(name: String, verdict: String, detail: String)
    case unknownLanguage(String, known: [String])
    case alreadyInstalled(name: String, path: String)
    case install(path: String, reason: String)
    /// The jail, or a toolchain inside it, failed during `step` (not the program's doing).
    case jailFailed(step: String, detail: String)

    public var description: String {
        switch self {
        case let .invalid(e): return e.description
        case let .toolchainMissing(file, key, tried):
            return "\(file): toolchain.\(key).search: no executable found; tried \(tried.joined(separator: ", "))"
        case let .shim(file, key, path):
            return "\(file): toolchain.\(key).search: \(path) is a script (hint: this looks like a shim; add toolchain.\(key).resolve)"
        case let .resolveFailed(file, key, command, output):
            return "\(file): toolchain.\(key).resolve: \(command.joined(separator: " ")) failed: \(output.prefix(300))"
        case let .versionMismatch(file, regex, firstLine):
            return "\(file): version.regex: '\(regex)' does not match the version output \"\(firstLine)\""
        case let .selfTestFailed(name, verdict, detail):
            return "\(name): self-test failed in the jail: \(verdict): \(detail)"
        case let .unknownLanguage(tag, known):
            return "unknown language \"\(tag)\" (enabled: \(known.joined(separator: ", ")))"
        case let .alreadyInstalled(name, path):
            return "\(path): language \(name) is already installed (hint: use --replace)"
        case let .install(path, reason):
            return "installing \(path): \(reason)"
        case let .jailFailed(step, detail):
            return "\(step) step: the jail failed: \(detail)"
        }
    }
}

// ProblemFiles: the one way any file of a problem is listed or opened (docs/problems.md).
// polygrader runs as root and a course author writes the problem directory, so a path in
// problem.yml must never reach a file outside it: every open walks the path one part at a time
// from the problem directory with O_NOFOLLOW (with no "..", no absolute path and no link followed,
// that is openat2's RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS), and only regular files are read.
import Foundation

/// A problem file that cannot be used, and why (staff text; the path is problem-relative).
public struct ProblemFileError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "\(path): \(reason)" }
}

enum ProblemFiles {
    /// Why `rel` is not a plain relative path inside the problem directory, or nil if it is.
    static func textProblem(_ rel: String) -> String? {
        if rel.isEmpty { return "the path is empty" }
        if rel.hasPrefix("/") { return "the path is absolute" }
        if rel.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) { return "the path contains control characters" }
        for part in rel.split(separator: "/", omittingEmptySubsequences: false) {
            if part == ".." { return "the path contains \"..\"" }
            if part.isEmpty || part == "." { return "the path has an empty or \".\" part" }
        }
        return nil
    }

    /// Opens `rel` beneath `dir` for reading: every part without following a link, the last one a
    /// regular file. The caller closes the descriptor.
    static func open(_ rel: String, in dir: String) throws -> Int32 {
        func fail(_ reason: String) -> ProblemFileError { ProblemFileError(path: rel, reason: reason) }
        if let problem = textProblem(rel) { throw fail(problem) }
        var fd = Glibc.open(dir.isEmpty ? "." : dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw fail("the problem directory cannot be opened (\(String(cString: strerror(errno))))") }
        let parts = rel.split(separator: "/").map(String.init)
        for (i, part) in parts.enumerated() {
            let last = i == parts.count - 1
            // Look before opening: opening a device or FIFO can block or have effects of its own.
            var st = stat()
            guard fstatat(fd, part, &st, AT_SYMLINK_NOFOLLOW) == 0 else {
                let e = errno
                close(fd)
                throw fail(e == ENOENT ? "does not exist" : "cannot be read (\(String(cString: strerror(e))))")
            }
            let kind = st.st_mode & S_IFMT
            if kind == S_IFLNK {
                close(fd)
                throw fail(last ? "is a symbolic link (problem files are opened without following links)"
                                : "\(parts[...i].joined(separator: "/")) is a symbolic link (problem files are opened without following links)")
            }
            if last && kind != S_IFREG { close(fd); throw fail("is not a regular file") }
            if !last && kind != S_IFDIR { close(fd); throw fail("\(parts[...i].joined(separator: "/")) is not a directory") }
            let flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (last ? O_NONBLOCK : O_DIRECTORY)
            let next = openat(fd, part, flags)
            let e = errno
            close(fd)
            guard next >= 0 else { throw fail("cannot be opened (\(String(cString: strerror(e))))") }
            fd = next
        }
        // The part may have been replaced between the look and the open: check what was opened.
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { close(fd); throw fail("is not a regular file") }
        return fd
    }

    /// The bytes of `rel` beneath `dir`; more than `max` bytes is an error.
    static func read(_ rel: String, in dir: String, max: Int = Int.max) throws -> Data {
        let fd = try open(rel, in: dir)
        defer { close(fd) }
        var out = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ProblemFileError(path: rel, reason: "cannot be read (\(String(cString: strerror(errno))))")
            }
            if n == 0 { return out }
            out.append(contentsOf: buffer[0..<n])
            if out.count > max { throw ProblemFileError(path: rel, reason: "is larger than \(max) bytes") }
        }
    }

    /// Why `rel` cannot be used as a problem file, or nil when it is a readable regular file.
    static func problem(_ rel: String, in dir: String) -> String? {
        do { close(try open(rel, in: dir)); return nil } catch let e as ProblemFileError { return e.reason } catch { return "\(error)" }
    }

    /// What a problem directory holds: its regular files (relative, byte-sorted) and the entries that
    /// make it unusable. A link is never listed; one that leads outside the directory, or to anything
    /// but a regular file or directory, refuses the problem, and so do FIFOs, sockets and devices.
    static func list(_ dir: String) -> (files: [String], refused: [ProblemFileError]) {
        var files: [String] = [], refused: [ProblemFileError] = []
        let root = Glibc.open(dir.isEmpty ? "." : dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard root >= 0 else { return ([], [ProblemFileError(path: ".", reason: "the problem directory cannot be opened")]) }
        let realRoot = realPath(dir.isEmpty ? "." : dir)
        func walk(_ fd: Int32, _ prefix: String, depth: Int) {
            guard depth < 32 else { refused.append(ProblemFileError(path: prefix, reason: "is nested more than 32 directories deep")); return }
            guard let handle = fdopendir(dup(fd)) else { return }
            defer { closedir(handle) }
            var names: [String] = []
            while let entry = readdir(handle) {
                let raw = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
                if raw == [0x2e] || raw == [0x2e, 0x2e] { continue }
                guard let name = String(validating: raw, as: UTF8.self) else {
                    refused.append(ProblemFileError(path: prefix + String(decoding: raw, as: UTF8.self), reason: "has a name that is not valid UTF-8"))
                    continue
                }
                names.append(name)
            }
            for name in names {
                let rel = prefix + name
                var st = stat()
                guard fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
                switch st.st_mode & S_IFMT {
                case S_IFREG: files.append(rel)
                case S_IFDIR:
                    let sub = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                    guard sub >= 0 else { refused.append(ProblemFileError(path: rel, reason: "cannot be opened")); continue }
                    walk(sub, rel + "/", depth: depth + 1)
                    close(sub)
                case S_IFLNK:
                    if let why = linkProblem(dir + "/" + rel, root: realRoot) { refused.append(ProblemFileError(path: rel, reason: why)) }
                default:
                    refused.append(ProblemFileError(path: rel, reason: "is not a regular file or directory (a FIFO, socket or device)"))
                }
            }
        }
        walk(root, "", depth: 0)
        close(root)
        return (files.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }, refused)
    }

    /// Why a link inside the problem directory makes it unusable: it leads outside, nowhere, or to
    /// something that is neither a regular file nor a directory. Links that stay inside are only
    /// ignored (they are never listed nor opened), so an author's link inside the tree is harmless.
    static func linkProblem(_ path: String, root: String?) -> String? {
        guard let root, let target = realPath(path) else { return "is a symbolic link that leads nowhere" }
        guard target == root || target.hasPrefix(root == "/" ? "/" : root + "/") else {
            return "is a symbolic link that leads outside the problem directory"
        }
        var st = stat()
        guard stat(target, &st) == 0, [S_IFREG, S_IFDIR].contains(st.st_mode & S_IFMT) else {
            return "is a symbolic link to something that is neither a regular file nor a directory"
        }
        return nil
    }

    static func realPath(_ p: String) -> String? {
        guard let r = realpath(p, nil) else { return nil }
        defer { free(r) }
        return String(cString: r)
    }
}

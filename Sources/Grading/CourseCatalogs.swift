// CourseCatalogs: a course's `conf/locale` gettext catalogs, read by us as data and handed to the
// course's jail as files. The jail never sees a course path: a link in the course tree could lead
// anywhere on the host, so links are skipped and only regular files are read, within caps.
import Foundation
import Sandbox

enum CourseCatalogs {
    struct TooLarge: Error, CustomStringConvertible { let description: String }

    /// Catalog files hold messages, not data sets; more than this is a mistake in the course tree.
    static let maxTotal = 16 << 20, maxFiles = 2000, maxDepth = 6

    /// The files of `courseRoot/conf/locale` as box entries under `boxDirectory` (none without one).
    static func entries(courseRoot: String?, boxDirectory: String) throws -> [BoxEntry] {
        guard let courseRoot else { return [] }
        let top = courseRoot + "/conf/locale"
        var out: [BoxEntry] = []
        var total = 0
        func walk(_ dir: String, _ rel: String, _ depth: Int) throws {
            guard depth <= maxDepth else { return }
            for name in try FileManager.default.contentsOfDirectory(atPath: dir).sorted() {
                let path = dir + "/" + name, boxPath = rel + "/" + name
                var st = stat()
                guard lstat(path, &st) == 0, isSafeRelativePath(boxPath) else { continue }
                switch st.st_mode & S_IFMT {
                case S_IFDIR: try walk(path, boxPath, depth + 1)
                case S_IFREG:
                    total += Int(st.st_size)
                    guard total <= maxTotal, out.count < maxFiles else {
                        throw TooLarge(description: "more than \(maxFiles) files or \(maxTotal >> 20) MiB of catalogs")
                    }
                    guard let data = FileManager.default.contents(atPath: path) else { continue }
                    out.append(.file(path: boxPath, contents: data))
                default: continue // links, devices, FIFOs: never followed, never copied
                }
            }
        }
        var st = stat()
        guard lstat(top, &st) == 0, st.st_mode & S_IFMT == S_IFDIR else { return [] }
        try walk(top, boxDirectory, 0)
        return out
    }
}

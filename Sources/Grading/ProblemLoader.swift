// ProblemLoader: strict reading of problem.yml. Unknown keys are errors here too: a typo such
// as `visiblity: hidden` would otherwise publish hidden tests (docs/reference/common.md, "Files").
import Foundation
import Languages
import Sandbox

/// Loads and validates a problem directory or `.yml` file.
public enum ProblemLoader {
    static let topKeys = ["schema", "title", "mode", "extends", "languages", "language", "default_language", "main", "submission",
                          "support_files", "limits", "compile", "checker", "tests", "select", "scoring", "feedback", "gradelib"]
    /// Keys that mean nothing to `mode: gradelib` (its grader.py holds the tests): reported, not ignored.
    static let nativeOnlyKeys = ["main", "submission", "support_files", "compile", "checker", "tests", "select", "scoring"]
    static let entryKeys = ["name", "in", "stdin", "out", "expect", "args", "files", "points", "visibility", "checker", "limits",
                            "depends_on", "glob", "group", "tests", "all_or_nothing", "unit"]

    /// Loads `path` (a directory holding problem.yml, or a .yml file). Every file of the problem,
    /// problem.yml and `extends` included, is read through ProblemFiles: beneath the problem
    /// directory, never through a link (docs/problems.md).
    public static func load(path: String, displayName: String? = nil) throws -> Problem {
        var isDir: ObjCBool = false
        FileManager.default.fileExists(atPath: path, isDirectory: &isDir)
        let dir = isDir.boolValue ? path : (path as NSString).deletingLastPathComponent
        let name = isDir.boolValue ? "problem.yml" : (path as NSString).lastPathComponent
        let shownDir = displayName.map { isDir.boolValue ? $0 : ($0 as NSString).deletingLastPathComponent } ?? dir
        let listing = ProblemFiles.list(dir)
        return try load(dir: dir, file: name, shownDir: shownDir, files: listing.files, refused: listing.refused, depth: 0)
    }

    /// Loads the problem file `file` (relative to the problem directory `dir`).
    static func load(dir: String, file: String, shownDir: String, files: [String], refused: [ProblemFileError], depth: Int) throws -> Problem {
        let shown = shownDir.isEmpty ? file : shownDir + "/" + file
        let data: Data
        func fail(_ message: String) throws -> Never {
            let d = YAMLDocument(file: shown, text: "")
            d.report(nil, "", message)
            try d.check()
            fatalError("unreachable: an issue was reported")
        }
        do { data = try ProblemFiles.read(file, in: dir, max: 1 << 20) } catch let e as ProblemFileError { try fail("cannot be read: \(e.reason)") }
        guard let text = String(data: data, encoding: .utf8) else { try fail("the file is not valid UTF-8") }
        let doc = YAMLDocument(file: shown, text: text)
        for r in refused {
            doc.report(nil, "", "\(r.path) \(r.reason)", hint: "a problem directory may hold only regular files and directories")
        }
        var p = Problem(directory: dir, file: shown, title: URL(fileURLWithPath: dir.isEmpty ? FileManager.default.currentDirectoryPath : dir).lastPathComponent)
        p.files = files
        if let top = doc.top?.mapping(keys: topKeys) {
            // `extends`: load that problem file first; this file's top-level keys replace its keys whole.
            // Its path is relative to this file's directory; every path inside either file is relative
            // to the problem directory.
            if let e = top["extends"], let rel = e.string() {
                let joined = (file as NSString).deletingLastPathComponent.isEmpty ? rel : (file as NSString).deletingLastPathComponent + "/" + rel
                if depth >= 4 { e.report("extends is nested too deeply (or loops)") }
                else if let why = ProblemFiles.textProblem(rel) ?? ProblemFiles.problem(joined, in: dir) {
                    e.report("\"\(rel)\" must be a file inside the problem directory: \(why)")
                } else {
                    do {
                        let base = try load(dir: dir, file: joined, shownDir: shownDir, files: files, refused: [], depth: depth + 1)
                        p = base
                        p.file = shown
                    } catch let errors as ConfigErrors {
                        e.report("the extended file has errors: " + errors.issues.map(\.description).joined(separator: "; "))
                    }
                }
            }
            read(top, into: &p, doc: doc)
        }
        else if doc.top == nil && doc.issues.isEmpty { doc.report(nil, "", "the file is empty") }
        try doc.check()
        return p
    }

    static func read(_ top: YMapping, into p: inout Problem, doc: YAMLDocument) {
        if let s = top.require("schema"), let v = s.string(), v != "polygrader.problem/v1" {
            s.report("unknown schema \"\(v)\"", hint: "expected polygrader.problem/v1")
        }
        if let t = top["title"]?.string() { p.title = t }
        if let m = top["mode"], let v = m.string() {
            if let mode = Problem.Mode(rawValue: v) { p.mode = mode } else { m.report("expected native or gradelib") }
        }
        if p.mode == .gradelib {
            readGradelib(top, into: &p)
            return
        }
        if let g = top["gradelib"] { g.report("gradelib is only read with mode: gradelib") }
        let fresh = Problem(directory: p.directory, file: p.file, title: p.title)
        if top.has("languages") { p.languages = top["languages"]?.stringList() }
        if top.has("language") { p.language = top["language"]?.string() }
        if top.has("default_language") { p.defaultLanguage = top["default_language"]?.string() }
        if top.has("main") { p.main = [:]; p.mainAll = nil }
        if top.has("submission") {
            p.source = fresh.source; p.filename = nil; p.filenamePerLanguage = [:]; p.maxResponse = fresh.maxResponse
            p.maxFiles = fresh.maxFiles; p.maxFileSize = fresh.maxFileSize; p.maxTotalSize = fresh.maxTotalSize
            p.requiredFiles = []; p.ignore = fresh.ignore; p.archive = fresh.archive
        }
        if top.has("support_files") { p.supportFiles = [] }
        if top.has("compile") { p.extraArgs = [:]; p.extraArgsAll = [] }
        if top.has("tests") { p.items = []; p.groups = [] }
        if top.has("scoring") { p.scoringMode = .sum; p.passThreshold = 1; p.maxPoints = nil; p.stopOnFailure = false }
        if let m = top["main"] {
            if case .scalar = m.node { p.mainAll = m.string() } else { for (k, v) in m.freeMapping() ?? [] { p.main[k] = v.string() } }
        }
        if let s = top["submission"]?.mapping(keys: ["from", "filename", "max_response", "max_files", "max_file_size", "max_total_size",
                                                    "required_files", "ignore", "archives"]) {
            if let f = s["from"], let v = f.string() {
                if let src = Problem.SubmissionSource(rawValue: v) { p.source = src } else { f.report("expected response, files or either") }
            }
            if let f = s["filename"] {
                if case .scalar = f.node { p.filename = f.string() } else { for (k, v) in f.freeMapping() ?? [] { p.filenamePerLanguage[k] = v.string() } }
                for name in [p.filename].compactMap({ $0 }) + Array(p.filenamePerLanguage.values) {
                    if let why = boxNameProblem(name) { f.report("\"\(name)\" \(why)") }
                }
            }
            if let v = s["max_response"]?.size() { p.maxResponse = v }
            if let v = s["max_files"]?.int(min: 1) { p.maxFiles = v }
            if let v = s["max_file_size"]?.size() { p.maxFileSize = v }
            if let v = s["max_total_size"]?.size() { p.maxTotalSize = v }
            p.requiredFiles = s["required_files"]?.stringList() ?? []
            if let v = s["ignore"]?.stringList() { p.ignore = v }
            if let a = s["archives"]?.mapping(keys: ["extract", "max_entries", "max_unpacked", "max_entry_size", "max_depth", "max_path",
                                                    "nested", "strip_single_root"]) {
                if let v = a["extract"]?.bool() { p.archive.extract = v }
                if let v = a["max_entries"]?.int(min: 1) { p.archive.maxEntries = v }
                if let v = a["max_unpacked"]?.size() { p.archive.maxUnpacked = v }
                if let v = a["max_entry_size"]?.size() { p.archive.maxEntrySize = v }
                if let v = a["max_depth"]?.int(min: 1) { p.archive.maxDepth = v }
                if let v = a["max_path"]?.int(min: 1) { p.archive.maxPath = v }
                if let v = a["nested"]?.bool() { p.archive.nested = v }
                if let v = a["strip_single_root"]?.bool() { p.archive.stripSingleRoot = v }
            }
        }
        for item in top["support_files"]?.list() ?? [] {
            var entry: (glob: String, to: String, compile: Bool, run: Bool)?
            if case .scalar = item.node, let g = item.string() {
                entry = (g, "", true, true)
            } else if let m = item.mapping(keys: ["from", "to", "steps"]), let g = m.require("from")?.string() {
                let steps = m["steps"]?.stringList() ?? ["compile", "run"]
                entry = (g, m["to"]?.string() ?? "", steps.contains("compile"), steps.contains("run"))
                if let to = m["to"]?.string(), let why = boxNameProblem(to) { m["to"]?.report("\"\(to)\" \(why)") }
            }
            guard let entry else { continue }
            checkPath(entry.glob, item, p)
            checkGlob(entry.glob, item, p, to: entry.to)
            p.supportFiles.append(entry)
        }
        if let l = top["limits"] { p.limits = limitSpec(l) }
        if let c = top["compile"]?.mapping(keys: ["extra_args"]), let e = c["extra_args"] {
            if case .sequence = e.node { p.extraArgsAll = e.stringList() ?? [] } else { for (k, v) in e.freeMapping() ?? [] { p.extraArgs[k] = v.stringList() ?? [] } }
        }
        let defaultChecker = top["checker"].map { checker($0, base: Problem.CheckerSpec(), dir: p.directory) } ?? Problem.CheckerSpec()
        if let tests = (top.has("extends") ? top["tests"] : top.require("tests"))?.list() {
            for t in tests { readEntry(t, into: &p, checker: defaultChecker, limits: [p.limits], group: nil) }
        }
        if top.has("select") { p.select = top["select"]?.stringList() }
        if let s = top["scoring"]?.mapping(keys: ["mode", "pass_threshold", "max_points", "stop_on_failure"]) {
            if let m = s["mode"], let v = m.string() {
                if let mode = Problem.ScoringMode(rawValue: v) { p.scoringMode = mode } else { m.report("expected sum, all-or-nothing or groups") }
            }
            if let t = s["pass_threshold"].flatMap(finite) {
                if t < 0 || t > 1 { s["pass_threshold"]?.report("must be between 0 and 1") } else { p.passThreshold = t }
            }
            p.maxPoints = s["max_points"].flatMap(finite)
            p.stopOnFailure = s["stop_on_failure"]?.bool() ?? false
        }
        if let f = top["feedback"]?.mapping(keys: ["hide_output", "locale", "show_compile_output", "show_compile_warnings", "max_chars",
                                                  "max_bytes", "diff", "show_time_memory", "template"]) {
            p.hideOutput = f["hide_output"]?.bool() ?? false
            p.locale = f["locale"]?.string() ?? "en"
            p.showCompileOutput = f["show_compile_output"]?.bool() ?? true
            p.showCompileWarnings = f["show_compile_warnings"]?.bool() ?? false
            p.maxChars = f["max_chars"]?.int(min: 16) ?? 2000
            p.maxBytes = f["max_bytes"]?.int(min: 4096) ?? 65536
            p.diff = f["diff"]?.bool() ?? true
            p.showTimeMemory = f["show_time_memory"]?.bool() ?? true
            if let t = f["template"] { t.report("feedback templates are not supported yet") }
        }
        validateNames(top, &p)
    }

    /// `mode: gradelib` (docs/reference/problem-yml.md, "Mode gradelib"): the grader and answer files, and of
    /// the native keys only `limits` (cpu, wall, memory, processes, file_size), `feedback` (hide_output,
    /// locale) and the language keys.
    static func readGradelib(_ top: YMapping, into p: inout Problem) {
        for key in nativeOnlyKeys { top[key]?.report("\(key) is not used with mode: gradelib (the tests are grader.py's)") }
        if let g = top["gradelib"]?.mapping(keys: ["grader", "answer"]) {
            if let v = g["grader"]?.string() { p.gradelibGrader = v }
            if let v = g["answer"]?.string() { p.gradelibAnswer = v }
            if let v = g["grader"], !p.gradelibGrader.hasSuffix(".py") { v.report("a gradelib grader is a .py file") }
            if let v = g["answer"] { checkPath(p.gradelibAnswer, v, p) }
        }
        // The grader must exist (a missing answer is the reference's L364 reply, as without problem.yml).
        if let why = ProblemFiles.textProblem(p.gradelibGrader) ?? ProblemFiles.problem(p.gradelibGrader, in: p.directory) {
            (top["gradelib"] ?? top["mode"])?.report("gradelib grader \(p.gradelibGrader) \(why)")
        }
        if let l = top["limits"] {
            p.limits = limitSpec(l)
            var rest = p.limits.base
            rest.cpu = nil; rest.wall = nil; rest.memory = nil; rest.processes = nil; rest.fileSize = nil
            if rest != LimitLayer() || !p.limits.perLanguage.isEmpty {
                l.report("mode gradelib takes cpu, wall, memory, processes and file_size (codejail's limits)")
            }
        }
        if let f = top["feedback"]?.mapping(keys: ["hide_output", "locale"]) {
            p.hideOutput = f["hide_output"]?.bool() ?? false
            p.locale = f["locale"]?.string() ?? "en"
        }
    }

    /// A number that is finite: `.nan` or `.inf` would make points and scores meaningless.
    static func finite(_ v: YValue) -> Double? {
        guard let d = v.number() else { return nil }
        guard d.isFinite else { v.report("must be a finite number"); return nil }
        return d
    }

    /// A path or glob in problem.yml: relative, inside the problem directory, as text.
    static func checkPath(_ rel: String, _ v: YValue, _ p: Problem) {
        if let why = ProblemFiles.textProblem(rel) { v.report("\"\(rel)\" must be a relative path inside the problem directory (\(why))") }
    }

    /// A file named in problem.yml: a regular file beneath the problem directory, reached without links.
    static func checkFile(_ rel: String, _ v: YValue, dir: String) {
        if let why = ProblemFiles.textProblem(rel) { v.report("\"\(rel)\" must be a relative path inside the problem directory (\(why))") }
        else if let why = ProblemFiles.problem(rel, in: dir) { v.report("\(rel) \(why)") }
    }

    /// A glob of files that land in a box (support files, unit-test files): it must match a file, and
    /// the box names it gives must be acceptable names (docs/problems.md).
    static func checkGlob(_ glob: String, _ v: YValue, _ p: Problem, to: String) {
        guard ProblemFiles.textProblem(glob) == nil else { return }
        let matches = p.files.filter { PathGlob(glob).matches($0) }
        if matches.isEmpty { v.report("no file matches \"\(glob)\"", hint: "symbolic links are never matched"); return }
        for rel in matches {
            let box = SupportFiles.boxPath(glob: glob, rel: rel, to: to)
            if let why = boxNameProblem(box) { v.report("\(rel) would be placed at \"\(box)\", which \(why)"); return }
        }
    }

    /// Why a name an author gives to a file in a box is not acceptable, or nil.
    static func boxNameProblem(_ name: String) -> String? {
        if !isSafeRelativePath(name) { return "is not a plain relative file name" }
        if hasOptionLikePart(name) { return "has a part starting with \"-\" or \"@\" (tools would read it as an option)" }
        if let part = overlongPart(name) { return "has a part of \(part.utf8.count) bytes (at most \(maxBoxNameBytes))" }
        if name.hasPrefix(LanguageRunner.reportDirectory) { return "starts with \"\(LanguageRunner.reportDirectory)\", reserved for unit-test reports" }
        return nil
    }

    static func limitSpec(_ v: YValue) -> Problem.LimitSpec {
        var spec = Problem.LimitSpec()
        let (layer, m) = LimitLayer.read(v, extraKeys: ["per_language"])
        spec.base = layer
        for (tag, lv) in m?["per_language"]?.freeMapping() ?? [] { spec.perLanguage[tag] = LimitLayer.read(lv).0 }
        return spec
    }

    static func checker(_ v: YValue, base: Problem.CheckerSpec, dir: String) -> Problem.CheckerSpec {
        var c = base
        let types = ["exact", "tokens", "lines", "floats", "unordered", "regex", "custom", "kattis"]
        if case .scalar = v.node, let t = v.string() {
            if !types.contains(t) { v.report("unknown checker \"\(t)\"", hint: types.joined(separator: ", ")) }
            c = Problem.CheckerSpec(); c.type = t
            return c
        }
        guard let m = v.mapping(keys: ["type", "case_sensitive", "trailing_whitespace", "trailing_blank_lines", "abs", "rel", "mode",
                                       "pattern", "match", "flags", "program", "language", "args", "limits"]) else { return c }
        c = Problem.CheckerSpec()
        if let t = m.require("type")?.string() {
            if !types.contains(t) { m["type"]?.report("unknown checker \"\(t)\"", hint: types.joined(separator: ", ")) }
            c.type = t
        }
        if let b = m["case_sensitive"]?.bool() { c.caseSensitive = b }
        if let s = m["trailing_whitespace"]?.string() { c.trailingWhitespaceIgnore = s != "exact" }
        if let s = m["trailing_blank_lines"]?.string() { c.trailingBlankLinesIgnore = s != "exact" }
        if let d = m["abs"].flatMap(finite) { c.abs = d }
        if let d = m["rel"].flatMap(finite) { c.rel = d }
        if let s = m["mode"]?.string() {
            if ["either", "abs", "rel"].contains(s) { c.floatMode = s } else { m["mode"]?.report("expected either, abs or rel") }
        }
        c.pattern = m["pattern"]?.string()
        if let pattern = c.pattern, (try? NSRegularExpression(pattern: pattern)) == nil { m["pattern"]?.report("not a valid regular expression") }
        if let s = m["match"]?.string() { c.matchFull = s != "search" }
        c.regexFlags = m["flags"]?.string() ?? ""
        c.program = m["program"]?.string()
        c.language = m["language"]?.string()
        c.args = m["args"]?.stringList()
        if let l = m["limits"] { c.limits = LimitLayer.read(l).0 }
        if ["custom", "kattis"].contains(c.type) && c.program == nil { m.value.report("a \(c.type) checker needs a program") }
        if let program = c.program, let v = m["program"] {
            checkFile(program, v, dir: dir)
            // The program is compiled in a box under its own name.
            if let why = boxNameProblem((program as NSString).lastPathComponent) { v.report("\"\(program)\" \(why)") }
        }
        return c
    }

    static func visibility(_ v: YValue?, default d: Problem.Visibility) -> Problem.Visibility {
        guard let v, let s = v.string() else { return d }
        guard let vis = Problem.Visibility(rawValue: s) else { v.report("expected visible, summary or hidden"); return d }
        return vis
    }

    static func readEntry(_ v: YValue, into p: inout Problem, checker parentChecker: Problem.CheckerSpec,
                          limits parentLimits: [Problem.LimitSpec], group: String?, groupVisibility: Problem.Visibility? = nil) {
        guard let m = v.mapping(keys: entryKeys) else { return }
        let chk = m["checker"].map { checker($0, base: parentChecker, dir: p.directory) } ?? parentChecker
        let lim = parentLimits + (m["limits"].map { [limitSpec($0)] } ?? [])
        let vis = visibility(m["visibility"], default: groupVisibility ?? .summary)
        let dependsOn = m["depends_on"]?.stringList() ?? []
        let points = m["points"].flatMap(finite)
        if let groupName = m["group"]?.string() {
            guard group == nil else { m["group"]?.report("groups cannot be nested"); return }
            var g = Problem.Group(name: groupName, points: points ?? 1, allOrNothing: m["all_or_nothing"]?.bool() ?? true,
                                  dependsOn: dependsOn, members: [])
            let before = p.items.count
            for t in m.require("tests")?.list() ?? [] { readEntry(t, into: &p, checker: chk, limits: lim, group: groupName, groupVisibility: vis) }
            for case .test(let t) in p.items[before...] { g.members.append(t.name) }
            // Points: all-or-nothing groups share the total; others split it unless tests set theirs.
            let explicit = (m["tests"]?.list() ?? []).contains { $0.mapping(keys: entryKeys)?.has("points") == true }
            if !explicit {
                let share = g.members.isEmpty ? 0 : g.points / Double(g.members.count)
                for i in before..<p.items.count { if case .test(var t) = p.items[i] { t.points = share; p.items[i] = .test(t) } }
            }
            p.groups.append(g)
            return
        }
        if let u = m["unit"]?.mapping(keys: ["framework", "files", "expect_tests", "points_per_test", "weights"]) {
            let name = m.require("name")?.string() ?? "unit"
            var s = Problem.Suite(name: name, framework: u.require("framework")?.string() ?? "", files: u.require("files")?.stringList() ?? [],
                                  expectTests: 0, visibility: vis, limits: lim, dependsOn: dependsOn)
            for f in s.files { checkPath(f, u["files"]!, p); checkGlob(f, u["files"]!, p, to: "") }
            if let pp = u["points_per_test"].flatMap(finite) { s.pointsPerTest = pp }
            for (k, w) in u["weights"]?.freeMapping() ?? [] { s.weights.append((k, finite(w) ?? 1)) }
            if let e = u["expect_tests"]?.int(min: 1) { s.expectTests = e }
            else if !s.weights.isEmpty && s.weights.allSatisfy({ !$0.key.contains("*") && !$0.key.contains("?") }) { s.expectTests = s.weights.count }
            else { u.value.report("expect_tests is required (the number of tests in the suite)") }
            p.items.append(.suite(s))
            return
        }
        var t = Problem.TestCase(name: "", group: group, points: points ?? 1, visibility: vis, checker: chk, limits: lim,
                                 dependsOn: dependsOn, entry: "")
        t.args = m["args"]?.stringList() ?? []
        for (box, path) in m["files"]?.freeMapping() ?? [] {
            if let rel = path.string() { checkFile(rel, path, dir: p.directory); t.files.append((box, rel)) }
            if let why = boxNameProblem(box) { path.report("\"\(box)\" \(why)") }
        }
        if let g = m["glob"]?.mapping(keys: ["in", "out"]) {
            guard let inGlob = g.require("in")?.string() else { return }
            checkPath(inGlob, g["in"]!, p)
            let outPattern = g["out"]?.string()
            let fixed = inGlob.split(separator: "/").prefix { !$0.contains("*") && !$0.contains("?") && !$0.contains("[") }
            let entryName = m["name"]?.string() ?? fixed.last.map(String.init) ?? "tests"
            let matches = p.files.filter { PathGlob(inGlob).matches($0) }.sorted(by: PathGlob.naturalLess)
            if matches.isEmpty { g["in"]?.report("no file matches \"\(inGlob)\"") }
            for input in matches {
                var tc = t
                let stem = ((input as NSString).lastPathComponent as NSString).deletingPathExtension
                let dir = (input as NSString).deletingLastPathComponent
                tc.name = "\(entryName)/\(stem)"
                tc.entry = entryName
                tc.input = input
                if let outPattern {
                    let out = Placeholders.expand(outPattern, scalars: ["dir": dir, "stem": stem])
                    if let why = ProblemFiles.textProblem(out) ?? ProblemFiles.problem(out, in: p.directory) {
                        g["out"]?.report("\(out) (for \(input)) \(why)")
                    }
                    tc.output = out
                }
                p.items.append(.test(tc))
            }
            return
        }
        t.name = m.require("name")?.string() ?? "test"
        t.entry = t.name
        t.input = m["in"]?.string()
        t.stdin = m["stdin"]?.string()
        t.output = m["out"]?.string()
        t.expect = m["expect"]?.string()
        for (key, rel) in [("in", t.input), ("out", t.output)] {
            if let rel { checkFile(rel, m[key]!, dir: p.directory) }
        }
        if t.output == nil && t.expect == nil && !["custom", "kattis", "regex"].contains(chk.type) {
            m.value.report("a test needs `out` or `expect` (only custom, kattis and regex checkers may omit it)")
        }
        p.items.append(.test(t))
    }

    static func validateNames(_ top: YMapping, _ p: inout Problem) {
        var names = Set<String>()
        var entries = Set<String>(p.groups.map(\.name))
        for item in p.items {
            switch item {
            case .test(let t):
                if !names.insert(t.name).inserted { top["tests"]?.report("duplicate test name \"\(t.name)\"") }
                entries.insert(t.entry)
            case .suite(let s):
                if !names.insert(s.name).inserted { top["tests"]?.report("duplicate test name \"\(s.name)\"") }
                entries.insert(s.name)
            }
        }
        let known = names.union(entries)
        var deps: [(String, [String])] = p.groups.map { ($0.name, $0.dependsOn) }
        for item in p.items {
            if case .test(let t) = item { deps.append((t.entry, t.dependsOn)) }
            if case .suite(let s) = item { deps.append((s.name, s.dependsOn)) }
        }
        for (_, ds) in deps { for d in ds where !known.contains(d) { top["tests"]?.report("depends_on names an unknown test \"\(d)\"") } }
        for s in p.select ?? [] where !known.contains(s) { top["select"]?.report("select names an unknown test \"\(s)\"") }
        // Cycles: follow depends_on from every entry.
        let graph = Dictionary(deps, uniquingKeysWith: { $0 + $1 })
        func cyclic(_ n: String, _ seen: Set<String>) -> Bool {
            if seen.contains(n) { return true }
            return (graph[n] ?? []).contains { cyclic($0, seen.union([n])) }
        }
        for n in graph.keys where cyclic(n, []) { top["tests"]?.report("depends_on has a cycle through \"\(n)\""); break }
    }
}

// ProfileLoader: strict reading of languages/*.yml: unknown keys, wrong types, bad placeholders,
// missing sandboxes and limits above ceilings are errors with file:line:column (docs/reference/common.md, "Error
// messages").
import Foundation
import Sandbox

/// Loads and validates language profiles against the sandbox catalog.
public enum ProfileLoader {
    static let tagPattern = try! NSRegularExpression(pattern: "^[a-z][a-z0-9_-]*$")
    static let aliasPattern = try! NSRegularExpression(pattern: "^[a-z][a-z0-9_+#-]*$")

    static func matches(_ re: NSRegularExpression, _ s: String) -> Bool {
        re.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil
    }

    /// Loads one file; `displayName` is used in messages.
    public static func load(path: String, displayName: String? = nil, sandboxes: SandboxCatalog) throws -> LanguageProfile {
        let doc: YAMLDocument
        do { doc = try YAMLDocument.load(path: path, displayName: displayName) } catch let e as ConfigErrors { throw LanguageError.invalid(e) }
        let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let profile = parse(doc, stem: stem, sandboxes: sandboxes)
        do { try doc.check() } catch let e as ConfigErrors { throw LanguageError.invalid(e) }
        var p = profile!
        p.file = displayName ?? path
        return p
    }

    static func parse(_ doc: YAMLDocument, stem: String, sandboxes: SandboxCatalog) -> LanguageProfile? {
        guard let top = doc.top?.mapping(keys: ["schema", "name", "display_name", "aliases", "extensions", "priority", "toolchain",
                                                "version", "source", "compile", "run", "feedback", "self_test", "frameworks"]) else {
            if doc.top == nil && doc.issues.isEmpty { doc.report(nil, "", "the file is empty") }
            return nil
        }
        if let s = top.require("schema"), let v = s.string(), v != "polygrader.language/v1" {
            s.report("unknown schema \"\(v)\"", hint: "expected polygrader.language/v1")
        }
        let name = top.require("name")?.string() ?? stem
        if name != stem { top["name"]?.report("name \"\(name)\" must equal the file name \"\(stem)\"") }
        if !matches(tagPattern, name) { top["name"]?.report("\"\(name)\" is not a tag ([a-z][a-z0-9_-]*)") }
        let aliases = (top["aliases"]?.stringList() ?? []).map { $0.lowercased() }
        for a in aliases where !matches(aliasPattern, a) { top["aliases"]?.report("\"\(a)\" is not a valid alias") }
        let extensions = top.require("extensions")?.stringList() ?? []
        for e in extensions where !e.hasPrefix(".") { top["extensions"]?.report("\"\(e)\" must start with a dot") }

        // Toolchain first: its keys are placeholders everywhere else.
        var tools: [String: LanguageProfile.Tool] = [:]
        var toolOrder: [String] = []
        let reserved: Set<String> = ["workdir", "tmp", "main", "mainclass", "binary", "memory_mb", "memory_kb", "report", "report_dir", "nonce",
                                     "input", "expected", "output", "feedback_dir", "sources", "args", "extra_args", "tests", "prefix"]
        if let tc = top.require("toolchain")?.freeMapping() {
            for (key, value) in tc {
                if !matches(try! NSRegularExpression(pattern: "^[a-z][a-z0-9_]*$"), key) || reserved.contains(key) {
                    value.report("\"\(key)\" cannot be a toolchain key (lowercase, not a built-in placeholder name)")
                    continue
                }
                guard let m = value.mapping(keys: ["search", "resolve", "exec", "optional"]) else { continue }
                let tool = LanguageProfile.Tool(search: m.require("search")?.stringList() ?? [], resolve: m["resolve"]?.stringList(),
                                                exec: m["exec"]?.string(), optional: m["optional"]?.bool() ?? false)
                tools[key] = tool
                toolOrder.append(key)
            }
        }
        let keys = Set(tools.keys)
        func checkArgv(_ v: YValue?, _ argv: [String], _ ctx: PlaceholderContext) {
            for el in argv { for p in Placeholders.problems(in: el, context: ctx, toolKeys: keys, isArgv: true) { v?.report(p) } }
        }
        func checkString(_ v: YValue?, _ s: String, _ ctx: PlaceholderContext) {
            for p in Placeholders.problems(in: s, context: ctx, toolKeys: keys, isArgv: false) { v?.report(p) }
        }
        for (key, tool) in tools {
            if let r = tool.resolve { checkArgv(top["toolchain"], r, .resolve) }
            if let e = tool.exec { checkString(top["toolchain"], e, .exec) }
            _ = key
        }

        var version = LanguageProfile.Version(command: [], regex: "")
        if let vm = top.require("version")?.mapping(keys: ["command", "regex", "from"]) {
            version.command = vm.require("command")?.stringList() ?? []
            checkArgv(vm["command"], version.command, .version)
            version.regex = vm.require("regex")?.string() ?? ""
            if (try? NSRegularExpression(pattern: version.regex)) == nil { vm["regex"]?.report("not a valid regular expression") }
            if let f = vm["from"], let v = f.string() {
                if ["stdout", "stderr", "any"].contains(v) { version.from = v } else { f.report("expected stdout, stderr or any") }
            }
        }

        var source = LanguageProfile.Source(defaultFilename: "", patterns: extensions.map { "**/*\($0)" })
        if let sm = top.require("source")?.mapping(keys: ["default_filename", "patterns", "main", "main_class", "newlines"]) {
            source.defaultFilename = sm.require("default_filename")?.string() ?? ""
            checkString(sm["default_filename"], source.defaultFilename, .defaultFilename)
            if let p = sm["patterns"]?.stringList() { source.patterns = p }
            source.main = sm["main"]?.stringList() ?? []
            if let mc = sm["main_class"]?.mapping(keys: ["detect", "fallback"]) {
                if let d = mc["detect"], let v = d.string() {
                    if v == "public-static-main" { source.detectMainClass = true } else if v != "none" { d.report("expected public-static-main or none") }
                }
                if let f = mc["fallback"]?.string() { source.mainClassFallback = f }
            }
            if let nl = sm["newlines"], let v = nl.string() {
                if v == "keep" { source.keepNewlines = true } else if v != "lf" { nl.report("expected lf or keep") }
            }
        }

        func step(_ v: YValue?, isCompile: Bool) -> LanguageProfile.Step? {
            var keys = ["command", "sandbox", "env", "limits", "readable", "memory_enforcement", "address_space_grace", "memory_overhead"]
            keys += isCompile ? ["binary", "artifacts", "service"] : ["max_limits", "time_factor", "class_data_sharing"]
            guard let m = v?.mapping(keys: keys) else { return nil }
            let cmd = m.require("command")?.stringList() ?? []
            checkArgv(m["command"], cmd, isCompile ? .compile : .run)
            let sandboxName = m.require("sandbox")?.string() ?? ""
            var s = LanguageProfile.Step(command: cmd, sandbox: sandboxName)
            if !sandboxName.isEmpty && sandboxes[sandboxName] == nil {
                m["sandbox"]?.report("unknown sandbox profile \"\(sandboxName)\"", hint: "available: \(sandboxes.profiles.keys.sorted().joined(separator: ", "))")
            }
            if let env = m["env"]?.freeMapping() {
                for (k, val) in env { if let t = val.string() { s.env[k] = t; checkString(val, t, .env) } }
            }
            if let l = m["limits"] { s.limits = LimitLayer.read(l).0 }
            if let l = m["max_limits"] { s.maxLimits = LimitLayer.read(l).0 }
            if let t = m["time_factor"]?.number() { s.timeFactor = t }
            if let c = m["class_data_sharing"] {
                s.classDataSharing = c.bool() ?? false
                if s.classDataSharing && (tools["java"] == nil || tools["javac"] == nil) { c.report("needs the toolchain keys java and javac") }
            }
            if let r = m["readable"]?.list() {
                for item in r {
                    if case .scalar = item.node, let p = item.string() { s.readable.append(.init(path: p, optional: false)) }
                    else if let im = item.mapping(keys: ["path", "optional"]), let p = im.require("path")?.string() {
                        s.readable.append(.init(path: p, optional: im["optional"]?.bool() ?? false))
                    }
                }
            }
            if let me = m["memory_enforcement"], let v = me.string() {
                if v == "rlimit-as" { s.rlimitAS = true } else if v != "cgroup-only" { me.report("expected cgroup-only or rlimit-as") }
                if let sb = sandboxes[sandboxName], !sb.memoryEnforcement.contains(v) {
                    me.report("sandbox \(sandboxName) does not allow \(v)")
                }
            }
            if let g = m["address_space_grace"]?.size() { s.addressSpaceGrace = g }
            if let o = m["memory_overhead"]?.size() { s.memoryOverhead = o }
            if let b = m["binary"]?.string() { s.binary = b }
            if let sv = m["service"]?.mapping(keys: ["kind", "runtime", "recycle_after"]) {
                var service = LanguageProfile.CompileService()
                if let k = sv["kind"], let v = k.string() {
                    if v == "javac" { service.kind = v } else { k.report("expected javac (the one compile service there is)") }
                }
                if let r = sv["runtime"], let v = r.string() {
                    service.runtime = v
                    if tools[v] == nil { r.report("unknown toolchain key \"\(v)\"") }
                }
                if let r = sv["recycle_after"], let v = r.number() {
                    if v >= 1 && v <= 1000 && v == v.rounded() { service.recycleAfter = Int(v) } else { r.report("expected a whole number from 1 to 1000") }
                }
                s.service = service
            }
            if let a = m["artifacts"] {
                s.artifacts = a.stringList() ?? []
                checkArgv(a, s.artifacts, .artifacts)
            }
            // Ceilings: limits ≤ max_limits ≤ the sandbox's ceiling (errors, never clamps).
            if let sb = sandboxes[sandboxName] {
                let ceilingName = "sandbox \(sandboxName)'s ceiling"
                if let max = s.maxLimits {
                    for x in max.violations(of: sb.ceiling, ceilingName: ceilingName) { m["max_limits"]?.report("\(x.key): \(x.message)") }
                }
                let cap = s.maxLimits.map { sb.ceiling.overlaid(by: $0) } ?? sb.ceiling
                for x in s.limits.violations(of: cap, ceilingName: s.maxLimits == nil ? ceilingName : "max_limits") {
                    m["limits"]?.report("\(x.key): \(x.message)")
                }
            }
            return s
        }
        let compile = top["compile"].flatMap { step($0, isCompile: true) }
        let run = step(top.require("run"), isCompile: false)

        var feedback = LanguageProfile.Feedback()
        if let fm = top["feedback"]?.mapping(keys: ["exception", "memory_error", "signal_names", "stderr_tail"]) {
            feedback.exception = fm["exception"]?.string()
            if let e = feedback.exception, (try? NSRegularExpression(pattern: e, options: [.anchorsMatchLines])) == nil {
                fm["exception"]?.report("not a valid regular expression")
            }
            feedback.memoryError = fm["memory_error"]?.stringList() ?? []
            for r in feedback.memoryError where (try? NSRegularExpression(pattern: r)) == nil { fm["memory_error"]?.report("not a valid regular expression: \(r)") }
            for (k, v) in fm["signal_names"]?.freeMapping() ?? [] { feedback.signalNames[k] = v.string() }
            if let t = fm["stderr_tail"]?.int() { feedback.stderrTail = t }
        }

        var selfTest = LanguageProfile.SelfTest(source: "")
        if let st = top.require("self_test")?.mapping(keys: ["source", "filename", "stdin", "expect_stdout", "expect_stderr_empty", "limits"]) {
            selfTest.source = st.require("source")?.string() ?? ""
            selfTest.filename = st["filename"]?.string()
            if let s = st["stdin"]?.string() { selfTest.stdin = s }
            selfTest.expectStdout = st["expect_stdout"]?.string()
            if let b = st["expect_stderr_empty"]?.bool() { selfTest.expectStderrEmpty = b }
            if let l = st["limits"] { selfTest.limits = LimitLayer.read(l).0 }
        }

        var frameworks: [String: LanguageProfile.Framework] = [:]
        for (fname, fv) in top["frameworks"]?.freeMapping() ?? [] {
            guard let fm = fv.mapping(keys: ["requires", "probe", "compile_args", "command", "env", "limits", "sandbox", "report"]) else { continue }
            var f = LanguageProfile.Framework(command: fm.require("command")?.stringList() ?? [], reportFormat: "")
            checkArgv(fm["command"], f.command, .framework)
            f.requires = fm["requires"]?.stringList() ?? []
            for r in f.requires where tools[r] == nil { fm["requires"]?.report("unknown toolchain key \"\(r)\"") }
            f.probe = fm["probe"]?.stringList()
            if let p = f.probe { checkArgv(fm["probe"], p, .probe) }
            f.compileArgs = fm["compile_args"]?.stringList() ?? []
            checkArgv(fm["compile_args"], f.compileArgs, .compile)
            for (k, v) in fm["env"]?.freeMapping() ?? [] { if let t = v.string() { f.env[k] = t; checkString(v, t, .env) } }
            if let l = fm["limits"] { f.limits = LimitLayer.read(l).0 }
            f.sandbox = fm["sandbox"]?.string()
            if let rm = fm.require("report")?.mapping(keys: ["format", "path"]) {
                f.reportFormat = rm.require("format")?.string() ?? ""
                if !["junit-xml", "check-xml", "tap", "exit-code"].contains(f.reportFormat) {
                    rm["format"]?.report("expected junit-xml, check-xml, tap or exit-code")
                }
                if let p = rm["path"]?.string() { f.reportPath = p; checkString(rm["path"], p, .framework) }
            }
            frameworks[fname] = f
        }

        guard let run else { return nil }
        var p = LanguageProfile(name: name, displayName: top["display_name"]?.string() ?? name, version: version, source: source,
                                compile: compile, run: run, selfTest: selfTest)
        p.aliases = aliases
        p.extensions = extensions
        p.priority = top["priority"]?.int(min: Int.min) ?? 0
        p.toolchain = tools
        p.toolOrder = toolOrder
        p.feedback = feedback
        p.frameworks = frameworks
        return p
    }
}

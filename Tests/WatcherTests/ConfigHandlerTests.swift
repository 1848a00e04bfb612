// HANDLER names, KWARGS and the CODEJAIL block mapped onto LegacySettings.
import Foundation
import Sandbox
import Testing
@testable import Watcher

@Suite("Watcher config: handlers and CODEJAIL")
struct ConfigHandlerTests {
    private func handler(_ json: String, cwd: String = "/srv") throws -> (HandlerConfiguration, [String]) {
        let tree = try ConfigTree(["conf.d/course.json": #"{"test-123": {"HANDLERS": [\#(json)]}}"#])
        let config = try WatcherConfiguration.load(path: tree.root, environment: ConfigEnvironment(processorCount: 1, currentDirectory: cwd))
        return (config.queues[0].handler, config.warningTexts)
    }

    private func error(_ json: String) throws -> String? {
        try ConfigTree(["conf.d/course.json": #"{"test-123": {"HANDLERS": [\#(json)]}}"#]).error()
    }

    @Test("the handler names map as docs/watcher-config.md says")
    func names() throws {
        let names: [(String, HandlerConfiguration.Kind)] = [
            ("xqueue_watcher.jailedgrader.JailedGrader", .jailed),
            ("xqueue_watcher.grader.Grader", .multiLanguage),
            ("polygrader", .multiLanguage),
            ("polygrader.Grader", .multiLanguage),
        ]
        for (name, kind) in names {
            let (h, warnings) = try handler(#"{"HANDLER": "\#(name)", "KWARGS": {"grader_root": "/tmp"}}"#)
            #expect(h.kind == kind, "\(name)")
            #expect(h.name == name)
            #expect(warnings.isEmpty)
        }
    }

    @Test("ContainerGrader is refused as not supported; any other name as unknown")
    func refusedNames() throws {
        #expect(try error(#"{"HANDLER": "xqueue_watcher.containergrader.ContainerGrader", "KWARGS": {"grader_root": "/tmp"}}"#)
            == "conf.d/course.json: queue \"test-123\": HANDLERS[0].HANDLER: xqueue_watcher.containergrader.ContainerGrader "
                + "is not supported: polygrader grades in its own jail, not in containers; use xqueue_watcher.grader.Grader or polygrader")
        #expect(try error(#"{"HANDLER": "mycourse.graders.SpecialGrader", "KWARGS": {"grader_root": "/tmp"}}"#)
            == "conf.d/course.json: queue \"test-123\": HANDLERS[0].HANDLER: unknown handler \"mycourse.graders.SpecialGrader\" "
                + "(use xqueue_watcher.jailedgrader.JailedGrader, xqueue_watcher.grader.Grader or polygrader)")
        #expect(try error(#"{"KWARGS": {"grader_root": "/tmp"}}"#) == "conf.d/course.json: queue \"test-123\": HANDLERS[0].HANDLER: missing")
        #expect(try error(#""polygrader""#) == "conf.d/course.json: queue \"test-123\": HANDLERS[0]: expected an object, found a string")
    }

    @Test("KWARGS.grader_root is required: xqueue-watcher's silent /tmp/ default would grade against the wrong directory")
    func graderRootRequired() throws {
        #expect(try error(#"{"HANDLER": "polygrader", "KWARGS": {}}"#)
            == "conf.d/course.json: queue \"test-123\": HANDLERS[0].KWARGS.grader_root: missing")
        #expect(try error(#"{"HANDLER": "polygrader"}"#)
            == "conf.d/course.json: queue \"test-123\": HANDLERS[0].KWARGS.grader_root: missing")
        #expect(try error(#"{"HANDLER": "polygrader", "KWARGS": {"grader_root": ""}}"#)
            == "conf.d/course.json: queue \"test-123\": HANDLERS[0].KWARGS.grader_root: must not be empty")
    }

    @Test("a relative grader_root is taken from the current directory, as xqueue-watcher does")
    func relativeRoot() throws {
        let (h, _) = try handler(#"{"HANDLER": "polygrader", "KWARGS": {"grader_root": "../tmp/./"}}"#, cwd: "/usr")
        #expect(h.graderRoot == "/tmp")
    }

    @Test("other KWARGS are kept; xqueue-watcher's own pass silently, unknown ones warn")
    func options() throws {
        let (h, warnings) = try handler(#"{"HANDLER": "polygrader", "KWARGS": {"grader_root": "/tmp", "fork_per_item": false, "color": "red"}}"#)
        #expect(h.options == [ConfigEntry("color", .string("red")), ConfigEntry("fork_per_item", .bool(false))])
        #expect(warnings == ["conf.d/course.json: queue \"test-123\": HANDLERS[0].KWARGS.color: unknown option, ignored"])
    }

    @Test("every codejail limit maps onto its polygrader name; python_bin is bin_path's synonym; lang is ignored")
    func limits() throws {
        let (h, warnings) = try handler("""
            {"HANDLER": "xqueue_watcher.jailedgrader.JailedGrader", "KWARGS": {"grader_root": "/tmp"},
             "CODEJAIL": {"name": "py", "python_bin": "/bin/sh", "lang": "python3",
                          "limits": {"CPU": 3, "REALTIME": 9.5, "VMEM": 268435456, "FSIZE": 1048576, "NPROC": 20}}}
            """)
        let expected = LimitLayer(cpu: 3, wall: 9.5, memory: 268435456, processes: 20, fileSize: 1048576)
        #expect(h.codejail == CodejailSettings(name: "py", python: "/bin/sh", limits: expected))
        #expect(h.legacySettings().python == "/bin/sh")
        #expect(h.legacySettings().limits == expected)
        #expect(warnings.isEmpty)
    }

    @Test("codejail's 0 means no limit: time limits take our ceiling (with a warning), VMEM none, FSIZE stays 0")
    func zeroLimits() throws {
        let (h, warnings) = try handler("""
            {"HANDLER": "polygrader", "KWARGS": {"grader_root": "/tmp"},
             "CODEJAIL": {"bin_path": "/bin/sh", "limits": {"CPU": 0, "REALTIME": 0, "VMEM": 0, "FSIZE": 0, "PROXY": 1, "STACK": 5}}}
            """)
        #expect(h.codejail?.limits == LimitLayer(cpu: 120, wall: 600, fileSize: 0))
        #expect(warnings == [
            "conf.d/course.json: queue \"test-123\": HANDLERS[0].CODEJAIL.limits.CPU: 0 means no limit to codejail; polygrader uses its ceiling, 120 s",
            "conf.d/course.json: queue \"test-123\": HANDLERS[0].CODEJAIL.limits.REALTIME: 0 means no limit to codejail; polygrader uses its ceiling, 600 s",
            "conf.d/course.json: queue \"test-123\": HANDLERS[0].CODEJAIL.limits.PROXY: ignored: runs have no network, so no proxy",
            "conf.d/course.json: queue \"test-123\": HANDLERS[0].CODEJAIL.limits.STACK: unknown limit, ignored (known: CPU, REALTIME, VMEM, FSIZE, NPROC, PROXY)",
        ])
    }

    @Test("a limit of the wrong type, negative or above our ceiling is an error")
    func badLimits() throws {
        func limitError(_ limits: String) throws -> String? {
            try error(#"{"HANDLER": "polygrader", "KWARGS": {"grader_root": "/tmp"}, "CODEJAIL": {"bin_path": "/bin/sh", "limits": {\#(limits)}}}"#)
        }
        let at = "conf.d/course.json: queue \"test-123\": HANDLERS[0].CODEJAIL.limits."
        #expect(try limitError(#""CPU": "2""#) == at + "CPU: expected a number, found a string")
        #expect(try limitError(#""REALTIME": -1"#) == at + "REALTIME: must be at least 0")
        #expect(try limitError(#""CPU": 500"#) == at + "CPU: 500 s is above polygrader's ceiling (120 s)")
        #expect(try limitError(#""VMEM": 1.5"#) == at + "VMEM: expected a whole number, found a number")
        #expect(try limitError(#""VMEM": 17179869184"#) == at + "VMEM: 17179869184 bytes is above polygrader's ceiling (8 GiB)")
        #expect(try limitError(#""NPROC": 0"#) == at + "NPROC: must be at least 1")
        #expect(try limitError(#""NPROC": 5000"#) == at + "NPROC: 5000 is above polygrader's ceiling (1024)")
    }

    @Test("CODEJAIL without bin_path runs legacy problems with Debian's python3; bin_path wins over python_bin; unknown keys warn")
    func pythonChoice() throws {
        let (h, warnings) = try handler(#"{"HANDLER": "polygrader", "KWARGS": {"grader_root": "/tmp"}, "CODEJAIL": {"name": "x"}, "TIMEOUT": 5}"#)
        #expect(h.codejail == CodejailSettings(name: "x", python: nil))
        #expect(h.legacySettings().python == "/usr/bin/python3")
        #expect(warnings == [
            "conf.d/course.json: queue \"test-123\": HANDLERS[0].CODEJAIL.bin_path: missing: legacy problems of this handler run with /usr/bin/python3",
            "conf.d/course.json: queue \"test-123\": HANDLERS[0].TIMEOUT: unknown key, ignored",
        ])
        let (both, bothWarnings) = try handler(#"{"HANDLER": "polygrader", "KWARGS": {"grader_root": "/tmp"}, "CODEJAIL": {"bin_path": "/bin/sh", "python_bin": "/bin/false"}}"#)
        #expect(both.legacySettings().python == "/bin/sh")
        #expect(bothWarnings == ["conf.d/course.json: queue \"test-123\": HANDLERS[0].CODEJAIL.python_bin: bin_path is also given and wins; ignored"])
    }

    @Test("CODEJAIL.user is warned about once per configuration; a missing Python warns")
    func userOnce() throws {
        let jailed = #"{"HANDLER": "polygrader", "KWARGS": {"grader_root": "/tmp"}, "CODEJAIL": {"bin_path": "/bin/sh", "user": "sandbox"}}"#
        let config = try ConfigTree([
            "conf.d/a.json": #"{"one": {"HANDLERS": [\#(jailed)]}, "two": {"HANDLERS": [\#(jailed)]}}"#,
            "conf.d/b.json": #"{"three": {"HANDLERS": [{"HANDLER": "polygrader", "KWARGS": {"grader_root": "/tmp"}, "#
                + #""CODEJAIL": {"bin_path": "/nonexistent/python"}}]}}"#,
        ]).load()
        #expect(config.warningTexts == [
            "conf.d/a.json: queue \"one\": HANDLERS[0].CODEJAIL.user: ignored: every run gets its own slot uid (uid_base + slot)",
            "conf.d/b.json: queue \"three\": HANDLERS[0].CODEJAIL.bin_path: /nonexistent/python is not an executable file: "
                + "legacy problems of this handler fail until it is",
        ])
        #expect(config.queues[2].handler.legacySettings().python == "/nonexistent/python")
    }
}

// Our own POLYGRADER settings: every key, per-queue overrides, and strictness.
import Foundation
import Testing
@testable import Watcher

@Suite("Watcher config: POLYGRADER settings")
struct ConfigPolygraderTests {
    private func global(_ json: String) throws -> String? {
        try ConfigTree(["xqwatcher.json": #"{"POLYGRADER": {\#(json)}}"#]).error()
    }

    @Test("every global key is read")
    func everyKey() throws {
        let config = try ConfigTree(["xqwatcher.json": #"""
            {"POLL_INTERVAL": 1, "POLYGRADER": {
              "slots": 6, "uid_base": 70000, "first_slot": 8, "cgroup_root": "/sys/fs/cgroup/polygrader.service",
              "instance": "grader-1", "metrics_address": "127.0.0.1:9464",
              "alert_webhook": {"url": "https://hooks.example.com/alert", "after_seconds": 120},
              "idle_poll_interval": 20, "login_failure_exit_after": 900, "shutdown_grace": 10,
              "download_addresses": ["10.0.0.0/8", "::1"], "min_isolation": "no-cgroup",
              "languages_dir": "/opt/pg/languages", "sandboxes_dir": "/opt/pg/sandboxes", "log_format": "json",
              "score": "points", "files_base_url": "https://files.example.com/", "download_hosts": ["cdn.example.com"],
              "verify_tls": false}}
            """#]).load()
        let p = config.polygrader
        #expect(p.slots == 6)
        #expect(p.uidBase == 70000)
        #expect(p.firstSlot == 8)
        #expect(p.cgroupRoot == "/sys/fs/cgroup/polygrader.service")
        #expect(p.instance == "grader-1")
        #expect(p.metricsAddress?.host == "127.0.0.1")
        #expect(p.metricsAddress?.port == 9464)
        #expect(p.alertWebhook == AlertWebhook(url: URL(string: "https://hooks.example.com/alert")!, afterSeconds: 120))
        #expect(p.idlePollInterval == 20)
        #expect(p.loginFailureExitAfter == 900)
        #expect(p.shutdownGrace == 10)
        #expect(p.downloadAddresses == ["10.0.0.0/8", "::1"])
        #expect(p.minIsolation == .noCgroup)
        #expect(p.languagesDirectory == "/opt/pg/languages")
        #expect(p.sandboxesDirectory == "/opt/pg/sandboxes")
        #expect(config.logging.format == .json)
        #expect(p.queueDefaults.score == .points)
        #expect(p.queueDefaults.filesBaseURL?.absoluteString == "https://files.example.com/")
        #expect(p.queueDefaults.downloadHosts == ["cdn.example.com"])
        #expect(p.queueDefaults.verifyTLS == false)
        #expect(config.warnings.isEmpty)
    }

    @Test("a queue's POLYGRADER block overrides the global one; its download_hosts add to the global ones")
    func perQueue() throws {
        let config = try ConfigTree([
            "xqwatcher.json": #"{"POLYGRADER": {"score": "points", "download_hosts": ["a.example.com"], "verify_tls": false}}"#,
            "conf.d/a.json": queueJSON("own", extra: #""POLYGRADER": {"score": "fraction", "download_hosts": ["b.example.com"], "verify_tls": true, "files_base_url": "http://f.example.com"}"#),
            "conf.d/b.json": queueJSON("inherits"),
        ]).load()
        let own = config.queues[0], inherits = config.queues[1]
        #expect(own.settings.score == .fraction)
        #expect(own.settings.downloadHosts == ["a.example.com", "b.example.com"])
        #expect(own.settings.verifyTLS)
        #expect(config.xqueueConfiguration(for: own).verifyTLS)
        #expect(own.filesBaseURL.absoluteString == "http://f.example.com")
        #expect(inherits.settings.score == .points)
        #expect(inherits.settings.downloadHosts == ["a.example.com"])
        #expect(config.xqueueConfiguration(for: inherits).verifyTLS == false)
        #expect(inherits.filesBaseURL == inherits.server)
    }

    @Test("metrics_address accepts IPv6 in brackets and port 0; login_failure_exit_after null never exits")
    func specialValues() throws {
        let config = try ConfigTree(["xqwatcher.json": #"{"POLYGRADER": {"metrics_address": "[::1]:0", "login_failure_exit_after": null}}"#]).load()
        #expect(config.polygrader.metricsAddress?.host == "::1")
        #expect(config.polygrader.metricsAddress?.port == 0)
        #expect(config.polygrader.metricsAddress?.description == "[::1]:0")
        #expect(config.polygrader.loginFailureExitAfter == nil)
    }

    @Test("the YAML file's POLYGRADER block and a YAML queue's are read the same way")
    func yaml() throws {
        let config = try ConfigTree(["w.yml": """
            POLYGRADER: {slots: 2, score: points}
            CLIENTS:
              - QUEUE_NAME: q
                POLYGRADER: {files_base_url: "http://127.0.0.1:8000/media/"}
                HANDLERS: [{HANDLER: polygrader, KWARGS: {grader_root: /tmp}}]
            """]).load("w.yml")
        #expect(config.polygrader.slots == 2)
        #expect(config.queues[0].settings.score == .points)
        #expect(config.queues[0].filesBaseURL.absoluteString == "http://127.0.0.1:8000/media/")
    }

    @Test("an unknown POLYGRADER key is an error listing the known ones, globally and per queue")
    func unknownKeys() throws {
        #expect(try global(#""slot": 4"#) == "xqwatcher.json: POLYGRADER.slot: unknown key (known: slots, uid_base, first_slot, cgroup_root, instance, "
            + "metrics_address, alert_webhook, idle_poll_interval, login_failure_exit_after, shutdown_grace, download_addresses, "
            + "min_isolation, languages_dir, sandboxes_dir, log_format, score, files_base_url, download_hosts, verify_tls)")
        #expect(try ConfigTree(["conf.d/a.json": queueJSON(extra: #""POLYGRADER": {"slots": 2}"#)]).error()
            == "conf.d/a.json: queue \"q\": POLYGRADER.slots: unknown key (known: score, files_base_url, download_hosts, verify_tls)")
        #expect(try global(#""alert_webhook": {"url": "http://h", "after": 5}"#)
            == "xqwatcher.json: POLYGRADER.alert_webhook.after: unknown key (known: url, after_seconds)")
    }

    @Test("bad values are errors naming the key")
    func badValues() throws {
        let at = "xqwatcher.json: POLYGRADER."
        #expect(try global(#""slots": 0"#) == at + "slots: must be at least 1")
        #expect(try global(#""uid_base": 0"#) == at + "uid_base: must be at least 1000")
        #expect(try global(#""instance": "grader\n1""#) == at + "instance: use at most 64 printable characters")
        #expect(try global(#""instance": """#) == at + "instance: must not be empty")
        #expect(try global(#""first_slot": -1"#) == at + "first_slot: must be at least 0")
        #expect(try global(#""first_slot": 998, "slots": 4"#) == at + "first_slot: first_slot + slots is 1002: polyjail's slots are 0 to 999")
        #expect(try global(#""slots": 1001"#) == at + "slots: first_slot + slots is 1001: polyjail's slots are 0 to 999")
        #expect(try global(#""cgroup_root": "polygrader""#) == at + "cgroup_root: \"polygrader\" is not an absolute path")
        #expect(try global(#""metrics_address": "9464""#) == at + "metrics_address: \"9464\" is not host:port (e.g. 127.0.0.1:9464)")
        #expect(try global(#""metrics_address": "::1:9464""#) == at + "metrics_address: \"::1:9464\" is not host:port (e.g. 127.0.0.1:9464)")
        #expect(try global(#""alert_webhook": {"after_seconds": 60}"#) == at + "alert_webhook.url: missing")
        #expect(try global(#""alert_webhook": {"url": "mailto:ops@example.com"}"#)
            == at + "alert_webhook.url: \"mailto:ops@example.com\" is not an http or https URL")
        #expect(try global(#""idle_poll_interval": 0"#) == at + "idle_poll_interval: must be at least 1")
        #expect(try global(#""shutdown_grace": "30s""#) == at + "shutdown_grace: expected a number, found a string")
        #expect(try global(#""download_addresses": ["localhost"]"#) == at + "download_addresses: \"localhost\" is not an IP address or CIDR block")
        #expect(try global(#""min_isolation": "strict""#) == at + "min_isolation: unknown level \"strict\" (full, no-cgroup or minimal)")
        #expect(try global(#""log_format": "xml""#) == at + "log_format: \"xml\" is not one of: text, json")
        #expect(try global(#""score": "percent""#) == at + "score: \"percent\" is not one of: fraction, points")
        #expect(try global(#""verify_tls": "no""#) == at + "verify_tls: expected true or false, found a string")
        #expect(try global(#""download_hosts": "a.example.com""#) == at + "download_hosts: expected a list, found a string")
        #expect(try ConfigTree(["xqwatcher.json": #"{"POLYGRADER": []}"#]).error() == "xqwatcher.json: POLYGRADER: expected an object, found a list")
    }
}

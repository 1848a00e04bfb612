// logging.json / LOGGING: the dictConfig level that reaches the output, mapped onto swift-log.
import Logging
import Testing
@testable import Watcher

@Suite("Watcher config: logging levels")
struct ConfigLoggingTests {
    private func level(_ json: String) throws -> Logger.Level {
        try ConfigTree(["logging.json": json]).load().logging.level
    }

    @Test("the root level is the threshold when its handlers let everything through")
    func rootLevel() throws {
        #expect(try level(#"{"version": 1, "root": {"level": "INFO"}}"#) == .info)
        #expect(try level(#"{"version": 1, "root": {"level": "DEBUG", "handlers": ["console"]}, "handlers": {"console": {"class": "logging.StreamHandler"}}}"#) == .debug)
        #expect(try level(#"{"version": 1, "root": {"level": "ERROR"}}"#) == .error)
        #expect(try level(#"{"version": 1, "root": {"level": "CRITICAL"}}"#) == .critical)
        #expect(try level(#"{"version": 1, "root": {"level": "NOTSET"}}"#) == .trace)
        #expect(try level(#"{"version": 1, "root": {"level": 25}}"#) == .notice)
        #expect(try level(#"{"version": 1, "root": {"level": "warn"}}"#) == .warning)
    }

    @Test("without a root level Python's root logs WARNING; without a logging file we log INFO")
    func defaults() throws {
        #expect(try level(#"{"version": 1, "formatters": {}}"#) == .warning)
        #expect(try ConfigTree([:]).load().logging.level == .info)
    }

    @Test("the root's handlers raise the threshold to the lowest of their levels")
    func handlerLevels() throws {
        let json = #"""
        {"version": 1,
         "handlers": {"console": {"class": "logging.StreamHandler", "level": "WARNING"},
                      "err": {"class": "logging.StreamHandler", "level": "ERROR"},
                      "unused": {"class": "logging.StreamHandler", "level": "DEBUG"}},
         "loggers": {"": {"handlers": ["console", "err"], "level": "DEBUG"}}}
        """#
        #expect(try level(json) == .warning)
        #expect(try level(#"{"version": 1, "root": {"level": "WARNING", "handlers": ["h"]}, "handlers": {"h": {"class": "logging.StreamHandler", "level": "DEBUG"}}}"#) == .warning)
    }

    @Test("handlers that are not streams are named in one warning")
    func fileHandlers() throws {
        let config = try ConfigTree(["logging.json": #"""
            {"version": 1, "root": {"level": "INFO", "handlers": ["file", "console"]},
             "handlers": {"file": {"class": "logging.handlers.RotatingFileHandler", "filename": "/var/log/x.log"},
                          "console": {"class": "logging.StreamHandler"}}}
            """#]).load()
        #expect(config.logging.level == .info)
        #expect(config.warningTexts == ["logging.json: handlers: only the level of file is used: polygrader writes its log to standard error"])
    }

    @Test("an unknown level name is an error naming the key")
    func unknownLevel() throws {
        #expect(try ConfigTree(["logging.json": #"{"root": {"level": "LOUD"}}"#]).error()
            == "logging.json: root.level: unknown level \"LOUD\" (CRITICAL, ERROR, WARNING, INFO, DEBUG or NOTSET)")
        #expect(try ConfigTree(["w.yml": "LOGGING:\n  root: {level: [1]}\n"]).error("w.yml")
            == "w.yml: LOGGING.root.level: expected a level name, found a list")
    }

    @Test("YAML LOGGING levels, and the log format from POLYGRADER")
    func yaml() throws {
        let config = try ConfigTree(["w.yml": """
            LOGGING:
              version: 1
              handlers:
                console: {class: logging.StreamHandler, level: INFO}
              root: {level: DEBUG, handlers: [console]}
            POLYGRADER: {log_format: json}
            """]).load("w.yml")
        #expect(config.logging == { var l = LoggingSettings(); l.level = .info; l.format = .json; return l }())
    }
}

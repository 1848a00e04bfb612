// IntakeError's two voices: learner text names the file and rule, staff text adds what only staff may see.
import Intake
import Testing

@Suite("Intake error messages")
struct IntakeErrorTests {
    @Test("caps are written in binary units")
    func sizes() {
        #expect(IntakeError.archiveTooLarge(archive: "a.zip", limit: 32 << 20).learnerMessage
                == "Your archive \"a.zip\" was rejected: it unpacks to more than 32 MiB in total.")
        #expect(IntakeError.fileTooLarge(name: "x.bin", limit: 1536).learnerMessage
                == "The file \"x.bin\" is larger than 1.5 KiB, the limit for one file.")
        #expect(IntakeError.uploadsTooLarge(limit: 100).learnerMessage == "Your files are larger than 100 bytes together, the limit for a submission.")
    }

    @Test("a damaged archive shows libarchive's words to staff only")
    func damaged() {
        let error = IntakeError.damagedArchive(archive: "a.tgz", detail: "Truncated tar archive")
        #expect(!error.learnerMessage.contains("Truncated tar archive"))
        #expect(error.description.contains("Truncated tar archive"))
    }

    @Test("a link's target is shown to staff only")
    func linkTarget() {
        let error = IntakeError.entryRejected(archive: "a.zip", entry: "l", rule: .symlink(target: "/etc/shadow"))
        #expect(error.learnerMessage == "Your archive \"a.zip\" was rejected: the entry \"l\" is a symbolic link; only files and folders are allowed.")
        #expect(error.description.contains("/etc/shadow"))
    }

    @Test("a very long entry name is cut in the message")
    func longName() {
        let error = IntakeError.entryRejected(archive: "a.zip", entry: String(repeating: "x", count: 300), rule: .pathTooLong(bytes: 300, limit: 255))
        #expect(error.learnerMessage.count < 260)
        #expect(error.learnerMessage.hasSuffix("has a path of 300 bytes; at most 255 are allowed."))
    }

    @Test("server-side failures are not the learner's fault")
    func fault() {
        #expect(!IntakeError.fetchFailed(name: "a", url: "u", reason: .status(500), attempts: 3).isLearnerFault)
        #expect(!IntakeError.archiveSupport("no gzip").isLearnerFault)
        #expect(IntakeError.tooManyEntries(archive: "a", limit: 1).isLearnerFault)
    }
}

// Upload names: which names are archives, and which names are plain enough to become a file in the box.
import Intake
import Testing

@Suite("Upload names")
struct UploadNameTests {
    @Test("archive suffixes are recognised in any case",
          arguments: ["a.zip", "A.ZIP", "src.tar", "s.tar.gz", "s.TGZ", "s.tar.bz2", "s.tbz2", "s.tar.xz", "s.Txz"])
    func archiveNames(name: String) {
        #expect(ArchiveExtractor.isArchiveName(name))
    }

    @Test("other names stay files, even compressed or zip-based ones",
          arguments: ["main.c", "lib.jar", "report.docx", "data.gz", "x.bz2", "zip", "a.zip.txt", "tar"])
    func plainNames(name: String) {
        #expect(!ArchiveExtractor.isArchiveName(name))
    }

    @Test("plain names are accepted", arguments: ["main.c", "Main.java", "naïve.py", ".hidden", "a b.txt", String(repeating: "n", count: 255)])
    func goodNames(name: String) throws {
        try ArchiveExtractor.checkUploadName(name)
    }

    @Test("names that are not plain are refused with the reason",
          arguments: [("", IntakeError.UploadNameProblem.empty), ("a/b.c", .slash), ("/etc", .slash), ("a\u{0}b", .nul),
                      ("a\nb", .controlCharacter), ("a\u{7F}", .controlCharacter), (".", .dotName), ("..", .dotName),
                      ("@r.c", .optionLike), ("-wrapper", .optionLike), ("-", .optionLike), ("@", .optionLike),
                      (String(repeating: "é", count: 128), .tooLong(bytes: 256))])
    func badNames(name: String, problem: IntakeError.UploadNameProblem) {
        #expect(throws: IntakeError.badUploadName(name: name, problem: problem)) { try ArchiveExtractor.checkUploadName(name) }
    }

    @Test("a name that a compiler would read as an option is refused with a learner-readable reason")
    func optionLikeMessage() {
        #expect(IntakeError.badUploadName(name: "@r.c", problem: .optionLike).learnerMessage
                == "The file name \"@r.c\" is not allowed: it starts with \"-\" or \"@\" (a compiler would read it as an option).")
    }

    @Test("the learner message for a bad name quotes it with control characters escaped")
    func badNameMessage() {
        let message = IntakeError.badUploadName(name: "a\nb", problem: .controlCharacter).learnerMessage
        #expect(message == "The file name \"a\\nb\" is not allowed: it contains a control character.")
    }
}

// The Java entry class (docs/reference/language-profiles.md, "Source" main_class): one class declaring main is the
// entry; several
// are the learner's CE naming them unless the problem's `main` says which; none is the fallback.
import Foundation
@testable import Languages
import Sandbox
import Testing

@Suite("Java main class selection")
struct MainClassTests {
    static let profile = try! ProfileLoader.load(path: Env.root + "/languages/java.yml", sandboxes: Env.sandboxes)

    static func java(_ path: String, _ text: String) -> SourceFile { SourceFile(path: path, data: Data(text.utf8)) }
    static let a = java("A.java", "public class A { public static void main(String[] args) { } }\n")
    static let b = java("b/B.java", "package b;\npublic class B {\n  public static void main(final String... args) { }\n}\n")
    static let helper = java("Util.java", "class Util { // public static void main(String[] a) in a comment\n static String s = \"public static void main(String\"; }\n")

    @Test("several classes declaring main and no problem main: a CE naming each class")
    func severalMainsIsCE() throws {
        let error = #expect(throws: BuildRejection.self) {
            try MainClassDetector.choose([Self.a, Self.b, Self.helper], profile: Self.profile, explicit: nil)
        }
        #expect(error?.message.contains("A, b.B") == true, "\(error?.message ?? "")")
    }

    @Test("two classes with main in one typed file are two candidates, not the first one")
    func twoMainsInOneFile() throws {
        let one = Self.java("Main.java", """
            class First { public static void main(String[] a) { } }
            class Second { static public void main(String[] a) { } }
            """)
        #expect(throws: BuildRejection.self) { try MainClassDetector.choose([one], profile: Self.profile, explicit: nil) }
    }

    @Test("the problem's main picks the class, by class name or by file")
    func problemMainDecides() throws {
        #expect(try MainClassDetector.choose([Self.a, Self.b], profile: Self.profile, explicit: "b.B") == "b.B")
        #expect(try MainClassDetector.choose([Self.a, Self.b], profile: Self.profile, explicit: "A.java") == "A")
    }

    @Test("one class declaring main is the entry; mains in comments and strings do not count; none is the fallback")
    func oneOrNone() throws {
        #expect(try MainClassDetector.choose([Self.b, Self.helper], profile: Self.profile, explicit: nil) == "b.B")
        #expect(try MainClassDetector.choose([Self.helper], profile: Self.profile, explicit: nil) == "Main")
    }
}

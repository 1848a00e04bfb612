// PathGlob: the ignore globs of docs/reference/problem-yml.md, "Submission" (`*` within a part, `**/` zero or more
// folders).
import Sandbox
import Testing

@Suite("Path globs")
struct PathGlobTests {
    @Test("matches", arguments: [
        ("__MACOSX/**", "__MACOSX/proj/._a.c"), ("**/.DS_Store", ".DS_Store"), ("**/.DS_Store", "a/b/.DS_Store"),
        ("*.o", "main.o"), ("src/*.c", "src/a.c"), ("?.c", "a.c"), ("[ab].c", "b.c"), ("[!ab].c", "c.c"),
        ("a/**/z", "a/z"), ("a/**/z", "a/b/c/z"), ("**", "any/thing"), ("[a-c]x", "bx"), ("[.c", "[.c"),
    ])
    func matches(pattern: String, path: String) {
        #expect(PathGlob(pattern).matches(path))
    }

    @Test("does not match", arguments: [
        ("*.o", "lib/main.o"), ("src/*.c", "src/sub/a.c"), ("?.c", "ab.c"), ("[ab].c", "c.c"), ("[!ab].c", "a.c"),
        ("**/.DS_Store", "a/.DS_Store.txt"), ("a/**/z", "b/z"), ("__MACOSX/**", "src/__MACOSX"),
    ])
    func doesNotMatch(pattern: String, path: String) {
        #expect(!PathGlob(pattern).matches(path))
    }
}

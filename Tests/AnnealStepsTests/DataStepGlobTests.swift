import AnnealEngine
import AnnealSpec
import AnnealText
import Foundation
import Testing

/// A glob in a step's input is hashed by the engine and read by `collect`;
/// both must see the same files, or editing a file would not rerun the step.
@Suite struct DataStepGlobTests {
    static func workspace() throws -> DataStepWorkspace {
        let w = try DataStepWorkspace()
        for path in ["d/a.md", "d/x/b.md", "d/x/y/c.md", "d/x/y/c.txt", "d/.hidden/h.md", "d/x/.h.md", "d/.top.md"] {
            try w.write(path, path + "\n")
        }
        return w
    }

    @Test func globstarMatchesWhatCollectReads() throws {
        let w = try Self.workspace()
        for pattern in ["d/**/*.md", "d/**", "d/x/**/*.md", "d/*/*.md", "d/**/y/*"] {
            let engine = Glob.matches("\(w.root)/\(pattern)")
            let collect = try SourceFile.expand([.files("\(w.root)/\(pattern)")], baseDirectory: nil).map(\.path)
            #expect(engine == collect.sorted(), "\(pattern)")
        }
        #expect(Glob.matches("\(w.root)/d/**/*.md").map { String($0.dropFirst(w.root.count + 1)) } == ["d/a.md", "d/x/b.md", "d/x/y/c.md"])
    }

    @Test func movingAFileBetweenFoldersAPatternSpansChangesItsDigest() throws {
        let w = try Self.workspace()
        let hasher = InputHasher(memo: HashMemo(file: w.root + "/memo"))
        let before = try hasher.digest(path: "d/**/*.md", baseDirectory: w.root)
        try FileManager.default.moveItem(atPath: w.root + "/d/x/y/c.md", toPath: w.root + "/d/x/c.md")
        let after = try hasher.digest(path: "d/**/*.md", baseDirectory: w.root)
        #expect(before != after)
    }
}

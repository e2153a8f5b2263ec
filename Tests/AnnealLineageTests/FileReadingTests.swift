import AnnealLineage
import Foundation
import Testing

@Suite struct FileReadingTests {
    @Test func readsEachFileOfACommitAsWritten() throws {
        let fixture = try LineageFixture()
        let repository = try fixture.repository()
        let ids = try LineageFixture.recordRuns(2, in: repository)
        let expected = LineageFixture.runFiles(1)
        for (path, data) in expected {
            #expect(try repository.readFile(commit: ids[0], path: path) == data)
        }
        #expect(try repository.readFile(commit: ids[1], path: "run.json") == Data("{\n  \"run\": 2\n}\n".utf8))
        #expect(try repository.readAllFiles(commit: ids[0]) == expected)
    }

    @Test func listsFilesSortedWithNestedPaths() throws {
        let fixture = try LineageFixture()
        let repository = try fixture.repository()
        let id = try repository.commit(
            ref: "refs/anneal/deep",
            files: ["z.txt": Data("z".utf8), "a/b/c.txt": Data("c".utf8), "a/a.txt": Data(), "m/n.bin": Data([0, 1, 2, 255])],
            message: "deep", author: LineageFixture.author())
        #expect(try repository.listFiles(commit: id) == ["a/a.txt", "a/b/c.txt", "m/n.bin", "z.txt"])
        #expect(try repository.readFile(commit: id, path: "m/n.bin") == Data([0, 1, 2, 255]))
        #expect(try repository.readFile(commit: id, path: "a/a.txt") == Data())
    }

    @Test func aMissingFileIsNilAndADirectoryIsAnError() throws {
        let fixture = try LineageFixture()
        let repository = try fixture.repository()
        let id = try LineageFixture.recordRuns(1, in: repository)[0]
        #expect(try repository.readFile(commit: id, path: "absent.json") == nil)
        #expect(try repository.readFile(commit: id, path: "recipes/absent.yaml") == nil)
        let error = try #require(throws: LineageError.self) { try repository.readFile(commit: id, path: "recipes") }
        #expect(error.kind == .wrongType)
        #expect(error.message.contains("'recipes' is a directory"))
    }

    @Test func anUnknownCommitIsNotFound() throws {
        let fixture = try LineageFixture()
        let repository = try fixture.repository()
        let unknown = try #require(CommitID(hex: String(repeating: "ab", count: 20)))
        let error = try #require(throws: LineageError.self) { try repository.listFiles(commit: unknown) }
        #expect(error.kind == .notFound)
        #expect(error.message.contains("ababab"))
    }
}

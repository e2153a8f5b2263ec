import AnnealLineage
import Foundation
import Testing

@Suite struct RepositoryCreationTests {
    @Test func createsABareRepositoryAndItsParentDirectories() throws {
        let fixture = try LineageFixture()
        let path = fixture.path("workspace/.anneal/lineage.git")
        _ = try LineageRepository(at: path)
        #expect(try fixture.git(["--git-dir", path, "rev-parse", "--is-bare-repository"]) == "true")
    }

    @Test func reopensAnExistingRepositoryWithItsHistory() throws {
        let fixture = try LineageFixture()
        let ids = try LineageFixture.recordRuns(2, in: fixture.repository())
        let reopened = try LineageRepository(at: fixture.path("lineage.git"), create: false)
        #expect(try reopened.tip(ref: "refs/anneal/tiny-chat") == ids.last)
    }

    @Test func openingAMissingRepositoryWithoutCreateIsNotFound() throws {
        let fixture = try LineageFixture()
        let error = try #require(throws: LineageError.self) {
            try LineageRepository(at: fixture.path("missing.git"), create: false)
        }
        #expect(error.kind == .notFound)
        #expect(error.message.contains("missing.git"))
    }

    @Test func aDirectoryThatIsNotARepositoryIsReported() throws {
        let fixture = try LineageFixture()
        try fixture.write("not git\n", to: "occupied/notes.txt")
        let error = try #require(throws: LineageError.self) { try LineageRepository(at: fixture.path("occupied")) }
        #expect(error.kind == .wrongType)
        #expect(error.description.contains("occupied"))
        try fixture.write("a file\n", to: "file.git")
        let file = try #require(throws: LineageError.self) { try LineageRepository(at: fixture.path("file.git")) }
        #expect(file.kind == .wrongType)
        #expect(file.message.contains("file.git' exists but is not a git repository"))
    }

    @Test func racingCreatorsAllEndUpWithTheSameRepository() throws {
        let fixture = try LineageFixture()
        let path = fixture.path("race/.anneal/lineage.git")
        let failures = FailureCounter()
        DispatchQueue.concurrentPerform(iterations: 8) { writer in
            do {
                let repository = try LineageRepository(at: path)
                try repository.commit(ref: "refs/anneal/writer\(writer)", files: ["run.json": Data("{}\n".utf8)],
                                      message: "writer \(writer)", author: LineageFixture.author(writer))
            } catch {
                failures.record("\(error)")
            }
        }
        #expect(failures.messages.isEmpty)
        #expect(try LineageRepository(at: path).refs().count == 8)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: fixture.path("race/.anneal"))
        #expect(leftovers == ["lineage.git"])
    }

    @Test func runRefRejectsNamesGitCannotStore() throws {
        #expect(try LineageRepository.runRef(pipeline: "tiny-chat") == "refs/anneal/tiny-chat")
        for bad in ["two words", "a..b", "x~1", "", "colon:name"] {
            let error = try #require(throws: LineageError.self) { try LineageRepository.runRef(pipeline: bad) }
            #expect(error.kind == .invalidArgument)
        }
    }
}

/// Collects errors from concurrent work (the lock makes it safe to share).
final class FailureCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [String] = []

    func record(_ message: String) {
        lock.lock()
        recorded.append(message)
        lock.unlock()
    }

    var messages: [String] {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }
}

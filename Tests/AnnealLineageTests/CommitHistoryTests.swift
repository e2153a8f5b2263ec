import AnnealLineage
import Foundation
import Testing

@Suite struct CommitHistoryTests {
    @Test func historyListsSeveralRunsNewestFirstWithTheirParents() throws {
        let fixture = try LineageFixture()
        let repository = try fixture.repository()
        let ids = try LineageFixture.recordRuns(4, in: repository)

        let history = try repository.history(ref: "refs/anneal/tiny-chat")
        #expect(history.map(\.id) == ids.reversed())
        #expect(history.last?.parents == [])
        for (newer, older) in zip(history, history.dropFirst()) { #expect(newer.parents == [older.id]) }
        #expect(history.first?.subject == "tiny-chat #4: 1 ran")
        #expect(history.first?.author == LineageFixture.author(4))
        #expect(try repository.history(ref: "refs/anneal/tiny-chat", limit: 2).map(\.id) == [ids[3], ids[2]])
        #expect(try repository.history(from: ids[1]).map(\.id) == [ids[1], ids[0]])
    }

    @Test func runsRecordedInTheSameSecondStayInOrder() throws {
        let fixture = try LineageFixture()
        let repository = try fixture.repository()
        var ids: [CommitID] = []
        for run in 1...5 {
            ids.append(try repository.commit(ref: "refs/anneal/fast", files: LineageFixture.runFiles(run),
                                             message: "fast #\(run)", author: LineageFixture.author(0)))
        }
        #expect(try repository.history(ref: "refs/anneal/fast").map(\.id) == ids.reversed())
    }

    @Test func gitSeesTheSameCommitsTreesAndMessages() throws {
        let fixture = try LineageFixture()
        let ids = try LineageFixture.recordRuns(3, in: fixture.repository())
        let gitDir = fixture.path("lineage.git")
        #expect(try fixture.git(["--git-dir", gitDir, "log", "--format=%H", "refs/anneal/tiny-chat"])
            == ids.reversed().map(\.hex).joined(separator: "\n"))
        // Plain `git log` works too: HEAD follows the newest run.
        #expect(try fixture.git(["--git-dir", gitDir, "log", "-1", "--format=%s %an <%ae> %at %ai"])
            == "tiny-chat #3: 1 ran Ada Tester <ada@example.com> 1700000003 2023-11-14 23:13:23 +0100")
        #expect(try fixture.git(["--git-dir", gitDir, "ls-tree", "-r", "--name-only", ids[2].hex]).split(separator: "\n")
            == ["pipeline.yaml", "plan.json", "recipes/sft.yaml", "run.json"])
        #expect(try fixture.git(["--git-dir", gitDir, "ls-tree", ids[2].hex]).contains("040000 tree"))
        try fixture.git(["--git-dir", gitDir, "fsck", "--strict"])
    }

    @Test func sameInputsGiveTheSameCommitId() throws {
        let first = try LineageFixture(), second = try LineageFixture()
        #expect(try LineageFixture.recordRuns(2, in: first.repository())
            == LineageFixture.recordRuns(2, in: second.repository()))
    }

    @Test func concurrentWritersNeverLoseARun() throws {
        let fixture = try LineageFixture()
        let path = fixture.path("lineage.git")
        let failures = FailureCounter()
        let moved = FailureCounter()
        DispatchQueue.concurrentPerform(iterations: 2) { writer in
            do {
                // Separate instances, as two processes would have.
                let repository = try LineageRepository(at: path)
                for run in 0..<15 {
                    while true {
                        do {
                            try repository.commit(ref: "refs/anneal/shared", files: ["run.json": Data("\(writer)-\(run)\n".utf8)],
                                                  message: "writer \(writer) run \(run)", author: LineageFixture.author(run))
                            break
                        } catch let error as LineageError where error.kind == .refMoved {
                            moved.record(error.message)
                        }
                    }
                }
            } catch {
                failures.record("\(error)")
            }
        }
        #expect(failures.messages.isEmpty)
        let history = try LineageRepository(at: path).history(ref: "refs/anneal/shared")
        #expect(history.count == 30)
        #expect(Set(history.map(\.message)).count == 30)
        for message in moved.messages { #expect(message.contains("refs/anneal/shared")) }
    }

    @Test func badFilePathsAreRejectedByName() throws {
        let fixture = try LineageFixture()
        let repository = try fixture.repository()
        for bad in ["", "/abs.txt", "a//b", "../up", "a/./b", "dir/", ".git/config"] {
            let error = try #require(throws: LineageError.self) {
                try repository.commit(ref: "refs/anneal/x", files: [bad: Data()], message: "m", author: LineageFixture.author())
            }
            #expect(error.kind == .invalidArgument)
            #expect(error.message.contains("'\(bad)'"))
        }
        let clash = try #require(throws: LineageError.self) {
            try repository.commit(ref: "refs/anneal/x", files: ["a": Data(), "a/b": Data()], message: "m",
                                  author: LineageFixture.author())
        }
        #expect(clash.message.contains("used both as a file and as a directory"))
        #expect(try repository.tip(ref: "refs/anneal/x") == nil)
    }

    @Test func badRefsAndAuthorsAreRejected() throws {
        let fixture = try LineageFixture()
        let repository = try fixture.repository()
        let badRef = try #require(throws: LineageError.self) {
            try repository.commit(ref: "anneal/no-refs-prefix", files: [:], message: "m", author: LineageFixture.author())
        }
        #expect(badRef.kind == .invalidArgument)
        let badAuthor = try #require(throws: LineageError.self) {
            try repository.commit(ref: "refs/anneal/x", files: [:], message: "m",
                                  author: CommitAuthor(name: "A <b>", email: "e", time: 0))
        }
        #expect(badAuthor.message.contains("invalid author"))
        let missing = try #require(throws: LineageError.self) { try repository.history(ref: "refs/anneal/none") }
        #expect(missing.kind == .notFound)
    }

    @Test func refsListsEveryPipelineWithItsTip() throws {
        let fixture = try LineageFixture()
        let repository = try fixture.repository()
        let chat = try LineageFixture.recordRuns(2, in: repository)
        let base = try LineageFixture.recordRuns(1, on: "refs/anneal/base", in: repository)
        #expect(try repository.refs() == [LineageRef(name: "refs/anneal/base", tip: base[0]),
                                          LineageRef(name: "refs/anneal/tiny-chat", tip: chat[1])])
        #expect(try repository.refs(prefix: "refs/anneal/tiny").count == 1)
        #expect(try repository.isAncestor(chat[0], of: chat[1]))
        #expect(try !repository.isAncestor(chat[1], of: chat[0]))
    }
}

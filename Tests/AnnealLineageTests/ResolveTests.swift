import AnnealLineage
import Foundation
import Testing

@Suite struct ResolveTests {
    @Test func resolvesHashesPrefixesRefsAndPipelineNames() throws {
        let fixture = try LineageFixture()
        let repository = try fixture.repository()
        let ids = try LineageFixture.recordRuns(3, in: repository)
        #expect(try repository.resolve(revision: ids[1].hex) == ids[1])
        #expect(try repository.resolve(revision: ids[1].abbreviated()) == ids[1])
        #expect(try repository.resolve(revision: ids[0].abbreviated(5).uppercased()) == ids[0])
        #expect(try repository.resolve(revision: "refs/anneal/tiny-chat") == ids[2])
        #expect(try repository.resolve(revision: "tiny-chat") == ids[2])
        #expect(try repository.resolve(revision: "tiny-chat~2") == ids[0])
        #expect(try repository.resolve(revision: "HEAD^") == ids[1])
    }

    @Test func anUnknownRevisionSaysWhatToGive() throws {
        let fixture = try LineageFixture()
        let repository = try fixture.repository()
        try LineageFixture.recordRuns(1, in: repository)
        for unknown in ["no-such-pipeline", "ffff0000", "tiny-chat~5"] {
            let error = try #require(throws: LineageError.self) { try repository.resolve(revision: unknown) }
            #expect(error.kind == .notFound)
            #expect(error.message.contains("'\(unknown)'"))
            #expect(error.hint?.contains("hash prefix") == true)
        }
        #expect(throws: LineageError.self) { try repository.resolve(revision: "  ") }
    }

    @Test func aTreeIdIsNotARun() throws {
        let fixture = try LineageFixture()
        let repository = try fixture.repository()
        let id = try LineageFixture.recordRuns(1, in: repository)[0]
        let tree = try fixture.git(["--git-dir", fixture.path("lineage.git"), "rev-parse", "\(id.hex)^{tree}"])
        let error = try #require(throws: LineageError.self) { try repository.resolve(revision: tree) }
        #expect(error.kind == .wrongType)
        #expect(error.message.contains("tree"))
    }

    @Test func anAmbiguousPrefixListsTheRunsItMatches() throws {
        let fixture = try LineageFixture()
        let repository = try fixture.repository()
        // Commit ids are deterministic, so this loop finds the same pair every time:
        // record runs until two commit ids share their first four hex digits.
        var byPrefix: [String: CommitID] = [:]
        var pair: (CommitID, CommitID)?
        var run = 0
        while pair == nil && run < 3000 {
            run += 1
            let id = try repository.commit(ref: "refs/anneal/many", files: ["run.json": Data("\(run)\n".utf8)],
                                           message: "many #\(run)", author: LineageFixture.author(run))
            let prefix = id.abbreviated(4)
            if let earlier = byPrefix[prefix] { pair = (earlier, id) } else { byPrefix[prefix] = id }
        }
        let (first, second) = try #require(pair)
        let prefix = first.abbreviated(4)
        let error = try #require(throws: LineageError.self) { try repository.resolve(revision: prefix) }
        #expect(error.kind == .ambiguous)
        #expect(error.message.contains(first.abbreviated(12)) && error.message.contains(second.abbreviated(12)))
        #expect(error.hint?.contains("more hex digits") == true)
        // One more digit than they share tells them apart.
        let shared = zip(first.hex, second.hex).prefix { $0 == $1 }.count
        #expect(try repository.resolve(revision: first.abbreviated(shared + 1)) == first)
    }
}

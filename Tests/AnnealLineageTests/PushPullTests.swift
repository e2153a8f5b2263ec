import AnnealLineage
import Foundation
import Testing

@Suite struct PushPullTests {
    private let ref = "refs/anneal/tiny-chat"

    /// Two lineage repositories and an empty bare remote, in one temporary directory.
    private func team(_ fixture: LineageFixture) throws -> (alice: LineageRepository, bob: LineageRepository, remote: String) {
        let remote = fixture.path("shared.git")
        try fixture.git(["init", "--bare", "--quiet", remote])
        return (try fixture.repository("alice.git"), try fixture.repository("bob.git"), remote)
    }

    @Test func pushThenPullCarriesHistoryBothWays() throws {
        let fixture = try LineageFixture()
        let (alice, bob, remote) = try team(fixture)
        let aliceRuns = try LineageFixture.recordRuns(3, in: alice)
        try LineageFixture.recordRuns(1, on: "refs/anneal/base", in: alice)

        let pushed = try alice.push(remote: remote)
        #expect(pushed.map(\.ref) == ["refs/anneal/base", ref])
        #expect(pushed.allSatisfy { $0.outcome == .created })
        #expect(try fixture.git(["--git-dir", remote, "rev-parse", ref]) == aliceRuns[2].hex)

        let pulled = try bob.pull(remote: remote)
        #expect(pulled.allSatisfy { $0.outcome == .created })
        #expect(try bob.history(ref: ref).map(\.id) == aliceRuns.reversed())
        #expect(try bob.readFile(commit: aliceRuns[1], path: "run.json") == LineageFixture.runFiles(2)["run.json"])
        #expect(try fixture.git(["--git-dir", fixture.path("bob.git"), "log", "--format=%s", ref]).hasPrefix("tiny-chat #3"))

        // Bob records a run and shares it; Alice fast-forwards to it.
        let bobRun = try LineageFixture.recordRuns(1, in: bob, first: 4)[0]
        let bobPush = try bob.push(remote: remote)
        #expect(bobPush.first { $0.ref == ref }?.outcome == .fastForwarded)
        #expect(bobPush.first { $0.ref == "refs/anneal/base" }?.outcome == .upToDate)
        let alicePull = try alice.pull(remote: remote)
        let update = try #require(alicePull.first { $0.ref == ref })
        #expect(update.outcome == .fastForwarded && update.old == aliceRuns[2] && update.new == bobRun)
        #expect(try alice.tip(ref: ref) == bobRun)
        #expect(try alice.pull(remote: remote).allSatisfy { $0.outcome == .upToDate })
    }

    @Test func nonFastForwardPullIsRefusedNamingTheRefUnlessForced() throws {
        let fixture = try LineageFixture()
        let (alice, bob, remote) = try team(fixture)
        let shared = try LineageFixture.recordRuns(1, in: alice)[0]
        try alice.push(remote: remote)
        try bob.pull(remote: remote)
        let aliceRun = try LineageFixture.recordRuns(1, in: alice, first: 2)[0]
        try alice.push(remote: remote)
        let bobRun = try bob.commit(ref: ref, files: LineageFixture.runFiles(20), message: "bob's own run",
                                    author: LineageFixture.author(20))

        let error = try #require(throws: LineageError.self) { try bob.pull(remote: remote) }
        #expect(error.kind == .nonFastForward)
        #expect(error.message.contains(ref))
        #expect(error.message.contains("refused"))
        #expect(error.hint?.contains("force") == true)
        #expect(try bob.tip(ref: ref) == bobRun)

        let forced = try bob.pull(remote: remote, force: true)
        #expect(forced.first?.outcome == .forced && forced.first?.old == bobRun)
        #expect(try bob.history(ref: ref).map(\.id) == [aliceRun, shared])
    }

    @Test func pullLeavesALocalRefThatIsAheadAlone() throws {
        let fixture = try LineageFixture()
        let (alice, _, remote) = try team(fixture)
        try LineageFixture.recordRuns(1, in: alice)
        try alice.push(remote: remote)
        let ahead = try LineageFixture.recordRuns(1, in: alice, first: 2)[0]
        #expect(try alice.pull(remote: remote).first?.outcome == .localAhead)
        #expect(try alice.tip(ref: ref) == ahead)
    }

    @Test func pushOverNewerRemoteRunsIsRefusedUnlessForced() throws {
        let fixture = try LineageFixture()
        let (alice, bob, remote) = try team(fixture)
        try LineageFixture.recordRuns(1, in: alice)
        try alice.push(remote: remote)
        try bob.pull(remote: remote)
        let aliceRun = try LineageFixture.recordRuns(1, in: alice, first: 2)[0]
        try alice.push(remote: remote)
        let bobRun = try bob.commit(ref: ref, files: LineageFixture.runFiles(30), message: "bob", author: LineageFixture.author(30))

        let error = try #require(throws: LineageError.self) { try bob.push(remote: remote) }
        #expect(error.kind == .nonFastForward)
        #expect(error.message.contains(ref) && error.message.contains("not pulled"))
        #expect(try fixture.git(["--git-dir", remote, "rev-parse", ref]) == aliceRun.hex)

        #expect(try bob.push(remote: remote, force: true).first?.outcome == .forced)
        #expect(try fixture.git(["--git-dir", remote, "rev-parse", ref]) == bobRun.hex)
    }

    @Test func refspecsChooseWhichRefsTravel() throws {
        let fixture = try LineageFixture()
        let (alice, bob, remote) = try team(fixture)
        try LineageFixture.recordRuns(1, in: alice)
        try LineageFixture.recordRuns(1, on: "refs/anneal/base", in: alice)
        let pushed = try alice.push(remote: remote, refspecs: ["refs/anneal/base:refs/anneal/base"])
        #expect(pushed.map(\.ref) == ["refs/anneal/base"])
        try alice.push(remote: remote)
        // Bob keeps Alice's runs apart under his own namespace.
        let pulled = try bob.pull(remote: remote, refspecs: ["refs/anneal/*:refs/anneal-alice/*"])
        #expect(pulled.map(\.ref) == ["refs/anneal-alice/base", "refs/anneal-alice/tiny-chat"])
        #expect(try bob.refs(prefix: "refs/anneal/").isEmpty)
    }

    @Test func aFileURLRemoteWorksLikeAPath() throws {
        let fixture = try LineageFixture()
        let (alice, bob, remote) = try team(fixture)
        let runs = try LineageFixture.recordRuns(2, in: alice)
        #expect(try alice.push(remote: "file://" + remote).map(\.outcome) == [.created])
        #expect(try bob.pull(remote: "file://" + remote).map(\.new) == [runs[1]])
    }

    @Test func badRemotesAndRefspecsAreClearErrors() throws {
        let fixture = try LineageFixture()
        let (alice, _, _) = try team(fixture)
        try LineageFixture.recordRuns(1, in: alice)
        let missing = try #require(throws: LineageError.self) { try alice.push(remote: fixture.path("nowhere.git")) }
        #expect(missing.kind == .notFound)
        #expect(missing.hint?.contains("git init --bare") == true)
        let badSpec = try #require(throws: LineageError.self) { try alice.pull(remote: fixture.path("shared.git"), refspecs: ["refs/a*/*"]) }
        #expect(badSpec.kind == .invalidArgument)
        #expect(badSpec.message.contains("refs/a*/*"))
    }
}

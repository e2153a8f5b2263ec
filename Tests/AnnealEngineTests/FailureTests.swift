@testable import AnnealEngine
import AnnealSpec
import Foundation
import Testing

@Suite struct FailureTests {
    static let pipeline = """
        name: fails
        steps:
          bad:
            kind: shell
            with:
              outputs: { out: out.txt }
              command: echo partial > ${outputs.out}; echo boom >&2; exit 3
          after:
            kind: shell
            with:
              inputs: { x: "${bad.out}" }
              outputs: { out: out.txt }
              command: cat ${inputs.x} > ${outputs.out}
          other:
            kind: shell
            needs: [slow]
            with:
              outputs: { out: out.txt }
              command: echo fine > ${outputs.out}
          slow:
            kind: shell
            with:
              outputs: { out: out.txt }
              command: sleep 0.3; echo slow > ${outputs.out}
        """

    @Test func aFailedStepIsNeverCachedAndItsDownstreamIsSkipped() throws {
        let f = try EngineFixture()
        try f.write("p.yaml", Self.pipeline)
        let r = try f.run { $0.jobs = 1 }
        #expect(r.outcome == .failed)
        #expect(r.outcome(of: "bad") == .failed)
        #expect(r.steps.first { $0.name == "bad" }?.exitStatus == 1)
        #expect(r.outcome(of: "after") == .skipped)
        // The first failure stops new work.
        #expect(r.outcome(of: "slow") == .skipped || r.outcome(of: "other") == .skipped)
        let log = try #require(r.steps.first { $0.name == "bad" }?.log)
        #expect(try String(contentsOfFile: log, encoding: .utf8).contains("boom"))
        let again = try f.run { $0.jobs = 1 }
        #expect(again.outcome(of: "bad") == .failed, "a failed step is not cached")
    }

    @Test func keepGoingRunsWhatDoesNotDependOnTheFailure() throws {
        let f = try EngineFixture()
        try f.write("p.yaml", Self.pipeline)
        let r = try f.run { $0.keepGoing = true; $0.jobs = 1 }
        #expect(r.outcome(of: "after") == .skipped)
        #expect(r.outcome(of: "slow") == .ran)
        #expect(r.outcome(of: "other") == .ran)
    }

    @Test func anOutputTheCommandDidNotCreateFailsTheStep() throws {
        let f = try EngineFixture()
        try f.write("p.yaml", """
            name: missing
            steps:
              t:
                kind: shell
                with:
                  outputs: { out: out.txt, dir: d/ }
                  command: echo > ${outputs.out}
            """)
        let r = try f.run()
        #expect(r.outcome(of: "t") == .failed)
        #expect(r.steps[0].reasons.last == "output 'dir' was not created (expected a folder at d)")
    }

    @Test func onlyUntilAndFromSelectSteps() throws {
        let f = try EngineFixture()
        try f.write("p.yaml", CacheTests.layered(layers: 3, width: 2))
        let until = try f.run { $0.until = "s1_0" }
        #expect(until.ranSteps == ["s0_0", "s0_1", "s1_0"])
        #expect(until.outcome(of: "s2_0") == .skipped)
        let only = try f.run { $0.only = ["s2_0"] }
        #expect(only.outcome(of: "s2_0") == .skipped, "its input s1_1 is not up to date")
        let from = try f.run { $0.from = "s1_1" }
        #expect(from.ranSteps == ["s1_1", "s2_0", "s2_1"])
        #expect(throws: StepFailure.self) { try f.run { $0.only = ["nope"] } }
    }

    @Test func aSecondRunnerOnTheSameWorkspaceRefusesWithAClearMessage() throws {
        let f = try EngineFixture()
        // The step holds the run open until the test has seen the second runner refuse.
        try f.write("p.yaml", """
            name: slow
            steps:
              t:
                kind: shell
                cache: false
                with:
                  outputs: { out: out.txt }
                  command: while [ ! -e '\(f.root)/release' ]; do sleep 0.05; done; echo done > ${outputs.out}
            """)
        let first = try f.start(["run", "p.yaml"])
        // Wait until the first runner holds the lock.
        let lock = "\(f.root)/.anneal/lock"
        for _ in 0..<3000 where (try? String(contentsOfFile: lock, encoding: .utf8))?.contains("pid") != true {
            usleep(10_000)
        }
        let second = try f.anneal(["run", "p.yaml"])
        #expect(second.status == 1)
        #expect(second.output.contains("the workspace is in use by another anneal (pid \(first.processIdentifier)"))
        let status = try f.anneal(["status", "p.yaml"])
        #expect(status.status == 0, "read-only commands work while a run holds the lock")
        try f.write("release", "")
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)
        let third = try f.anneal(["run", "p.yaml"])
        #expect(third.status == 0, "the lock is released when the first runner ends")
    }
}

@testable import AnnealEngine
import AnnealFiles
import AnnealSpec
import Foundation
import Testing

@Suite struct LocalExecutorTests {
    func launch(_ command: String, log: String) -> StepLaunch {
        StepLaunch(step: "s", arguments: ["/bin/sh", "-c", command], log: log,
                   environment: ProcessInfo.processInfo.environment, cpus: 1,
                   resources: Resources(), attemptDirectory: NSTemporaryDirectory())
    }

    /// The runner sleeps in `waitForEnd` between polls; it must wake when a
    /// step ends, not only after a fixed interval, or every step pays the wait.
    @Test func waitingReturnsWhenAStepEndsAndPollThenReportsIt() throws {
        let executor = LocalExecutor()
        let log = NSTemporaryDirectory() + "anneal-executor-\(UUID().uuidString).log"
        defer { try? FileManager.default.removeItem(atPath: log) }
        let handle = try executor.start(launch("sleep 0.3", log: log))
        #expect(executor.poll().isEmpty)
        // Bounded generously: a wait that ignored the child's end would return
        // after its poll interval with nothing to report.
        executor.waitForEnd(upTo: 60_000_000)
        let ended = executor.poll()
        #expect(ended.map(\.0) == [handle])
        #expect(ended.first?.1.exitStatus == 0)
    }

    @Test func waitingWithNothingRunningReturns() {
        LocalExecutor().waitForEnd(upTo: 1_000)
    }

    /// A step process starts with OPENBLAS_NUM_THREADS set to its cores (so
    /// OpenBLAS does not start a thread per core in a shell step), and gives
    /// the user's environment back before running anything.
    @Test func blasThreadLimitIsSetForTheStepAndTakenBackFromItsCommands() throws {
        var environment = ["PATH": "/usr/bin:/bin"]
        StepEntryPoint.limitBLASThreads(&environment, cpus: 3)
        #expect(environment["OPENBLAS_NUM_THREADS"] == "3")

        var chosen = ["OPENBLAS_NUM_THREADS": "7"]
        StepEntryPoint.limitBLASThreads(&chosen, cpus: 3)
        #expect(chosen == ["OPENBLAS_NUM_THREADS": "7"], "a value the user set is kept")
    }

    @Test func aShellStepSeesTheEnvironmentItWasRunWith() throws {
        let fixture = try EngineFixture()
        try fixture.write("p.yaml", """
            name: env
            steps:
              show:
                kind: shell
                with:
                  outputs: { out: out.txt }
                  command: (printenv OPENBLAS_NUM_THREADS || echo unset; printenv ANNEAL_SET_OPENBLAS_NUM_THREADS || echo unset) > ${outputs.out}
            """)
        let record = try fixture.run()
        let expected = ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"] ?? "unset"
        #expect(try fixture.outputs(record)["show.out"] == "\(expected)\nunset\n")
    }

    /// The exit record is for runners that do not watch their steps (Slurm);
    /// a local step is reaped by its runner, so it writes none (one file less
    /// per step). Started here as a runner starts it, so its attempt folder
    /// can be looked at after it ends (a runner removes a failed attempt's).
    @Test func aLocalStepWritesNoExitRecord() throws {
        let fixture = try EngineFixture()
        let attempt = fixture.root + "/attempt"
        let context = StepContext(step: "bad", kind: "shell", config: .map(["command": .string("exit 3")]), outputs: [],
                                  outputDirectory: attempt + "/out", workDirectory: fixture.root + "/work",
                                  progressFile: attempt + "/progress", metricsFile: attempt + "/metrics.json")
        try AtomicFile.write(CanonicalJSON.encodePretty(context.descriptionValue), to: attempt + "/step.json")
        var environment = ProcessInfo.processInfo.environment
        environment[StepEntryPoint.runnerVariable] = String(getpid())
        let executor = LocalExecutor()
        _ = try executor.start(StepLaunch(step: "bad", arguments: [EngineFixture.anneal, "_step", attempt + "/step.json"],
                                          log: attempt + "/log", environment: environment, cpus: 1,
                                          resources: Resources(), attemptDirectory: attempt))
        var ended: [(StepHandle, ChildProcess.Termination)] = []
        while ended.isEmpty {
            executor.waitForEnd(upTo: 100_000)
            ended = executor.poll()
        }
        #expect(ended.first?.1.exitStatus == 1)
        #expect(try String(contentsOfFile: attempt + "/log", encoding: .utf8).contains("error:"))
        #expect(!FileManager.default.fileExists(atPath: attempt + "/" + StepExitRecord.fileName))
    }

    /// A failed attempt's folder (its partial outputs, on a full disk the space
    /// the next run needs) goes when the step fails; its log stays.
    @Test func aFailedStepsAttemptFolderIsRemovedAndItsLogKept() throws {
        let fixture = try EngineFixture()
        try fixture.write("p.yaml", """
            name: fails
            steps:
              bad:
                kind: shell
                with:
                  outputs: { out: out.txt }
                  command: echo partial > ${outputs.out}; echo said-before-failing; exit 3
            """)
        let record = try fixture.run()
        #expect(record.steps.first?.outcome == .failed)
        let work = "\(fixture.root)/.anneal/work"
        let attempts = try FileManager.default.subpathsOfDirectory(atPath: work).filter { $0.contains("attempt-") }
        #expect(attempts.isEmpty, "\(attempts)")
        let log = try #require(record.steps.first?.log)
        #expect(try String(contentsOfFile: log, encoding: .utf8).contains("said-before-failing"))
    }
}

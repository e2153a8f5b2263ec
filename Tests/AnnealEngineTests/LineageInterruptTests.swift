import AnnealEngine
import AnnealLineage
import Foundation
import Testing

/// Ctrl-C during `anneal run`: the run stops, and is recorded as interrupted.
@Suite struct LineageInterruptTests {
    @Test func anInterruptedRunIsRecordedAsInterrupted() throws {
        let ws = try LineageTestsWorkspace()
        try ws.write("slow.yaml", """
            name: slow
            steps:
              quick:
                kind: shell
                with: { outputs: { out: out.txt }, command: "echo hi > ${outputs.out}" }
              sleeper:
                kind: shell
                with: { inputs: { a: "${quick.out}" }, outputs: { out: out.txt }, command: "sleep 30; cat ${inputs.a} > ${outputs.out}" }

            """)
        let log = ws.path("run.log")
        let runner = try ws.startAnneal(["run", "slow.yaml"], log: log)
        // The runner creates the step's log when it starts the step.
        let stepLog = ws.path(".anneal/logs/slow/sleeper/1.log")
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: stepLog) && Date() < deadline {
            usleep(20_000)
        }
        #expect(FileManager.default.fileExists(atPath: stepLog))
        usleep(300_000)
        let started = Date()
        kill(runner.pid, SIGINT)
        let end = runner.wait()
        #expect(Date().timeIntervalSince(started) < 10)
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(end.exitStatus == 130, "\(output)")
        #expect(output.contains("slow#1 (commit "))

        let entry = try #require(try ws.runs.log(pipeline: "slow").first)
        #expect(entry.message?.outcome == "interrupted")
        #expect(entry.commit.subject == "slow #1: 1 ran, 0 cached, 1 interrupted; interrupted")
        let run = try ws.runs.run("slow#1")
        #expect(run.outcome == "interrupted")
        #expect(run.step(named: "quick")?.record.outcome == .ran)
        #expect(run.step(named: "sleeper")?.record.outcome == .interrupted)
    }
}

@testable import AnnealEngine
import AnnealSpec
import Foundation
import Testing

extension SlurmSuite {
    /// Counts to 16 and checkpoints each count in its work folder; records where each start began.
    static let counting = """
          count:
            kind: shell
            resources: { cpus: 1 }
            with:
              outputs: { out: out.txt, starts: starts.txt }
              command: |
                i=$(cat "$ANNEAL_WORK_DIR/i" 2>/dev/null || echo 0)
                echo "start $i" >> "$ANNEAL_WORK_DIR/starts"
                while [ "$i" -lt 16 ]; do
                  i=$((i + 1)); sleep 0.25
                  echo $i > "$ANNEAL_WORK_DIR/i.tmp" && mv "$ANNEAL_WORK_DIR/i.tmp" "$ANNEAL_WORK_DIR/i"
                done
                echo $i > ${outputs.out}; cp "$ANNEAL_WORK_DIR/starts" ${outputs.starts}

        """

    /// Known intermittent failure (issue 10 stays open for it): in about a third
    /// of runs on the single-node test cluster the requeued job ends FAILED
    /// (NonZeroExitCode) instead of going back to the queue, and the runner
    /// then reports the step failed. The test still runs every time and shows
    /// the failure as a known issue; when the requeue goes through, every
    /// assertion holds.
    @Test func aRequeuedJobContinuesFromItsLastCheckpoint() throws {
        try SlurmCluster.require()
        try withKnownIssue("a requeued job sometimes ends FAILED instead of returning to the queue", isIntermittent: true) {
            try requeueScenario()
        }
    }

    func requeueScenario() throws {
        let f = try SlurmFixture()
        try f.writePipeline(Self.counting)
        let runner = try f.start(["run", "p.yaml", "--executor", "slurm", "-j", "8"])
        defer { if runner.isRunning { kill(runner.processIdentifier, SIGKILL); runner.waitUntilExit() } }
        let work = "\(f.root)/.anneal/work"
        func checkpoint() -> Int {
            let folders = (try? FileManager.default.contentsOfDirectory(atPath: work)) ?? []
            return folders.compactMap { try? String(contentsOfFile: "\(work)/\($0)/i", encoding: .utf8) }
                .compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }.max() ?? 0
        }
        #expect(SlurmCluster.wait(30) { checkpoint() >= 4 }, "the step never counted to 4; runner said: \(f.runnerOutput)")
        let id = try #require(try SlurmCluster.jobs(of: f.pipeline).keys.first)
        try SlurmCommand.run("scontrol", ["requeue", id])
        // Slurm holds a requeued job for a while (Reason=BeginTime); let it start again now.
        #expect(try SlurmCluster.wait(10) { try SlurmCluster.jobs(of: f.pipeline)[id] == "PENDING" })
        try SlurmCommand.run("scontrol", ["update", "jobid=\(id)", "StartTime=now"])
        #expect(SlurmCluster.wait(60) { !runner.isRunning }, "the runner did not finish; it said: \(f.runnerOutput)")
        runner.waitUntilExit()
        #expect(runner.terminationStatus == 0, "runner said: \(f.runnerOutput)")
        #expect(try SlurmCluster.show(job: id)["Restarts"] == "1")

        let record = try f.run(SlurmExecutor(pipeline: f.pipeline))
        #expect(record.step("count")?.outcome == .cached)
        let outputs = try f.outputs(record)
        #expect(outputs["count.out"] == "16\n")
        // Two starts: the first at 0, the second from a checkpoint of at least 4 (the requeue came after it).
        let starts = (outputs["count.starts"] ?? "").split(separator: "\n").map { Int($0.dropFirst("start ".count)) ?? -1 }
        #expect(starts.count == 2)
        #expect(starts.first == 0)
        #expect((starts.last ?? 0) >= 4)
    }
}

@testable import AnnealEngine
import AnnealSpec
import Foundation
import Testing

/// Killing the runner with SIGKILL at any moment never leaves a partial
/// output in use, and the next run ends with the same outputs as a run that
/// was never interrupted.
@Suite(.serialized) struct ResumeTests {
    /// Partly parallel shell steps; `count` checkpoints in its work folder.
    static let pipeline = """
        name: resume
        steps:
          a:
            kind: shell
            with:
              outputs: { out: out.txt }
              command: sleep 0.05; echo a > ${outputs.out}
          b:
            kind: shell
            with:
              outputs: { out: out.txt }
              command: sleep 0.08; echo b > ${outputs.out}
          count:
            kind: shell
            with:
              inputs: { a: "${a.out}" }
              outputs: { out: out.txt }
              command: |
                i=$(cat "$ANNEAL_WORK_DIR/i" 2>/dev/null || echo 0)
                echo "starting at $i"
                while [ "$i" -lt 12 ]; do
                  i=$((i + 1)); sleep 0.02
                  echo $i > "$ANNEAL_WORK_DIR/i.tmp" && mv "$ANNEAL_WORK_DIR/i.tmp" "$ANNEAL_WORK_DIR/i"
                  echo "step $i" >> "$ANNEAL_WORK_DIR/trace"
                done
                cat ${inputs.a} > ${outputs.out}; echo $i >> ${outputs.out}
          join:
            kind: shell
            with:
              inputs: { c: "${count.out}", b: "${b.out}" }
              outputs: { out: out.txt, dir: d/ }
              command: mkdir -p ${outputs.dir} && cat ${inputs.c} ${inputs.b} > ${outputs.out} && cp ${outputs.out} ${outputs.dir}/copy
        """

    @Test func killedRunsResumeToTheSameOutputs() throws {
        let reference = try EngineFixture()
        try reference.write("p.yaml", Self.pipeline)
        let expected = try reference.outputs(reference.run())
        #expect(expected["join.out"] == "a\n12\nb\n")

        var seed: UInt64 = 0x5EED
        for trial in 0..<20 {
            let f = try EngineFixture()
            try f.write("p.yaml", Self.pipeline)
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            let delay = UInt32(seed >> 33) % 600_000  // 0 to 0.6 s: before, during and after steps
            let p = try f.start(["run", "p.yaml"])
            usleep(delay)
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            // Its children die with it; give them a moment to go.
            usleep(50_000)
            let finished = try f.run()
            #expect(finished.outcome == .succeeded, "trial \(trial) (killed after \(delay / 1000) ms)")
            #expect(try f.outputs(finished) == expected, "trial \(trial) (killed after \(delay / 1000) ms)")
        }
    }

    @Test func anInterruptedStepContinuesFromItsCheckpoint() throws {
        let f = try EngineFixture()
        try f.write("p.yaml", Self.pipeline)
        let p = try f.start(["run", "p.yaml", "--only", "a", "--only", "count"])
        // Wait until `count` has made some progress, then kill the runner.
        let ws = try Workspace(root: f.root)
        var trace: String?
        for _ in 0..<500 {
            trace = (try? FileManager.default.contentsOfDirectory(atPath: ws.dot + "/work"))?
                .compactMap { try? String(contentsOfFile: "\(ws.dot)/work/\($0)/trace", encoding: .utf8) }.first
            if let t = trace, t.split(separator: "\n").count >= 3 { break }
            usleep(10_000)
        }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        usleep(50_000)
        let done = try f.run()
        #expect(done.outcome == .succeeded)
        let counted = try #require(try f.outputs(done)["count.out"])
        #expect(counted == "a\n12\n")
        #expect(done.outcome(of: "count") == .ran)
        #expect(done.outcome(of: "a") == .cached)
        // The second attempt started where the first left off, not at 0.
        let log = try #require(done.steps.first { $0.name == "count" }?.log)
        let started = try String(contentsOfFile: log, encoding: .utf8)
        #expect(started.contains("starting at ") && !started.contains("starting at 0"), "\(started)")
    }
}

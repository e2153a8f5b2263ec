import AnnealFiles
@testable import AnnealEngine
import AnnealTestSupport
import Foundation
import Testing

/// Seeded fault injection in the spirit of SQLite's: a small pipeline with a
/// training step runs through the real `anneal` binary while a fault lands at
/// a random point: SIGKILL of the runner or of a step, ENOSPC on the Nth write
/// of every process (`ANNEAL_FAULT_ENOSPC_AT_WRITE`, the same checked write
/// path a full disk takes), or a flipped byte in a random stored object. Then
/// a plain rerun must end with outputs byte-identical to an uninterrupted run,
/// `fsck` must be clean, and after `gc` nothing of the failed attempts is left.
///
/// `ANNEAL_FAULT_TRIALS` (default 50) and `ANNEAL_FAULT_SEED` choose the
/// trials; scripts/fault-soak runs many more.
@Suite(.serialized) struct FaultInjectionTests {
    static let pipeline = """
        name: faults
        steps:
          tok:
            kind: tokenizer
            with: { text: train.jsonl, vocab_size: 300 }
          base:
            kind: pretrain
            with:
              train: train.jsonl
              validation: validation.jsonl
              tokenizer: ${tok.tokenizer}
              model: { layers: 1, heads: 2, width: 16, context: 16 }
              batch_size: 2
              max_steps: 12
              warmup_steps: 2
              eval_interval: 6
              eval_batches: 1
              checkpoint_interval: 3
          copy:
            kind: shell
            with:
              inputs: { m: "${base.model}" }
              outputs: { o: weights.bin }
              command: cp ${inputs.m}/model.safetensors ${outputs.o}
        """

    /// Outputs whose bytes must not depend on faults. `base.metrics` is left
    /// out: its tokens_per_second column is a measured speed.
    static let comparedOutputs = ["tok.tokenizer", "base.model", "copy.o"]

    static func prepare(_ f: EngineFixture) throws {
        var g = SeededGenerator(seed: 7)
        let subjects = ["the cat", "a dog", "the bird", "my friend"], verbs = ["sees", "likes", "finds"]
        let objects = ["the ball", "a tree", "the river"]
        func lines(_ n: Int) -> String {
            (0..<n).map { _ in
                "{\"text\": \"\(subjects.randomElement(using: &g)!) \(verbs.randomElement(using: &g)!) \(objects.randomElement(using: &g)!).\"}\n"
            }.joined()
        }
        try f.write("train.jsonl", lines(120))
        try f.write("validation.jsonl", lines(20))
        try f.write("p.yaml", pipeline)
    }

    /// The digest of each compared output in the workspace's last run.
    static func outputDigests(_ f: EngineFixture) throws -> [String: Digest] {
        let ws = try Workspace(root: f.root)
        let state = PipelineState.load(ws, pipeline: "faults")
        var out: [String: Digest] = [:]
        for name in comparedOutputs {
            let parts = name.split(separator: ".").map(String.init)
            out[name] = state.steps[parts[0]]?.outputs[parts[1]]?.digest
        }
        return out
    }

    /// Starts `anneal run` with extra environment, its output discarded.
    static func startRun(_ f: EngineFixture, environment: [String: String] = [:]) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: EngineFixture.anneal)
        p.arguments = ["run", "p.yaml", "--jobs", "1"]
        p.currentDirectoryURL = URL(fileURLWithPath: f.root)
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    /// Pids whose parent is `pid` (a runner's steps), from /proc.
    static func children(of pid: Int32) -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { name in
            guard let child = Int32(name), let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return nil }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 1 && Int32(fields[1]) == pid ? child : nil
        }
    }

    /// Waits until none of `pids` is alive (zombies count as gone).
    static func waitGone(_ pids: [Int32]) {
        for _ in 0..<400 {
            let alive = pids.filter { pid in
                guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                      let close = stat.lastIndex(of: ")") else { return false }
                return stat[stat.index(after: close)...].split(separator: " ").first != "Z"
            }
            if alive.isEmpty { return }
            usleep(5_000)
        }
    }

    enum Fault: CaseIterable {
        case killRunner, killStep, noSpace, flipByte
    }

    /// What one trial did, for the summary.
    struct Outcome {
        var fault: Fault
        /// The fault hit work in progress (a run that had not finished, an
        /// object the rerun then repaired).
        var hit: Bool
        var resumed: Bool
    }

    /// Applies one fault to the workspace and says whether it hit.
    static func inject(_ fault: Fault, _ f: EngineFixture, _ g: inout SeededGenerator, referenceSeconds: Double) throws -> Bool {
        switch fault {
        case .killRunner, .killStep:
            let run = try startRun(f)
            let delay = Double.random(in: 0...referenceSeconds, using: &g)
            let deadline = Date().addingTimeInterval(delay)
            var victims: [Int32] = []
            while Date() < deadline, run.isRunning { usleep(2_000) }
            guard run.isRunning else { return false }
            victims = children(of: run.processIdentifier)
            if fault == .killRunner {
                kill(run.processIdentifier, SIGKILL)
            } else {
                guard let step = victims.first else {
                    run.waitUntilExit()
                    return false
                }
                kill(step, SIGKILL)
            }
            run.waitUntilExit()
            // A dead runner's steps end on SIGTERM from the kernel; let them
            // go before the next runner takes the workspace.
            waitGone(victims)
            return true
        case .noSpace:
            let n = Int.random(in: 1...60, using: &g)
            let run = try startRun(f, environment: [FaultInjection.enospcVariable: String(n)])
            run.waitUntilExit()
            return run.terminationStatus != 0
        case .flipByte:
            // An object the last run uses: one no run uses (an older run's
            // metrics) is gc's business, and fsck rightly reports it.
            let ws = try Workspace(root: f.root)
            var live: [Digest] = []
            for step in PipelineState.load(ws, pipeline: "faults").steps.values.sorted(by: { $0.name < $1.name }) {
                for artifact in step.outputs.values.sorted(by: { $0.digest < $1.digest }) {
                    live.append(artifact.digest)
                    if artifact.shape == .directory { live += try ws.store.manifest(artifact.digest).entries.map(\.digest) }
                }
            }
            guard let digest = live.randomElement(using: &g) else { return false }
            let path = ws.store.path(of: digest)
            chmod(path, 0o644)
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            guard !data.isEmpty else { return false }
            var bytes = data
            let i = Int.random(in: 0..<bytes.count, using: &g)
            bytes[i] ^= UInt8.random(in: 1...255, using: &g)
            try bytes.write(to: URL(fileURLWithPath: path))
            chmod(path, 0o444)
            return true
        }
    }

    /// Files a failed attempt may leave that gc must clear: attempt folders,
    /// half-written checkpoints and temporary store files.
    static func leftovers(_ f: EngineFixture) -> [String] {
        let dot = f.root + "/.anneal"
        var out: [String] = []
        let walker = FileManager.default.enumerator(atPath: dot + "/work")
        while let p = walker?.nextObject() as? String {
            let name = (p as NSString).lastPathComponent
            if name.hasPrefix("attempt-") || name.hasPrefix(".tmp-") || name.contains(".tmp-") { out.append("work/" + p) }
        }
        out += ((try? FileManager.default.contentsOfDirectory(atPath: dot + "/objects/tmp")) ?? []).map { "objects/tmp/" + $0 }
        return out
    }

    @Test func everyFaultRecoversToTheSameBytes() throws {
        let environment = ProcessInfo.processInfo.environment
        let trials = environment["ANNEAL_FAULT_TRIALS"].flatMap(Int.init) ?? 50
        let seed = environment["ANNEAL_FAULT_SEED"].flatMap(UInt64.init) ?? 0xFA17
        let started = Date()

        let reference = try EngineFixture()
        try Self.prepare(reference)
        let t0 = Date()
        #expect(try reference.anneal(["run", "p.yaml", "--jobs", "1"]).status == 0)
        let referenceSeconds = Date().timeIntervalSince(t0)
        let expected = try Self.outputDigests(reference)
        #expect(expected.count == Self.comparedOutputs.count)

        var outcomes: [Outcome] = []
        // A byte flip needs a finished workspace: it reuses the last trial's.
        var finished: EngineFixture?
        for trial in 0..<trials {
            var g = SeededGenerator(seed: seed &+ UInt64(trial) &* 0x1000_0001)
            let fault = Fault.allCases.randomElement(using: &g)!
            let f: EngineFixture
            if fault == .flipByte, let last = finished {
                f = last
            } else {
                f = try EngineFixture()
                try Self.prepare(f)
                if fault == .flipByte { #expect(try f.anneal(["run", "p.yaml", "--jobs", "1"]).status == 0) }
            }
            let label = "trial \(trial) (seed \(seed), \(fault))"
            let hit = try Self.inject(fault, f, &g, referenceSeconds: referenceSeconds)
            let rerun = try f.anneal(["run", "p.yaml", "--jobs", "1"])
            #expect(rerun.status == 0, "\(label): the rerun failed:\n\(rerun.output)")
            #expect(try Self.outputDigests(f) == expected, "\(label): outputs differ from an uninterrupted run")
            let fsck = try f.anneal(["fsck"])
            #expect(fsck.status == 0, "\(label): fsck after recovery:\n\(fsck.output)")
            #expect(try f.anneal(["gc"]).status == 0)
            #expect(Self.leftovers(f).isEmpty, "\(label): left behind after gc: \(Self.leftovers(f))")
            let baseLog = PipelineState.load(try Workspace(root: f.root), pipeline: "faults").steps["base"]?.log
            let resumed = rerun.output.contains("  run     base")
                && ((baseLog.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) }) ?? "").contains("resuming from")
            outcomes.append(Outcome(fault: fault, hit: hit, resumed: resumed))
            finished = f
        }
        let seconds = Date().timeIntervalSince(started)
        var summary = "fault injection: \(trials) trials, seed \(seed), \(String(format: "%.0f", seconds)) s;"
        for fault in Fault.allCases {
            let of = outcomes.filter { $0.fault == fault }
            summary += " \(fault) \(of.count) (hit \(of.filter(\.hit).count), resumed \(of.filter(\.resumed).count));"
        }
        print(summary + " every trial recovered byte-identical with fsck clean unless an issue is recorded above")
    }
}

import AnnealEngine
import AnnealSpec
import AnnealSteps
import ArgumentParser
import Foundation

/// `anneal bench slurm`: how many trivial steps per minute the Slurm executor
/// submits and completes on the cluster of `SLURM_CONF`.
struct SlurmBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slurm",
        abstract: "Time trivial one-core shell steps run as Slurm jobs: independent steps (throughput) and a chain (latency per dependency).",
        discussion: """
            Generates two pipelines in a fresh workspace under --directory (which every node must see): STEPS \
            independent steps, and a chain of CHAIN steps where each reads the previous one's output. Every \
            command is `echo` into its output; every step declares `resources: { cpus: 1 }`. Each pipeline is \
            run once through the runner and the Slurm executor, in this process, with -j jobs in flight; the \
            run record must show every step ran. Reports wall time, steps per minute and, for the chain, \
            seconds per step (submission after the upstream step ended + queueing + start + the runner noticing \
            the end).
            """)

    @Option(help: "Independent steps.")
    var steps: Int = 60

    @Option(help: "Steps in the chain.")
    var chain: Int = 10

    @Option(name: [.customShort("j"), .long], help: "Jobs in flight at most (the sum of the steps' cpus).")
    var jobs: Int = 32

    @Option(help: "Where to make the throwaway workspace; must be on storage every node sees.")
    var directory: String = FileManager.default.temporaryDirectory.path

    func run() throws {
        guard steps > 0, chain > 0, jobs > 0 else { throw ValidationError("give --steps, --chain and --jobs above 0") }
        try SlurmExecutor.checkReachable()
        let root = "\(directory)/anneal-bench-slurm-\(getpid())"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let nodes = (try? SlurmCommand.run("sinfo", ["-h", "-o", "%D nodes, %c CPUs per node"]))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
        print("cluster: \(nodes); -j \(jobs); binary \(SelfExecutable.path)")
        var rows = [["pipeline", "steps", "jobs submitted", "wall s", "steps/min", "s per step"]]
        for (name, text, count) in [("independent", independent(), steps), ("chain", chained(), chain)] {
            let file = "\(root)/\(name).yaml"
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            let plan = try Compiler(catalog: StepKinds.catalog).compile(path: file)
            var options = RunOptions()
            options.jobs = jobs
            let executor = SlurmExecutor(pipeline: plan.pipeline)
            let runner = Runner(workspace: try Workspace(root: root), plan: plan, options: options,
                                executable: SelfExecutable.path, display: ProgressDisplay(interactive: false, quiet: true),
                                executor: executor)
            let start = Date()
            let record = try runner.run()
            let wall = Date().timeIntervalSince(start)
            guard record.outcome == .succeeded, record.count(.ran) == count else {
                throw ValidationError("the \(name) run did not run every step: \(record.outcome.rawValue), \(record.count(.ran)) of \(count) ran")
            }
            rows.append([name, "\(count)", "\(executor.submitted.count)", String(format: "%.1f", wall),
                         String(format: "%.0f", Double(count) / wall * 60), String(format: "%.2f", wall / Double(count))])
        }
        print(Table.render(rows), terminator: "")
    }

    func independent() -> String {
        var text = "name: bench-slurm-independent\nsteps:\n"
        for i in 0..<steps {
            text += "  s\(i):\n    kind: shell\n    resources: { cpus: 1 }\n    with:\n      outputs: { out: out.txt }\n      command: echo \(i) > ${outputs.out}\n"
        }
        return text
    }

    func chained() -> String {
        var text = "name: bench-slurm-chain\nsteps:\n"
        for i in 0..<chain {
            let input = i == 0 ? "" : "      inputs: { p: \"${c\(i - 1).out}\" }\n"
            let command = i == 0 ? "echo chain > ${outputs.out}" : "cat ${inputs.p} > ${outputs.out}; echo \(i) >> ${outputs.out}"
            text += "  c\(i):\n    kind: shell\n    resources: { cpus: 1 }\n    with:\n\(input)      outputs: { out: out.txt }\n      command: \(command)\n"
        }
        return text
    }
}

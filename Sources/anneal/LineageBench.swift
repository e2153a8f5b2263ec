import AnnealEngine
import AnnealSpec
import AnnealSteps
import ArgumentParser
import Foundation

/// Recording time and the speed of the lineage commands over a long history.
struct LineageBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lineage",
        abstract: "Time recording a run and `anneal log`, `lineage`, `diff` over a long history (targets: 50 ms, 200 ms).",
        discussion: """
            Runs a layered pipeline of shell steps for real with three values of its param, then records \
            RUNS runs cycling through those three records (each with its own number, times and metrics) \
            and times each recording. It then times the commands' own code over that history, each with \
            a freshly opened repository as a new `anneal` process has, and `anneal log` as a whole process.
            """)

    @Option(help: "Runs to record.")
    var runs: Int = 1000

    @Option(help: "Steps in the pipeline.")
    var steps: Int = 50

    @Option(help: "Times each command is timed; the median is reported.")
    var repeats: Int = 15

    @Flag(help: "Keep the workspace with its recorded runs (its path is printed), to try the commands on.")
    var keep = false

    func run() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("anneal-bench-lineage-\(getpid())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer {
            if keep { print("workspace kept: \(directory)") } else { try? FileManager.default.removeItem(atPath: directory) }
        }
        let file = directory + "/layered.yaml"
        try LayeredPipeline.text(steps: steps, width: 10).write(toFile: file, atomically: true, encoding: .utf8)
        let workspace = try Workspace(root: directory)

        print("running the \(steps)-step pipeline for real with three param values...")
        var records: [(Plan, RunRecord)] = []
        for value in ["one", "two", "three"] {
            var overrides = ParamOverrides()
            try overrides.add(assignment: "message=\(value)")
            let plan = try Compiler(catalog: StepKinds.catalog).compile(path: file, overrides: overrides)
            let runner = Runner(workspace: workspace, plan: plan, options: RunOptions(), executable: SelfExecutable.path,
                                display: ProgressDisplay(interactive: false, quiet: true))
            let record = try runner.run()
            guard record.outcome == .succeeded else { throw ValidationError("the benchmark pipeline failed: \(record.id)") }
            records.append((plan, record))
        }

        print("recording \(runs) runs...")
        let recorder = LineageRecorder(workspace: workspace)
        var recordTimes: [Double] = []
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        for n in 1...max(2, runs) {
            var (plan, record) = records[(n - 1) % records.count]
            record.number = n
            record.started = start.addingTimeInterval(Double(n) * 60)
            record.ended = record.started.addingTimeInterval(30)
            for i in record.steps.indices {
                record.steps[i].metrics = .map(["loss": .float(1 / Double(n + i)), "tokens": .int(1000 * n + i)])
            }
            plan.params = record.params
            recordTimes.append(try Self.milliseconds { _ = try recorder.record(record, plan: plan) })
        }

        let leaf = "s\(steps - 1).out"
        let old = "layered#\(max(1, runs / 2))", new = "layered#\(max(2, runs))"
        var results: [(String, [Double], Double)] = [("record a run", recordTimes, 50)]
        results.append(("log (\(runs) runs)", try (0..<repeats).map { _ in
            try Self.milliseconds { _ = LogCommand.render(try RecordedRuns(workspace: workspace).log()) }
        }, 200))
        results.append(("lineage \(leaf)", try (0..<repeats).map { _ in
            try Self.milliseconds {
                _ = try LineageCommand.render(leaf, run: nil, pipeline: nil, direction: .upstream, format: .text,
                                              runs: RecordedRuns(workspace: workspace))
            }
        }, 200))
        results.append(("diff \(old) \(new)", try (0..<repeats).map { _ in
            try Self.milliseconds {
                let history = try RecordedRuns(workspace: workspace)
                _ = DiffCommand.render(try RunComparison(old: history.run(old), new: history.run(new), repository: history.repository))
            }
        }, 200))
        results.append(("process: anneal log", try (0..<repeats).map { _ in
            try Self.milliseconds { try Self.runQuietly(SelfExecutable.path, ["log", "--workspace", directory]) }
        }, 200))

        print("\n\(runs) recorded runs of a \(steps)-step pipeline; milliseconds (\(repeats) timings each, \(recordTimes.count) recordings)")
        var rows = [["operation", "median", "p90", "max", "target", ""]]
        for (name, times, target) in results {
            let sorted = times.sorted()
            let median = sorted[sorted.count / 2], p90 = sorted[min(sorted.count - 1, sorted.count * 9 / 10)]
            rows.append([name, String(format: "%.1f", median), String(format: "%.1f", p90), String(format: "%.1f", sorted.last!),
                         "< \(Int(target))", median < target ? "ok" : "SLOW"])
        }
        print(Table.render(rows), terminator: "")
    }

    static func milliseconds(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
    }

    /// Runs a process with its output discarded; an error if it fails.
    static func runQuietly(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ValidationError("\(executable) \(arguments.joined(separator: " ")) exited \(process.terminationStatus)")
        }
    }
}

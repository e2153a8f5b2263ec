import AnnealEngine
import AnnealSpec
import ArgumentParser
import Foundation

/// `anneal bench engine`: the engine's own cost on layered pipelines of trivial
/// shell steps, each operation timed as a whole `anneal` child process.
struct EngineBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Time `anneal run` (first, no-op, after a change) and `anneal status` as whole processes on layered pipelines (targets: no-op and status of 500 steps < 200 ms; < 20 ms engine overhead per executed step).",
        discussion: """
            For each size, generates a layered pipeline in a temporary folder: width 10, a first layer of steps \
            that each read one input file, and every later step reading the outputs of two steps of the layer \
            before; every command is `cat INPUTS | md5sum > OUT`. Each operation is a separate `anneal` process \
            (this binary), so wall time includes process start; CPU ms is the user + system time of the \
            process and its step processes (from wait4; steady on a busy machine where wall time is not); peak \
            RSS is the largest process of its tree, from wait4. Operations: the first run on an empty workspace, a no-op rerun, `status`, and the rerun \
            after a content change of the first step's input file (its downstream cone reruns). Each is timed \
            REPEATS times (a first run each time on a fresh workspace); the table gives the median, and checks \
            from the run record that exactly the expected steps ran.

            Overhead per executed step is (first-run wall - steps x command time) / steps, run with -j 1 by \
            default so that steps do not overlap; the command time is the median time to spawn and wait for \
            `/bin/sh -c 'cat A B | md5sum > OUT'` from this process. CPU overhead per step is the same with CPU \
            times (the run's whole process tree minus the commands' own CPU). It is split into the part inside the step \
            processes (from the run record: each step's wall time, which covers `anneal _step` starting and \
            spawning the shell, minus the command time) and the part in the runner process (the rest: process \
            start, compiling, hashing, scheduling, storing outputs, writing records and the lineage commit).
            """)

    @Option(help: "Pipeline sizes in steps, comma-separated.")
    var steps: String = "10,100,500"

    @Option(help: "Times each operation is timed; the median is reported.")
    var repeats: Int = 5

    @Option(name: [.customShort("j"), .long], help: "Steps at once in the timed runs (1: overhead per step is exact).")
    var jobs: Int = 1

    @Flag(help: "Keep the generated workspaces (their path is printed).")
    var keep = false

    static let width = 10

    func run() throws {
        let sizes = steps.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }.filter { $0 > 0 }
        guard !sizes.isEmpty, repeats > 0 else { throw ValidationError("give --steps as sizes like 10,100,500 and --repeats > 0") }
        let executable = SelfExecutable.path
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("anneal-bench-engine-\(getpid())").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer {
            if keep { print("workspaces kept: \(root)") } else { try? FileManager.default.removeItem(atPath: root) }
        }
        let (command, commandCPU) = try Self.commandMilliseconds(in: root)
        print("binary: \(executable)")
        print("command time (spawn + wait of /bin/sh -c 'cat A B | md5sum > OUT'): \(Self.format(command)) ms wall, \(Self.format(commandCPU)) ms CPU (median of 31)")
        print("runs with -j \(jobs); \(repeats) timings each; wall ms as median [min-max]; peak RSS of the largest process in MB\n")

        var rows = [["steps", "operation", "median ms", "min-max ms", "CPU ms", "peak RSS MB", "steps run", "target", ""]]
        var overheadRows = [["steps", "first run ms", "commands ms", "overhead/step ms", "in step processes", "in runner",
                             "CPU overhead/step ms", "target", ""]]
        for size in sizes {
            let dir = "\(root)/n\(size)"
            try Self.generate(steps: size, in: dir)
            let pipeline = "\(dir)/pipeline.yaml"
            let runArguments = ["run", pipeline, "--workspace", dir, "-j", String(max(1, jobs))]
            let cone = Self.cone(steps: size)

            var first: [Measurement] = [], stepSeconds: [Double] = []
            for _ in 0..<repeats {
                for path in ["\(dir)/.anneal", "\(dir)/runs"] { try? FileManager.default.removeItem(atPath: path) }
                try Self.writeInput(0, text: "source input 0\n", in: dir)
                var m = try Self.measure(executable, runArguments)
                let record = try Self.lastRun(dir)
                m.ran = record.filter { $0.outcome == .ran }.count
                stepSeconds.append(record.reduce(0) { $0 + $1.wallSeconds })
                first.append(m)
            }
            rows.append(Self.row(size, "first run", first, expected: size, target: nil))

            _ = try Self.measure(executable, runArguments)   // warm-up, untimed
            let noop = try (0..<repeats).map { _ in
                var m = try Self.measure(executable, runArguments)
                m.ran = try Self.lastRun(dir).filter { $0.outcome == .ran }.count
                return m
            }
            rows.append(Self.row(size, "no-op run", noop, expected: 0, target: size >= 500 ? 200 : nil))

            let status = try (0..<repeats).map { _ in try Self.measure(executable, ["status", pipeline, "--workspace", dir]) }
            rows.append(Self.row(size, "status", status, expected: nil, target: size >= 500 ? 200 : nil))

            let changed = try (0..<repeats).map { rep in
                try Self.writeInput(0, text: "source input 0, edit \(rep) of \(getpid())\n", in: dir)
                var m = try Self.measure(executable, runArguments)
                m.ran = try Self.lastRun(dir).filter { $0.outcome == .ran }.count
                return m
            }
            rows.append(Self.row(size, "one input changed", changed, expected: cone, target: nil))

            let wall = Self.median(first.map(\.milliseconds))
            let inSteps = Self.median(stepSeconds) * 1000
            let commands = Double(size) * command
            let perStep = (wall - commands) / Double(size)
            let cpuPerStep = (Self.median(first.map(\.cpuMilliseconds)) - Double(size) * commandCPU) / Double(size)
            overheadRows.append([String(size), Self.format(wall), Self.format(commands), Self.format(perStep),
                                 Self.format((inSteps - commands) / Double(size)), Self.format((wall - inSteps) / Double(size)),
                                 Self.format(cpuPerStep), "< 20", perStep < 20 ? "ok" : "SLOW"])
        }
        print(Table.render(rows))
        print("engine overhead per executed step, first run (ms; -j \(jobs)):")
        print(Table.render(overheadRows), terminator: "")
    }

    /// One timed process: wall time from spawn to reap, and what wait4 reported.
    struct Measurement {
        var milliseconds: Double
        /// User + system CPU time of the process and the children it waited for.
        var cpuMilliseconds: Double
        var peakBytes: Int
        var ran: Int?
    }

    /// Runs `executable arguments` with its output discarded and times it; an error if it fails.
    static func measure(_ executable: String, _ arguments: [String]) throws -> Measurement {
        let start = DispatchTime.now().uptimeNanoseconds
        let child = try ChildProcess.spawn([executable] + arguments, log: "/dev/null", environment: ProcessInfo.processInfo.environment)
        let end = child.wait()
        let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        guard end.succeeded else {
            throw ValidationError("\(executable) \(arguments.joined(separator: " ")) ended with \(end.summary)")
        }
        return Measurement(milliseconds: ms, cpuMilliseconds: end.cpuSeconds * 1000, peakBytes: end.peakMemoryBytes, ran: nil)
    }

    /// Median wall and CPU time, in ms, to spawn and wait for the shell command every step runs, on two small files.
    static func commandMilliseconds(in root: String) throws -> (wall: Double, cpu: Double) {
        let a = "\(root)/a.txt", b = "\(root)/b.txt", out = "\(root)/out.txt"
        try "d41d8cd98f00b204e9800998ecf8427e  -\n".write(toFile: a, atomically: true, encoding: .utf8)
        try "0cc175b9c0f1b6a831c399e269772661  -\n".write(toFile: b, atomically: true, encoding: .utf8)
        let shell = "cat '\(a)' '\(b)' | md5sum > '\(out)'"
        let environment = ProcessInfo.processInfo.environment
        var times: [Double] = [], cpu: [Double] = []
        for _ in 0..<31 {
            let start = DispatchTime.now().uptimeNanoseconds
            let end = try ChildProcess.spawn(["/bin/sh", "-c", shell], log: "/dev/null", environment: environment).wait()
            guard end.succeeded else { throw ValidationError("/bin/sh -c \(shell) ended with \(end.summary)") }
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            cpu.append(end.cpuSeconds * 1000)
        }
        return (median(times), median(cpu))
    }

    /// Writes `pipeline.yaml` and the first layer's input files in `dir`.
    static func generate(steps: Int, in dir: String) throws {
        try FileManager.default.createDirectory(atPath: "\(dir)/inputs", withIntermediateDirectories: true)
        for column in 0..<min(width, steps) { try writeInput(column, text: "source input \(column)\n", in: dir) }
        var out = "name: engine-bench\nsteps:\n"
        out.reserveCapacity(steps * 220)
        for i in 0..<steps {
            let layer = i / width, column = i % width
            out += "  s\(i):\n    kind: shell\n    with:\n      inputs:\n"
            if layer == 0 {
                out += "        a: inputs/in_\(column).txt\n"
                out += "      outputs: { out: out.txt }\n      command: cat ${inputs.a} | md5sum > ${outputs.out}\n"
            } else {
                let a = (layer - 1) * width + column, b = (layer - 1) * width + (column + 1) % width
                out += "        a: ${s\(a).out}\n        b: ${s\(b).out}\n"
                out += "      outputs: { out: out.txt }\n      command: cat ${inputs.a} ${inputs.b} | md5sum > ${outputs.out}\n"
            }
        }
        try out.write(toFile: "\(dir)/pipeline.yaml", atomically: true, encoding: .utf8)
    }

    static func writeInput(_ column: Int, text: String, in dir: String) throws {
        try text.write(toFile: "\(dir)/inputs/in_\(column).txt", atomically: true, encoding: .utf8)
    }

    /// How many steps depend on step 0, itself included.
    static func cone(steps: Int) -> Int {
        var reached = Set([0])
        for i in width..<max(width, steps) {
            let layer = i / width, column = i % width
            let a = (layer - 1) * width + column, b = (layer - 1) * width + (column + 1) % width
            if reached.contains(a) || reached.contains(b) { reached.insert(i) }
        }
        return reached.count
    }

    /// The step records of the workspace's latest run of the pipeline.
    static func lastRun(_ dir: String) throws -> [StepRecord] {
        let history = RunHistory(workspace: try Workspace(root: dir))
        guard let number = history.numbers("engine-bench").last, let value = history.load("engine-bench", number),
              let steps = value["steps"]?.list else { throw ValidationError("no run record in \(dir)/.anneal") }
        return steps.compactMap(StepRecord.init)
    }

    static func row(_ size: Int, _ name: String, _ ms: [Measurement], expected: Int?, target: Double?) -> [String] {
        let times = ms.map(\.milliseconds).sorted()
        let median = median(times)
        let ran = Set(ms.compactMap(\.ran)).sorted().map(String.init).joined(separator: "/")
        var verdict = ""
        if let expected, ms.contains(where: { $0.ran != expected }) { verdict = "WRONG STEPS (expected \(expected))" }
        if let target, median >= target { verdict += verdict.isEmpty ? "SLOW" : ", SLOW" } else if target != nil, verdict.isEmpty { verdict = "ok" }
        return [String(size), name, format(median), "\(format(times.first!))-\(format(times.last!))",
                format(self.median(ms.map(\.cpuMilliseconds))),
                format(self.median(ms.map { Double($0.peakBytes) }) / 1_048_576), ran.isEmpty ? "-" : ran,
                target.map { "< \(Int($0))" } ?? "", verdict]
    }

    static func median(_ values: [Double]) -> Double {
        let s = values.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    static func format(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths < 0 ? "-" : "")\(abs(tenths) / 10).\(abs(tenths) % 10)"
    }
}

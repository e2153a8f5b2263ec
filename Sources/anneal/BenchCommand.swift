import AnnealSpec
import AnnealSteps
import ArgumentParser
import Foundation

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure Anneal's own speed; build with -c release before quoting figures.",
        subcommands: [SpecBench.self, LineageBench.self, EngineBench.self, HashBench.self, SlurmBench.self])
}

/// Parse + validate + compile time of generated layered pipelines.
struct SpecBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spec",
        abstract: "Time parse, validation and compilation of layered pipelines (width 10, two inputs per step).")

    @Option(help: "Pipeline sizes in steps, comma-separated.")
    var steps: String = "1000,10000"

    @Option(help: "Runs per size; the median is reported.")
    var runs: Int = 7

    func run() throws {
        let sizes = steps.split(separator: ",").compactMap { Int($0) }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("anneal-bench-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        print("size   median ms   min ms   max ms   peak RSS MB   (\(runs) runs each)")
        for size in sizes {
            let path = dir.appendingPathComponent("layered-\(size).yaml").path
            try LayeredPipeline.text(steps: size, width: 10).write(toFile: path, atomically: true, encoding: .utf8)
            var times: [Double] = []
            for _ in 0..<runs {
                let start = DispatchTime.now().uptimeNanoseconds
                let plan = try Compiler(catalog: StepKinds.catalog).compile(path: path)
                let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
                precondition(plan.steps.count == size)
                times.append(ms)
            }
            times.sort()
            print(String(format: "%-6d %10.1f %8.1f %8.1f %13.1f", size, times[times.count / 2], times.first!, times.last!,
                         Double(ResourceUsage.peakResidentBytes()) / 1_048_576))
        }
    }
}

/// A layered pipeline of shell steps: `width` steps a layer, each reading two
/// outputs of the layer before.
enum LayeredPipeline {
    static func text(steps: Int, width: Int) -> String {
        var out = "name: layered\nparams:\n  message: hi\nsteps:\n"
        out.reserveCapacity(steps * 200)
        for i in 0..<steps {
            let layer = i / width, column = i % width
            out += "  s\(i):\n    kind: shell\n    with:\n"
            if layer > 0 {
                let a = (layer - 1) * width + column, b = (layer - 1) * width + (column + 1) % width
                out += "      inputs:\n        a: ${s\(a).out}\n        b: ${s\(b).out}\n"
                out += "      outputs: { out: out.txt }\n      command: cat ${inputs.a} ${inputs.b} > ${outputs.out}\n"
            } else {
                out += "      outputs: { out: out.txt }\n      command: echo ${params.message} \(i) > ${outputs.out}\n"
            }
        }
        return out
    }
}

/// The process's own resource use, from getrusage(2).
enum ResourceUsage {
    /// Peak resident set size of this process so far, in bytes.
    static func peakResidentBytes() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss * 1024
    }
}

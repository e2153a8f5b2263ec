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

    @Option(help: "Instead: time pipelines with this many params (comma-separated counts), one step per 100 params reading one.")
    var params: String?

    func run() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("anneal-bench-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        if let params {
            print("params   file MB   median ms   min ms   max ms   peak RSS MB   (\(runs) runs each)")
            for count in params.split(separator: ",").compactMap({ Int($0) }) {
                let path = dir.appendingPathComponent("params-\(count).yaml").path
                let text = ManyParamsPipeline.text(params: count)
                try text.write(toFile: path, atomically: true, encoding: .utf8)
                let times = try (0..<runs).map { _ in
                    try Self.time { try Compiler(catalog: StepKinds.catalog).compile(path: path) }
                }.sorted()
                print(String(format: "%-8d %8.1f %11.1f %8.1f %8.1f %13.1f", count, Double(text.utf8.count) / 1_048_576,
                             times[times.count / 2], times.first!, times.last!, Double(ResourceUsage.peakResidentBytes()) / 1_048_576))
            }
            return
        }
        let sizes = steps.split(separator: ",").compactMap { Int($0) }
        print("size   median ms   min ms   max ms   peak RSS MB   (\(runs) runs each)")
        for size in sizes {
            let path = dir.appendingPathComponent("layered-\(size).yaml").path
            try LayeredPipeline.text(steps: size, width: 10).write(toFile: path, atomically: true, encoding: .utf8)
            let times = try (0..<runs).map { _ in
                try Self.time {
                    let plan = try Compiler(catalog: StepKinds.catalog).compile(path: path)
                    precondition(plan.steps.count == size)
                }
            }.sorted()
            print(String(format: "%-6d %10.1f %8.1f %8.1f %13.1f", size, times[times.count / 2], times.first!, times.last!,
                         Double(ResourceUsage.peakResidentBytes()) / 1_048_576))
        }
    }
}

extension SpecBench {
    /// Milliseconds `body` took.
    static func time(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
    }
}

/// A pipeline that is mostly params (a flat map of `count`), with one shell
/// step per 100 params echoing one of them: the shape of a generated sweep
/// file, where params are looked up by name many times.
enum ManyParamsPipeline {
    static func text(params count: Int) -> String {
        var out = "name: params\nparams:\n"
        out.reserveCapacity(count * 20)
        for i in 0..<count { out += "  p\(i): \(i)\n" }
        out += "steps:\n"
        for s in 0..<max(1, count / 100) {
            out += "  s\(s):\n    kind: shell\n    with:\n      outputs: { o: o.txt }\n      command: echo ${params.p\(s * 100)} > ${outputs.o}\n"
        }
        return out
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

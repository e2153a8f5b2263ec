import AnnealEngine
import AnnealFiles
import AnnealSpec
import AnnealTensor
import Foundation

/// What a training step says about itself as it goes: one JSON line per
/// optimiser step (PPO: per iteration) in `metrics.jsonl` with the named
/// figures the kind logs, kept in the work folder so a resumed run continues
/// the same file; one nanoGPT-style line on stdout for the step log; and the
/// live progress the runner draws. A figure that is not finite is written as
/// the text "nan", "inf" or "-inf" (never as a number).
final class TrainingLog {
    /// The `metrics` output of `pretrain` and `sft`.
    static let output = OutputDeclaration("metrics", path: "metrics.jsonl", shape: .file,
                                          doc: "one line per step: step, loss, learning_rate, grad_norm, tokens_per_second, ms_per_step, validation_loss when measured")

    let path: String
    let context: StepContext
    let totalSteps: Int
    private var handle: AppendOnlyFile

    /// Opens `metrics.jsonl` in the work folder, dropping rows after
    /// `resumedStep` (written after the checkpoint the run resumes from).
    init(context: StepContext, totalSteps: Int, resumedStep: Int) throws {
        self.context = context
        self.totalSteps = totalSteps
        path = context.workDirectory + "/metrics.jsonl"
        try FileManager.default.createDirectory(atPath: context.workDirectory, withIntermediateDirectories: true)
        var kept = ""
        if let old = try? String(contentsOfFile: path, encoding: .utf8) {
            for line in old.split(separator: "\n") {
                guard let row = try? JSONReader.parse(String(line)), let step = row["step"]?.int, step <= resumedStep else { continue }
                kept += line + "\n"
            }
        }
        try AtomicFile.write(kept, to: path)
        handle = try AppendOnlyFile(path: path)
    }


    /// Records one row; `shown` names the figures printed on the step's log
    /// line after the step number, in order (absent ones are skipped).
    func record(step: Int, _ figures: [String: Double], shown: [String]) {
        var row: [String: Value] = ["step": .int(step)]
        for (name, value) in figures { row[name] = .float(value) }
        handle.append(CanonicalJSON.encode(.map(row)) + "\n")
        let parts = shown.compactMap { name in figures[name].map { Self.display(name, $0) } }
        print((["step \(step)/\(totalSteps)"] + parts).joined(separator: " | "))
        fflush(nil)
        guard step > 0 else { return }
        context.report(progress: Double(step) / Double(max(totalSteps, 1)),
                       status: (["step \(step)/\(totalSteps)"] + parts.prefix(2)).joined(separator: " "))
    }

    /// "1 thread" or "N threads": the kernels' thread count, for a step's first log line.
    static var threads: String {
        ComputeThreads.count == 1 ? "1 thread" : "\(ComputeThreads.count) threads"
    }

    /// A figure as the log line shows it.
    static func display(_ name: String, _ value: Double) -> String {
        switch name {
        case "learning_rate": return String(format: "lr %.3e", value)
        case "grad_norm": return String(format: "norm %.4f", value)
        case "tokens_per_second": return String(format: "%.0f tok/s", value)
        case "ms_per_step": return String(format: "%.1f ms", value)
        case "loss", "validation_loss": return name.replacingOccurrences(of: "_", with: " ") + String(format: " %.4f", value)
        default: return name + " " + String(format: "%.4g", value)
        }
    }

    /// Copies the rows so far to the step's `metrics` output.
    func publish(to output: String) throws {
        try handle.synchronize()
        try AtomicFile.write(try Data(contentsOf: URL(fileURLWithPath: path)), to: output)
    }
}

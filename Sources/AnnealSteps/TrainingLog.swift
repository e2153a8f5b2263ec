import AnnealEngine
import AnnealFiles
import AnnealSpec
import Foundation

/// What a training step says about itself as it goes: one JSON line per
/// optimiser step in `metrics.jsonl` (kept in the work folder so a resumed
/// run continues the same file), one nanoGPT-style line on stdout for the
/// step log, and the live progress the runner draws.
final class TrainingLog {
    /// The `metrics` output of the training kinds.
    static let output = OutputDeclaration("metrics", path: "metrics.jsonl", shape: .file,
                                          doc: "one line per step: step, loss, learning_rate, grad_norm, tokens_per_second, validation_loss when measured")

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

    /// Records one optimiser step.
    func step(_ step: Int, loss: Float, learningRate: Float, gradientNorm: Float, tokens: Int, seconds: Double,
              validationLoss: Float?) {
        let tokensPerSecond = Double(tokens) / max(seconds, 1e-9)
        var row: [String: Value] = [
            "step": .int(step), "loss": .float(Double(loss)), "learning_rate": .float(Double(learningRate)),
            "grad_norm": .float(Double(gradientNorm)), "tokens_per_second": .float(tokensPerSecond.rounded()),
        ]
        if let validationLoss {
            row["validation_loss"] = .float(Double(validationLoss))
            row["validation_perplexity"] = .float(Double(exp(validationLoss)))
        }
        handle.append(CanonicalJSON.encode(.map(row)) + "\n")
        var line = String(format: "step %d/%d | loss %.4f | lr %.3e | norm %.4f | %.0f tok/s | %.1f ms",
                          step, totalSteps, loss, learningRate, gradientNorm, tokensPerSecond, seconds * 1000)
        if let validationLoss { line += String(format: " | val loss %.4f ppl %.2f", validationLoss, exp(validationLoss)) }
        print(line)
        fflush(nil)
        context.report(progress: Double(step) / Double(max(totalSteps, 1)),
                       status: String(format: "step %d/%d loss %.3f %.0f tok/s", step, totalSteps, loss, tokensPerSecond))
    }

    /// Records the validation loss before the first step (step 0).
    func initialValidation(_ loss: Float) {
        let row: [String: Value] = ["step": .int(0), "validation_loss": .float(Double(loss)),
                                    "validation_perplexity": .float(Double(exp(loss)))]
        handle.append(CanonicalJSON.encode(.map(row)) + "\n")
        print(String(format: "step 0/%d | val loss %.4f ppl %.2f", totalSteps, loss, exp(loss)))
        fflush(nil)
    }

    /// Copies the rows so far to the step's `metrics` output.
    func publish(to output: String) throws {
        try handle.synchronize()
        try AtomicFile.write(try Data(contentsOf: URL(fileURLWithPath: path)), to: output)
    }
}

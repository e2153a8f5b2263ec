import AnnealEngine
import AnnealFiles
import AnnealSpec
import Foundation

/// The metrics file of the alignment steps: one JSON object per optimiser
/// step (or PPO iteration) with whatever named figures the step logs
/// (`rewards/chosen`, `objective/kl`, ...), kept in the work folder so a
/// resumed run continues the same file, plus a one-line summary on stdout and
/// the live progress the runner draws.
final class AlignmentLog {
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

    /// Records one row; `shown` names the figures printed on the step's log line, in order.
    func record(step: Int, _ values: [String: Double], shown: [String]) {
        var row: [String: Value] = ["step": .int(step)]
        for (k, v) in values { row[k] = .float(v.isFinite ? v : 0) }
        handle.append(CanonicalJSON.encode(.map(row)) + "\n")
        let figures = shown.compactMap { key in values[key].map { key + " " + String(format: "%.4g", $0) } }
        print((["step \(step)/\(totalSteps)"] + figures).joined(separator: " | "))
        fflush(nil)
        let status = figures.prefix(2).joined(separator: " ")
        context.report(progress: Double(step) / Double(max(totalSteps, 1)), status: "step \(step)/\(totalSteps) \(status)")
    }

    /// Copies the rows so far to the step's `metrics` output.
    func publish(to output: String) throws {
        try handle.synchronize()
        try AtomicFile.write(try Data(contentsOf: URL(fileURLWithPath: path)), to: output)
    }

    /// The rows written so far, for summaries.
    func rows() throws -> [[String: Value]] {
        try handle.synchronize()
        return try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { try JSONReader.parse(String($0)).map ?? [:] }
    }
}

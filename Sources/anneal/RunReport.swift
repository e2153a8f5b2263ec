import AnnealEngine
import Foundation

/// What `anneal report` shows about one recorded run, read from its lineage
/// commit and the store: the steps, the training curves, the evaluation, the
/// sample answers and the lineage of every model.
struct RunReport {
    /// One training step's curves, each chart read from its `metrics.jsonl`.
    struct TrainingCurves {
        var step: String
        var kind: String
        var charts: [LineChartSVG]
    }

    /// One row of an `evaluate` step's `metrics.json`.
    struct EvaluationRow {
        var model: String
        var suite: String
        var metric: String
        var value: Double
    }

    /// One generated answer from an `evaluate` step's `samples.jsonl`.
    struct Sample {
        var model: String
        var suite: String
        var prompt: String
        var completion: String
    }

    var run: RecordedRun
    var training: [TrainingCurves] = []
    /// The evaluation rows, by evaluate step name, in step order.
    var evaluations: [(step: String, rows: [EvaluationRow], samples: [Sample])] = []
    /// The upstream lineage (as `anneal lineage` prints it) of every step's `model` output.
    var lineages: [(subject: String, text: String)] = []

    /// Metric keys charted for each kind of training step, a chart per group; a group is
    /// drawn when the step logged at least one of its keys.
    static let chartedMetrics: [String: [(title: String, keys: [String])]] = [
        "pretrain": [("loss", ["loss", "validation_loss"])],
        "sft": [("loss", ["loss", "validation_loss"])],
        "reward-model": [("loss", ["loss", "eval_loss"]), ("accuracy", ["accuracy", "eval_accuracy"]),
                         ("margin", ["margin", "eval_margin"])],
        "dpo": [("loss", ["loss", "eval_loss"]), ("reward margins", ["rewards/margins", "eval_rewards/margins"]),
                ("reward accuracy", ["rewards/accuracies", "eval_rewards/accuracies"])],
        "ppo": [("reward", ["objective/scores", "objective/rlhf_reward"]), ("KL", ["objective/kl"]),
                ("losses", ["loss/policy_avg", "loss/value_avg"])],
    ]

    /// Reads everything the report shows about `run`.
    init(run: RecordedRun, runs: RecordedRuns, workspace: Workspace) {
        self.run = run
        for step in run.steps {
            let outputs = step.record.outputs
            if let groups = Self.chartedMetrics[step.kind], let metrics = outputs["metrics"],
               let text = try? String(contentsOfFile: workspace.store.path(of: metrics.digest), encoding: .utf8) {
                let lines = text.split(separator: "\n").compactMap { line in
                    (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
                }
                var charts: [LineChartSVG] = []
                for group in groups {
                    let series = group.keys.compactMap { key -> LineChartSVG.Series? in
                        let points = lines.enumerated().compactMap { i, line -> (x: Double, y: Double)? in
                            guard let y = (line[key] as? NSNumber)?.doubleValue else { return nil }
                            return (Double((line["step"] as? NSNumber)?.intValue ?? i), y)
                        }
                        return points.isEmpty ? nil : LineChartSVG.Series(name: key, points: points)
                    }
                    if !series.isEmpty {
                        charts.append(LineChartSVG(title: "\(step.name): \(group.title)", xLabel: "step", series: series,
                                                   identifier: "\(step.name)/\(group.title)"))
                    }
                }
                training.append(TrainingCurves(step: step.name, kind: step.kind, charts: charts))
            }
            if step.kind == "evaluate", let metrics = outputs["metrics"] {
                let rows = (Self.readJSON(workspace.store.path(of: metrics.digest)) as? [[String: Any]] ?? []).compactMap { r -> EvaluationRow? in
                    guard let model = r["model"] as? String, let suite = r["suite"] as? String, let metric = r["metric"] as? String,
                          let value = (r["value"] as? NSNumber)?.doubleValue else { return nil }
                    return EvaluationRow(model: model, suite: suite, metric: metric, value: value)
                }
                var samples: [Sample] = []
                if let s = outputs["samples"], let text = try? String(contentsOfFile: workspace.store.path(of: s.digest), encoding: .utf8) {
                    for line in text.split(separator: "\n") {
                        guard let o = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any],
                              let model = o["model"] as? String, let suite = o["suite"] as? String,
                              let prompt = (o["prompt"] as? String) ?? (o["question"] as? String),
                              let completion = o["completion"] as? String else { continue }
                        samples.append(Sample(model: model, suite: suite, prompt: prompt, completion: completion))
                    }
                }
                evaluations.append((step.name, rows, samples))
            }
            if step.record.outputs["model"] != nil, let reference = try? runs.locate("\(step.name).model", run: run.id),
               let graph = try? runs.lineage(of: reference.1, in: reference.0, direction: .upstream) {
                lineages.append(("\(step.name).model", LineageGraphFormat.text.render(graph)))
            }
        }
    }

    static func readJSON(_ path: String) -> Any? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONSerialization.jsonObject(with: data)
    }
}

import AnnealEngine
import ArgumentParser
import Foundation

struct MetricsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "Show the metrics of recorded runs side by side, one column per run.",
        discussion: "Without RUN arguments: the last 5 runs of every pipeline recorded in the workspace.")

    @Argument(help: ArgumentHelp("Runs: NAME#N, NAME, NAME~K or commit hash prefixes.", valueName: "run"))
    var runs: [String] = []

    @Option(help: "With no RUN: how many of each pipeline's latest runs.")
    var last: Int = 5

    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
        let ws = try workspace.open()
        let text = try LineageFailure.reporting {
            let recorded = try RecordedRuns(workspace: ws)
            var selected: [RecordedRun]
            if runs.isEmpty {
                selected = []
                for pipeline in try recorded.pipelines() {
                    let entries = try recorded.log(pipeline: pipeline, limit: max(1, last))
                    selected += try entries.reversed().map { try recorded.run($0.commit) }
                }
            } else {
                selected = try runs.map { try recorded.run($0) }
            }
            return Self.render(selected)
        }
        print(text, terminator: "")
    }

    /// One table per pipeline: a row per step metric, a column per run (in the order given).
    static func render(_ runs: [RecordedRun]) -> String {
        var pipelines: [String] = []
        for run in runs where !pipelines.contains(run.pipeline) { pipelines.append(run.pipeline) }
        var out = ""
        for pipeline in pipelines {
            let columns = runs.filter { $0.pipeline == pipeline }
            var keys: [(step: String, metric: String)] = []
            var values: [String: [String: String]] = [:]
            for (i, run) in columns.enumerated() {
                for step in run.steps {
                    for (metric, value) in ValueLeaves.of(step.record.metrics).sorted(by: { $0.key < $1.key }) where value != "{}" {
                        let key = "\(step.name)\u{0}\(metric)"
                        if values[key] == nil {
                            keys.append((step.name, metric))
                            values[key] = [:]
                        }
                        values[key]![String(i)] = value
                    }
                }
            }
            if !out.isEmpty { out += "\n" }
            guard !keys.isEmpty else {
                out += "\(pipeline): no metrics recorded in \(columns.map(\.id).joined(separator: ", "))\n"
                continue
            }
            var rows = [["step", "metric"] + columns.map(\.id)]
            for key in keys {
                let row = values["\(key.step)\u{0}\(key.metric)"]!
                rows.append([key.step, key.metric] + columns.indices.map { row[String($0)] ?? "-" })
            }
            out += Table.render(rows)
        }
        return out.isEmpty ? "no runs given\n" : out
    }
}

import AnnealEngine
import AnnealLineage
import Foundation

/// A `RunReport` as one self-contained HTML page: styles inline, every plot an
/// inline SVG, no script and no link to anything outside the file.
enum RunReportPage {
    static func html(_ report: RunReport) -> String {
        let run = report.run
        var body = "<h1>\(HTMLText.escape(run.id))</h1>"
        var duration = "-"
        if let started = run.started, let ended = run.ended { duration = ProgressDisplay.duration(ended.timeIntervalSince(started)) }
        body += "<p class=\"meta\">outcome <b>\(HTMLText.escape(run.outcome))</b> · \(duration) · commit <code>\(HTMLText.escape(run.commit.id.abbreviated()))</code>"
            + (run.started.map { " · started \(Timestamps.format($0))" } ?? "") + "</p>"
        body += "<h2 id=\"dag\">Steps</h2>" + dag(run)
        body += "<h2 id=\"training\">Training curves</h2>"
        if report.training.isEmpty { body += "<p>No training step in this run.</p>" }
        for t in report.training {
            body += "<section class=\"training\" data-step=\"\(HTMLText.escape(t.step))\"><h3>\(HTMLText.escape(t.step)) <small>(\(HTMLText.escape(t.kind)))</small></h3>"
            body += t.charts.isEmpty ? "<p>No metrics were logged.</p>" : "<div class=\"charts\">" + t.charts.map(\.svg).joined() + "</div>"
            body += "</section>"
        }
        for e in report.evaluations {
            body += "<h2 id=\"evaluation-\(HTMLText.escape(e.step))\">Evaluation: \(HTMLText.escape(e.step))</h2>" + evaluationTable(e.rows)
            body += "<h3>Answers side by side</h3>" + samples(e.samples)
        }
        body += "<h2 id=\"lineage\">Lineage of each model</h2>"
        if report.lineages.isEmpty { body += "<p>No model in this run.</p>" }
        for l in report.lineages {
            body += "<details><summary>\(HTMLText.escape(l.subject))</summary><pre>\(HTMLText.escape(l.text))</pre></details>"
        }
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(HTMLText.escape(run.id)) — Anneal report</title>
            <style>\(style)</style></head>
            <body>\(body)</body></html>

            """
    }

    static let style = """
        body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1200px;padding:0 16px;color:#222}
        h1{margin-bottom:4px}.meta{color:#555}code,pre{font:12px/1.4 ui-monospace,monospace}
        pre{background:#f6f6f6;padding:8px;overflow:auto}.charts{display:flex;flex-wrap:wrap;gap:12px}
        .chart .plot{fill:#fafafa;stroke:#bbb}.chart text{font-size:11px;fill:#333}.chart .chart-title{font-size:12px;font-weight:600}
        table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 8px;vertical-align:top}
        th{background:#f0f0f0}td.num{text-align:right;font-variant-numeric:tabular-nums}td.best{font-weight:700}
        .dag .box{stroke:#555;rx:6}.dag text{font-size:11px}.dag .edge{stroke:#999;fill:none}
        """

    static let outcomeColors = ["ran": "#d8f0d8", "cached": "#e4ecf7", "failed": "#f7d4d4", "skipped": "#eeeeee", "interrupted": "#f7ecd4"]

    /// The steps as a layered SVG graph: each step in the column after the deepest step it reads.
    static func dag(_ run: RecordedRun) -> String {
        var layer: [String: Int] = [:]
        for s in run.steps { layer[s.name] = (s.dependencies.compactMap { layer[$0] }.max() ?? -1) + 1 }
        var rowInLayer: [Int: Int] = [:]
        var place: [String: (x: Double, y: Double)] = [:]
        let boxW = 150.0, boxH = 42.0, gapX = 40.0, gapY = 14.0
        for s in run.steps {
            let l = layer[s.name] ?? 0, r = rowInLayer[l, default: 0]
            rowInLayer[l] = r + 1
            place[s.name] = (10 + Double(l) * (boxW + gapX), 10 + Double(r) * (boxH + gapY))
        }
        let width = 20 + Double((layer.values.max() ?? 0) + 1) * (boxW + gapX)
        let height = 20 + Double(rowInLayer.values.max() ?? 1) * (boxH + gapY)
        var out = "<svg class=\"dag\" data-chart=\"dag\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\"><title>steps of \(HTMLText.escape(run.id))</title>"
        for s in run.steps {
            guard let to = place[s.name] else { continue }
            for d in s.dependencies {
                guard let from = place[d] else { continue }
                let x1 = from.x + boxW, y1 = from.y + boxH / 2, x2 = to.x, y2 = to.y + boxH / 2
                out += "<path class=\"edge\" d=\"M\(LineChartSVG.coordinate(x1)),\(LineChartSVG.coordinate(y1)) C\(LineChartSVG.coordinate(x1 + gapX / 2)),\(LineChartSVG.coordinate(y1)) \(LineChartSVG.coordinate(x2 - gapX / 2)),\(LineChartSVG.coordinate(y2)) \(LineChartSVG.coordinate(x2)),\(LineChartSVG.coordinate(y2))\"/>"
            }
        }
        for s in run.steps {
            guard let p = place[s.name] else { continue }
            let outcome = s.record.outcome.rawValue
            let time = s.record.outcome == .ran || s.record.outcome == .failed ? ProgressDisplay.duration(s.record.wallSeconds) : "-"
            out += "<g class=\"step\" data-step=\"\(HTMLText.escape(s.name))\" data-outcome=\"\(outcome)\">"
            out += "<rect class=\"box\" x=\"\(p.x)\" y=\"\(p.y)\" width=\"\(boxW)\" height=\"\(boxH)\" fill=\"\(outcomeColors[outcome] ?? "#fff")\"/>"
            out += "<text x=\"\(p.x + 8)\" y=\"\(p.y + 17)\" font-weight=\"600\">\(HTMLText.escape(s.name))</text>"
            out += "<text x=\"\(p.x + 8)\" y=\"\(p.y + 33)\">\(HTMLText.escape(s.kind)) · \(outcome) · \(time)</text></g>"
        }
        return out + "</svg>"
    }

    /// Rows suite/metric, a column per model.
    static func evaluationTable(_ rows: [RunReport.EvaluationRow]) -> String {
        var models: [String] = [], keys: [String] = [], values: [String: Double] = [:]
        for r in rows {
            if !models.contains(r.model) { models.append(r.model) }
            let key = "\(r.suite)/\(r.metric)"
            if !keys.contains(key) { keys.append(key) }
            values["\(key)\u{0}\(r.model)"] = r.value
        }
        var out = "<table class=\"evaluation\"><tr><th>suite / metric</th>" + models.map { "<th>\(HTMLText.escape($0))</th>" }.joined() + "</tr>"
        for key in keys {
            out += "<tr><td>\(HTMLText.escape(key))</td>"
            for m in models {
                out += "<td class=\"num\">" + (values["\(key)\u{0}\(m)"].map { String(format: "%.4g", $0) } ?? "") + "</td>"
            }
            out += "</tr>"
        }
        return out + "</table>"
    }

    /// For each suite, a row per prompt and a column per model (at most 12 prompts a suite).
    static func samples(_ samples: [RunReport.Sample]) -> String {
        guard !samples.isEmpty else { return "<p>No samples.</p>" }
        var models: [String] = [], suites: [String] = []
        var prompts: [String: [String]] = [:], answers: [String: [String]] = [:]
        for s in samples {
            if !models.contains(s.model) { models.append(s.model) }
            if !suites.contains(s.suite) { suites.append(s.suite) }
            if !(prompts[s.suite] ?? []).contains(s.prompt) { prompts[s.suite, default: []].append(s.prompt) }
            answers["\(s.suite)\u{0}\(s.prompt)\u{0}\(s.model)", default: []].append(s.completion)
        }
        var out = ""
        for suite in suites {
            let list = prompts[suite] ?? []
            out += "<h4>\(HTMLText.escape(suite))\(list.count > 12 ? " (the first 12 of \(list.count) prompts)" : "")</h4>"
            out += "<table class=\"samples\"><tr><th>prompt</th>" + models.map { "<th>\(HTMLText.escape($0))</th>" }.joined() + "</tr>"
            for prompt in list.prefix(12) {
                out += "<tr><td>\(HTMLText.escape(prompt))</td>"
                for m in models {
                    out += "<td>" + (answers["\(suite)\u{0}\(prompt)\u{0}\(m)"] ?? []).map(HTMLText.escape).joined(separator: "<hr>") + "</td>"
                }
                out += "</tr>"
            }
            out += "</table>"
        }
        return out
    }
}

import Foundation

/// Metrics side by side: one row per metric, one column per model.
struct ComparisonTable {
    var models: [String]
    /// metric -> model -> value
    var values: [String: [String: Double]]

    var text: String {
        let metrics = values.keys.sorted()
        let header = ["metric"] + models
        let rows = metrics.map { m in [m] + models.map { values[m]?[$0].map(Self.format) ?? "-" } }
        let widths = header.indices.map { i in ([header] + rows).map { $0[i].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in
                i == 0 ? c.padding(toLength: widths[i], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[i] - c.count) + c
            }.joined(separator: "  ")
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n") + "\n"
    }

    static func format(_ v: Double) -> String {
        abs(v) >= 1000 ? String(format: "%.1f", v) : String(format: "%.4f", v)
    }
}

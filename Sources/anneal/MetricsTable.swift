import AnnealSpec
import Foundation

/// Metrics shaped `metric: {model: value}` (what `evaluate` records) as a
/// table with a row per metric and a column per model.
enum MetricsTable {
    /// The table, or nil when the metrics are not of that shape.
    static func render(_ metrics: Value) -> String? {
        guard let m = metrics.map, !m.isEmpty else { return nil }
        var columns = Set<String>()
        for value in m.values {
            guard let row = value.map, !row.isEmpty, row.values.allSatisfy({ $0.double != nil }) else { return nil }
            columns.formUnion(row.keys)
        }
        let models = columns.sorted()
        var rows: [[String]] = [["metric"] + models]
        for name in m.keys.sorted() {
            let row = m[name]!.map!
            rows.append([name] + models.map { model in row[model]?.double.map { format($0) } ?? "-" })
        }
        return Table.render(rows)
    }

    static func format(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e9 { return String(Int(v)) }
        if abs(v) >= 100 { return String(format: "%.1f", v) }
        return String(format: "%.4f", v)
    }
}

import Foundation

/// A line chart drawn as inline SVG: one polyline per series over shared axes,
/// with the range of each axis written at its ends and a legend. No script, no
/// external resource, so a report that embeds it opens anywhere.
struct LineChartSVG {
    /// One line of the chart: a name for the legend and its (x, y) points.
    struct Series {
        var name: String
        var points: [(x: Double, y: Double)]
    }

    var title: String
    var xLabel: String
    var series: [Series]
    /// An identifier written on the `<svg>` element (`data-chart`), so a test or a reader can find it.
    var identifier: String
    var width = 460.0
    var height = 220.0

    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf"]

    /// The chart as an `<svg>` element.
    var svg: String {
        let left = 58.0, right = 12.0, top = 26.0, bottom = 34.0
        let plotW = width - left - right, plotH = height - top - bottom
        let all = series.flatMap { $0.points }.filter { $0.x.isFinite && $0.y.isFinite }
        var out = "<svg class=\"chart\" data-chart=\"\(HTMLText.escape(identifier))\" "
            + "width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\">"
        out += "<title>\(HTMLText.escape(title))</title>"
        out += "<text x=\"\(Int(left))\" y=\"16\" class=\"chart-title\">\(HTMLText.escape(title))</text>"
        out += "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(plotW)\" height=\"\(plotH)\" class=\"plot\"/>"
        guard let minX = all.map({ $0.x }).min(), let maxX = all.map({ $0.x }).max(),
              var minY = all.map({ $0.y }).min(), var maxY = all.map({ $0.y }).max() else {
            return out + "<text x=\"\(left + 8)\" y=\"\(top + plotH / 2)\">no values</text></svg>"
        }
        if minY == maxY { minY -= 1; maxY += 1 }
        let spanX = maxX > minX ? maxX - minX : 1, spanY = maxY - minY
        func px(_ x: Double) -> Double { left + (x - minX) / spanX * plotW }
        func py(_ y: Double) -> Double { top + (1 - (y - minY) / spanY) * plotH }
        out += axisText(x: left - 4, y: top + 10, anchor: "end", Self.number(maxY))
        out += axisText(x: left - 4, y: top + plotH, anchor: "end", Self.number(minY))
        out += axisText(x: left, y: height - 18, anchor: "start", Self.number(minX))
        out += axisText(x: left + plotW, y: height - 18, anchor: "end", Self.number(maxX))
        out += axisText(x: left + plotW / 2, y: height - 4, anchor: "middle", xLabel)
        var legendX = left + 6
        for (i, s) in series.enumerated() {
            let color = Self.palette[i % Self.palette.count]
            let pts = s.points.filter { $0.x.isFinite && $0.y.isFinite }
            if pts.count == 1 {
                out += "<circle cx=\"\(Self.coordinate(px(pts[0].x)))\" cy=\"\(Self.coordinate(py(pts[0].y)))\" r=\"3\" fill=\"\(color)\"/>"
            } else if !pts.isEmpty {
                let path = pts.map { "\(Self.coordinate(px($0.x))),\(Self.coordinate(py($0.y)))" }.joined(separator: " ")
                out += "<polyline class=\"series\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\" points=\"\(path)\"/>"
            }
            out += "<rect x=\"\(Self.coordinate(legendX))\" y=\"\(top + 6)\" width=\"10\" height=\"3\" fill=\"\(color)\"/>"
            out += "<text x=\"\(Self.coordinate(legendX + 14))\" y=\"\(top + 11)\" class=\"legend\">\(HTMLText.escape(s.name))</text>"
            legendX += 22 + Double(s.name.count) * 6.2
        }
        return out + "</svg>"
    }

    private func axisText(x: Double, y: Double, anchor: String, _ text: String) -> String {
        "<text x=\"\(Self.coordinate(x))\" y=\"\(Self.coordinate(y))\" text-anchor=\"\(anchor)\" class=\"axis\">\(HTMLText.escape(text))</text>"
    }

    static func coordinate(_ v: Double) -> String { String(format: "%.1f", v) }

    /// A short, readable axis number: 4 significant digits.
    static func number(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e7 { return String(Int(v)) }
        return String(format: "%.4g", v)
    }
}

import AnnealEngine

/// Rows of a data file left out because a model learns nothing from them (an
/// SFT example with an empty answer, a preference pair whose chosen answer is
/// the rejected one), kept by line number so the step can warn, count them in
/// its metrics, and fail when nothing is left.
struct DroppedRows {
    /// The file the rows are in.
    let path: String
    /// Why such a row teaches nothing, as a noun phrase ("pairs whose chosen and rejected answers are identical").
    let what: String
    /// What to do about them.
    let advice: String
    /// Line numbers of the rows left out, in file order.
    private(set) var lines: [Int] = []

    init(path: String, what: String, advice: String) {
        self.path = path
        self.what = what
        self.advice = advice
    }

    var count: Int { lines.count }

    mutating func add(line: Int) { lines.append(line) }

    /// `warning: FILE: left out 2 pairs whose ... (lines 3, 9); ADVICE`, or nil when none were left out.
    var warning: String? {
        guard !lines.isEmpty else { return nil }
        let shown = lines.prefix(10).map(String.init).joined(separator: ", ") + (lines.count > 10 ? ", ..." : "")
        return "warning: \(path): left out \(lines.count) \(what) (line\(lines.count == 1 ? "" : "s") \(shown)); \(advice)"
    }

    /// Prints the warning into the step's log, if any row was left out.
    func warn() {
        if let warning { print(warning) }
    }

    /// The error when every one of `total` rows was left out: nothing to learn from.
    func nothingLeft(total: Int) -> StepFailure {
        StepFailure("\(path): all \(total) lines hold \(what), so nothing is left to learn from; \(advice)")
    }
}

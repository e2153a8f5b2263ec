import AnnealEngine

/// Rows of a data file left out because a model learns nothing from them (an
/// SFT example with an empty answer, a preference pair whose chosen answer is
/// the rejected one), kept by line number so the step can warn, count them in
/// its metrics, and fail when nothing is left.
struct DroppedRows {
    /// The file the rows are in.
    let path: String
    /// What such a row is, as a singular noun phrase ("a pair whose chosen and rejected answers are identical").
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

    /// `warning: FILE: left out 2 lines, each WHAT (lines 3, 9); ADVICE`, or nil when none were left out.
    var warning: String? {
        guard !lines.isEmpty else { return nil }
        let shown = lines.prefix(10).map(String.init).joined(separator: ", ") + (lines.count > 10 ? ", ..." : "")
        let count = lines.count == 1 ? "1 line, \(what) (line" : "\(lines.count) lines, each \(what) (lines"
        return "warning: \(path): left out \(count) \(shown)); \(advice)"
    }

    /// Prints the warning into the step's log, if any row was left out.
    func warn() {
        if let warning { print(warning) }
    }

    /// The error when every one of `total` rows was left out: nothing to learn from.
    func nothingLeft(total: Int) -> StepFailure {
        StepFailure("\(path): every line (\(total)) holds \(what), so nothing is left to learn from; \(advice)")
    }
}

import AnnealFiles
import Foundation

/// What the runner tells the person at the terminal: a line when a step
/// starts or ends and, on a terminal, a live line per running step with its
/// elapsed time and progress, redrawn in place.
public final class ProgressDisplay: @unchecked Sendable {
    // @unchecked: used only from the runner's thread.
    let interactive: Bool
    let quiet: Bool
    var liveLines = 0
    var lastDraw = 0.0
    let spinner = Array("|/-\\")
    var frame = 0

    public init(interactive: Bool = isatty(2) == 1, quiet: Bool = false) {
        self.interactive = interactive
        self.quiet = quiet
    }

    /// A running step, as the live block shows it.
    public struct Live {
        public var name: String
        public var started: Date
        public var progressFile: String
    }

    func emit(_ text: String) {
        try? FileSync.writeAll(STDERR_FILENO, Data(text.utf8), path: "standard error")
    }

    /// Prints a line that even a quiet display shows: something is wrong
    /// with the workspace and the person should know.
    public func warning(_ text: String) {
        clear()
        emit(text + "\n")
    }

    /// Prints a permanent line above the live block.
    public func line(_ text: String) {
        guard !quiet else { return }
        clear()
        emit(text + "\n")
    }

    func clear() {
        guard interactive, liveLines > 0 else { return }
        emit(String(repeating: "\u{1B}[1A\u{1B}[2K", count: liveLines))
        liveLines = 0
    }

    /// Redraws the live block at most ten times a second.
    public func tick(_ running: [Live]) {
        guard interactive, !quiet else { return }
        let now = Date().timeIntervalSince1970
        guard now - lastDraw >= 0.1 else { return }
        lastDraw = now
        clear()
        frame += 1
        var text = ""
        for r in running {
            let elapsed = Date().timeIntervalSince(r.started)
            var line = "  \(spinner[frame % spinner.count]) \(r.name)  \(Self.duration(elapsed))"
            if let raw = try? String(contentsOfFile: r.progressFile, encoding: .utf8) {
                let parts = raw.trimmingCharacters(in: .newlines).split(separator: "\t", maxSplits: 1)
                if let fraction = parts.first.flatMap({ Double($0) }) {
                    let filled = Int(fraction * 20)
                    line += "  [" + String(repeating: "#", count: filled) + String(repeating: ".", count: 20 - filled) + "] "
                        + String(format: "%3.0f%%", fraction * 100)
                }
                if parts.count > 1 { line += "  " + parts[1] }
            }
            text += String(line.prefix(200)) + "\n"
        }
        emit(text)
        liveLines = running.count
    }

    public func finish() {
        clear()
    }

    public static func duration(_ seconds: Double) -> String {
        if seconds < 1 { return String(format: "%.0fms", seconds * 1000) }
        if seconds < 60 { return String(format: "%.1fs", seconds) }
        let s = Int(seconds)
        if s < 3600 { return "\(s / 60)m\(String(format: "%02d", s % 60))s" }
        return "\(s / 3600)h\(String(format: "%02d", s / 60 % 60))m"
    }

    public static func bytes(_ n: Int) -> String {
        if n <= 0 { return "-" }
        let units = ["B", "KB", "MB", "GB", "TB"]
        var v = Double(n)
        var u = 0
        while v >= 1024, u < units.count - 1 {
            v /= 1024
            u += 1
        }
        return u == 0 ? "\(n)B" : String(format: "%.1f%@", v, units[u])
    }
}

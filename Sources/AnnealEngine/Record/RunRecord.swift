import AnnealSpec
import Foundation

/// What happened to each step in one run: the record kept with the run.
public struct RunRecord: Sendable {
    public enum Outcome: String, Sendable {
        case succeeded, failed, interrupted
        /// `--dry-run`: nothing was executed.
        case planned
    }

    public var pipeline: String
    /// The run's number for this pipeline (`tiny-chat#12`).
    public var number: Int
    public var started: Date
    public var ended: Date
    public var outcome: Outcome
    public var params: Value
    public var steps: [StepRecord]

    public var id: String { "\(pipeline)#\(number)" }

    public func count(_ outcome: StepRecord.Outcome) -> Int { steps.filter { $0.outcome == outcome }.count }

    public var value: Value {
        .map([
            "pipeline": .string(pipeline),
            "number": .int(number),
            "started": .string(Timestamps.format(started)),
            "ended": .string(Timestamps.format(ended)),
            "outcome": .string(outcome.rawValue),
            "params": params,
            "steps": .list(steps.map(\.value)),
        ])
    }
}

/// One step's part of a run record.
public struct StepRecord: Sendable {
    public enum Outcome: String, Sendable {
        /// Outputs reused from the action cache.
        case cached
        /// Executed, and succeeded.
        case ran
        case failed
        /// Not run: upstream failed, the run stopped, or it was not selected.
        case skipped
        /// Stopped by Ctrl-C.
        case interrupted
        /// `--dry-run` or `status`: would be executed.
        case wouldRun = "would-run"
    }

    public var name: String
    public var kind: String
    public var outcome: Outcome
    /// Why it ran, was skipped or failed, a line each.
    public var reasons: [String]
    public var fingerprint: Digest?
    public var components: Fingerprint.Components?
    public var started: Date?
    public var ended: Date?
    public var cpuSeconds: Double = 0
    public var peakMemoryBytes: Int = 0
    public var exitStatus: Int32?
    public var outputs: [String: StoredArtifact] = [:]
    public var metrics: Value = .map([:])
    public var log: String?
    /// The executor's name for the step while it ran (a cluster job id), if any.
    public var job: String?

    public var wallSeconds: Double {
        guard let s = started, let e = ended else { return 0 }
        return e.timeIntervalSince(s)
    }

    public var value: Value {
        var m: [String: Value] = [
            "name": .string(name),
            "kind": .string(kind),
            "outcome": .string(outcome.rawValue),
            "reasons": .list(reasons.map { .string($0) }),
            "cpu_seconds": .float((cpuSeconds * 1000).rounded() / 1000),
            "wall_seconds": .float((wallSeconds * 1000).rounded() / 1000),
            "peak_memory_bytes": .int(peakMemoryBytes),
            "outputs": .map(outputs.mapValues(\.value)),
            "metrics": metrics,
        ]
        if let f = fingerprint { m["fingerprint"] = .string(f.hex) }
        if let c = components { m["components"] = c.value }
        if let s = started { m["started"] = .string(Timestamps.format(s)) }
        if let e = ended { m["ended"] = .string(Timestamps.format(e)) }
        if let x = exitStatus { m["exit_status"] = .int(Int(x)) }
        if let l = log { m["log"] = .string(l) }
        if let j = job { m["job"] = .string(j) }
        return .map(m)
    }

    public init(name: String, kind: String, outcome: Outcome, reasons: [String]) {
        self.name = name
        self.kind = kind
        self.outcome = outcome
        self.reasons = reasons
    }

    public init?(_ v: Value) {
        guard let name = v["name"]?.string, let kind = v["kind"]?.string,
              let outcome = v["outcome"]?.string.flatMap(Outcome.init(rawValue:)) else { return nil }
        self.init(name: name, kind: kind, outcome: outcome, reasons: v["reasons"]?.list?.compactMap(\.string) ?? [])
        fingerprint = v["fingerprint"]?.string.flatMap(Digest.init(hex:))
        components = v["components"].flatMap(Fingerprint.Components.init)
        started = v["started"]?.string.flatMap(Timestamps.parse)
        ended = v["ended"]?.string.flatMap(Timestamps.parse)
        cpuSeconds = v["cpu_seconds"]?.double ?? 0
        peakMemoryBytes = v["peak_memory_bytes"]?.int ?? 0
        exitStatus = v["exit_status"]?.int.map(Int32.init)
        outputs = v["outputs"]?.map?.compactMapValues(StoredArtifact.init) ?? [:]
        metrics = v["metrics"] ?? .map([:])
        log = v["log"]?.string
        job = v["job"]?.string
    }
}

/// ISO 8601 with milliseconds, in UTC.
public enum Timestamps {
    /// `2026-11-26T20:24:59.123Z`. Written by hand: a run writes several per
    /// step, and a date formatter loads ICU's calendar machinery each time.
    public static func format(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = time_t(milliseconds.quotientAndRemainder(dividingBy: 1000).quotient)
        var fraction = Int(milliseconds % 1000)
        if fraction < 0 {
            fraction += 1000
            seconds -= 1
        }
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func digits(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return digits(parts.tm_year + 1900, 4) + "-" + digits(parts.tm_mon + 1, 2) + "-" + digits(parts.tm_mday, 2)
            + "T" + digits(parts.tm_hour, 2) + ":" + digits(parts.tm_min, 2) + ":" + digits(parts.tm_sec, 2)
            + "." + digits(Int32(fraction), 3) + "Z"
    }

    public static func parse(_ text: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.date(from: text)
    }
}

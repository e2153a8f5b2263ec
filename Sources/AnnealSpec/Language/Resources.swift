import Foundation

/// What a step needs to run: used to schedule it, never part of its identity,
/// so changing resources never invalidates the cache.
public struct Resources: Hashable, Sendable {
    /// Cores the step uses; the local runner keeps the sum of running steps'
    /// cores within `--jobs`.
    public var cpus: Int?
    /// Memory, as a cluster scheduler writes it (`32G`).
    public var memory: String?
    /// Wall-time limit (`4h`, `30m`, `1-00:00:00`).
    public var time: String?
    public var gpus: Int?
    public var partition: String?
    public var account: String?

    public init(cpus: Int? = nil, memory: String? = nil, time: String? = nil, gpus: Int? = nil,
                partition: String? = nil, account: String? = nil) {
        self.cpus = cpus
        self.memory = memory
        self.time = time
        self.gpus = gpus
        self.partition = partition
        self.account = account
    }

    static let fields = ["cpus", "memory", "time", "gpus", "partition", "account"]

    /// Reads `resources:` of a step, recording problems.
    static func read(_ node: YAMLNode, step: String, problems: inout [Diagnostic]) -> Resources? {
        guard let entries = node.mapping else {
            problems.append(.error(node.location, "'resources' of step '\(step)' must be a mapping, not \(node.shapeName)",
                                   hint: "for example 'resources: { cpus: 4, memory: 16G }'"))
            return nil
        }
        var r = Resources()
        var ok = true
        for e in entries {
            guard let s = e.value.scalar, !e.value.isNull else {
                problems.append(.error(e.value.location, "'resources.\(e.key)' of step '\(step)' must be a single value"))
                ok = false
                continue
            }
            switch e.key {
            case "cpus", "gpus":
                guard let n = Scalars.int(s), n >= (e.key == "cpus" ? 1 : 0) else {
                    problems.append(.error(e.value.location, "'resources.\(e.key)' of step '\(step)' must be a whole number\(e.key == "cpus" ? " of at least 1" : ""), not '\(s.value)'"))
                    ok = false
                    continue
                }
                if e.key == "cpus" { r.cpus = n } else { r.gpus = n }
            case "memory":
                guard s.value.range(of: #"^[0-9]+[KMGT]?$"#, options: .regularExpression) != nil else {
                    problems.append(.error(e.value.location, "'resources.memory' of step '\(step)' must be a size like 512M or 32G, not '\(s.value)'"))
                    ok = false
                    continue
                }
                r.memory = s.value
            case "time":
                guard s.value.range(of: #"^([0-9]+[smhd]|[0-9]+(-[0-9]{1,2})?(:[0-9]{1,2}){0,2})$"#, options: .regularExpression) != nil else {
                    problems.append(.error(e.value.location, "'resources.time' of step '\(step)' must be like 30m, 4h, 2d or 1-00:00:00, not '\(s.value)'"))
                    ok = false
                    continue
                }
                r.time = s.value
            case "partition": r.partition = s.value
            case "account": r.account = s.value
            default:
                problems.append(.error(e.keyLocation, "unknown field '\(e.key)' in 'resources' of step '\(step)'\(Suggestion.didYouMean(e.key, in: fields))",
                                       hint: "resources has the fields \(fields.joined(separator: ", "))"))
                ok = false
            }
        }
        return ok ? r : nil
    }
}

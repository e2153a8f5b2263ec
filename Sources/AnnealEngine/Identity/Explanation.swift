import AnnealSpec

/// Why a step must run, in words a person reads, by comparing its fingerprint
/// components with those of the last run that had the step.
public enum Explanation {
    /// The differences between `previous` and `current`; empty when equal.
    /// `sources` names where each input comes from (`corpus.train`, a path).
    public static func differences(previous: Fingerprint.Components, current: Fingerprint.Components,
                                   sources: [String: String] = [:]) -> [String] {
        var out: [String] = []
        if previous.format != current.format {
            out.append("fingerprint format \(previous.format) -> \(current.format)")
        }
        if previous.kind != current.kind {
            out.append("kind \(previous.kind) -> \(current.kind)")
        } else if previous.kindVersion != current.kindVersion {
            out.append("kind \(current.kind) version \(previous.kindVersion) -> \(current.kindVersion)")
        }
        var before: [String: String] = [:], after: [String: String] = [:]
        flatten(previous.config, "with", into: &before)
        flatten(current.config, "with", into: &after)
        for key in Set(before.keys).union(after.keys).sorted() where before[key] != after[key] {
            out.append("\(key): \(before[key] ?? "(absent)") -> \(after[key] ?? "(absent)")")
        }
        for name in Set(previous.inputs.keys).union(current.inputs.keys).sorted() {
            let source = sources[name].map { " (\($0))" } ?? ""
            switch (previous.inputs[name], current.inputs[name]) {
            case (nil, _?): out.append("input \(name)\(source) added")
            case (_?, nil): out.append("input \(name) removed")
            case (let a?, let b?) where a != b: out.append("input \(name)\(source) changed (\(a.short).. -> \(b.short)..)")
            default: break
            }
        }
        return out
    }

    /// `with.model.width` style keys to canonical JSON of leaf values.
    static func flatten(_ value: Value, _ prefix: String, into out: inout [String: String]) {
        switch value {
        case .map(let m) where !(m.count == 1 && m["$input"] != nil):
            if m.isEmpty { out[prefix] = "{}" }
            for (k, v) in m { flatten(v, "\(prefix).\(k)", into: &out) }
        default:
            out[prefix] = CanonicalJSON.encode(value)
        }
    }
}

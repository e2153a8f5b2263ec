import AnnealSpec

/// Names for a step's inputs in its messages. The runner resolves every
/// `${step.output}` of the config to a path in the store (`.anneal/trees/<hash>`),
/// which tells a person nothing; `inputs` keeps which output each such path
/// was, so a step can say "the input `train: ${tokens.shards}` (step tokens,
/// output shards)".
extension StepContext {
    /// The outputs of other steps that `resolved` (the config as the step sees
    /// it) holds as paths, by path: wherever `planned` (the config of the plan)
    /// has a reference, `resolved` has its path at the same place.
    public static func inputReferences(planned: Value, resolved: Value) -> [String: ArtifactReference] {
        var out: [String: ArtifactReference] = [:]
        func walk(_ p: Value, _ r: Value) {
            switch (p, r) {
            case (.artifact(let a), .path(let path)):
                out[path] = a
            case (.list(let ps), .list(let rs)):
                for (p, r) in zip(ps, rs) { walk(p, r) }
            case (.map(let ps), .map(let rs)):
                for (key, p) in ps { if let r = rs[key] { walk(p, r) } }
            default:
                break
            }
        }
        walk(planned, resolved)
        return out
    }

    /// How a message names the input at `path` read from the field `field`:
    /// "the input `train: ${tokens.shards}` (step tokens, output shards)" for
    /// another step's output, "the input `train: PATH`" for a file.
    public func inputName(field: String, path: String) -> String {
        guard let reference = inputs[path] else { return "the input `\(field): \(path)`" }
        return "the input `\(field): ${\(reference)}` (step \(reference.step), output \(reference.output))"
    }
}

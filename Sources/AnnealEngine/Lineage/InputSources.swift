import AnnealSpec

/// Where each input of a planned step comes from, keyed by the same field names
/// as `Fingerprint.Components.inputs` (`inputs.text`, `sources[0]`), so a
/// recorded digest can be traced to the step output or workspace path behind it.
public enum InputSources {
    /// Every input field of `step` and its source, sorted by field.
    public static func of(_ step: PlannedStep) -> [(field: String, source: InputSource)] {
        // `inputSlots` names the fields exactly as the fingerprint does; each source
        // gets a distinct stand-in digest so the field it landed in can be read back.
        var sources: [Digest: InputSource] = [:]
        var fields: [String: Digest] = [:]
        _ = Fingerprint.inputSlots(step.config, path: "", inputs: &fields) { source in
            let standIn = Digest.of("input \(sources.count)")
            sources[standIn] = source
            return standIn
        }
        return fields.keys.sorted().map { ($0, sources[fields[$0]!]!) }
    }
}

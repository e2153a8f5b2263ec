import AnnealSpec

extension Schema {
    /// Every field's default, as one mapping: the value of a record field that
    /// is left out, so leaving `clean:` out and writing `clean: {}` give the
    /// same configuration (and the same step identity).
    var defaults: Value {
        var out: [String: Value] = [:]
        for f in fields {
            if let d = f.defaultValue { out[f.name] = d }
        }
        return .map(out)
    }
}

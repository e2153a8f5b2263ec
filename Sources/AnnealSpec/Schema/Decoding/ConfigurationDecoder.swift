/// Decodes a step's configuration into a typed struct, so that every default
/// is written once, in the schema: a field left out of the configuration takes
/// the schema's default (also inside records), a field without one decodes as
/// nil or, for a non-optional property, fails with the field's name.
///
/// Property names map to field names by snake case (`maxGradNorm` reads
/// `max_grad_norm`); a property that names no field of the schema is a
/// programming error and fails the same way, so a test that decodes each
/// kind's defaults catches a misspelt property.
public enum ConfigurationDecoder {
    public static func decode<T: Decodable>(_ type: T.Type, from value: Value, schema: Schema) throws -> T {
        try T(from: ValueDecoder(value: value, type: .record(schema), path: ""))
    }

    /// `maxGradNorm` → `max_grad_norm`, `adamBeta1` → `adam_beta1`.
    static func fieldName(_ property: String) -> String {
        var out = ""
        for c in property {
            if c.isUppercase {
                out += "_" + c.lowercased()
            } else {
                out.append(c)
            }
        }
        return out
    }
}

/// Why a configuration does not decode: names the field and what is wrong.
public struct ConfigurationError: Error, CustomStringConvertible {
    public var field: String
    public var problem: String

    public init(field: String, _ problem: String) {
        self.field = field
        self.problem = problem
    }

    public var description: String { "field '\(field)' \(problem)" }
}

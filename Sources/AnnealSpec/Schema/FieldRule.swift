/// A requirement on a record that involves several of its fields, checked by
/// the compiler (so `anneal validate` reports it with its place) and again
/// when a step decodes its configuration.
public enum FieldRule: Sendable {
    /// At least one of the fields must be given.
    case atLeastOne(of: [String], why: String)
    /// Exactly one of the fields must be given.
    case exactlyOne(of: [String], why: String)

    public var fields: [String] {
        switch self {
        case .atLeastOne(let names, _), .exactlyOne(let names, _): return names
        }
    }

    public var why: String {
        switch self {
        case .atLeastOne(_, let why), .exactlyOne(_, let why): return why
        }
    }

    /// One line for reference pages: "give at least one of tokenizer, init_from: why".
    public var summary: String {
        switch self {
        case .atLeastOne(let names, let why): return "give at least one of \(names.joined(separator: ", ")): \(why)"
        case .exactlyOne(let names, let why): return "give exactly one of \(names.joined(separator: ", ")): \(why)"
        }
    }

    /// What is wrong with a record whose given fields are `present`, or nil.
    /// `extra` is the name of a field given beyond the allowed one.
    public func violation(present: Set<String>) -> (message: String, extra: String?)? {
        let given = fields.filter(present.contains)
        let listed = fields.map { "'\($0)'" }.joined(separator: " or ")
        switch self {
        case .atLeastOne:
            return given.isEmpty ? ("needs \(listed): \(why)", nil) : nil
        case .exactlyOne:
            if given.isEmpty { return ("needs one of \(listed): \(why)", nil) }
            if given.count > 1 { return ("gives both \(given.map { "'\($0)'" }.joined(separator: " and ")); give only one: \(why)", given.last) }
            return nil
        }
    }
}

/// A requirement on a record that involves several of its fields, checked by
/// the compiler (so `anneal validate` reports it with its place) and again
/// when a step decodes its configuration.
public enum FieldRule: Sendable {
    /// At least one of the fields must be given.
    case atLeastOne(of: [String], why: String)
    /// Exactly one of the fields must be given.
    case exactlyOne(of: [String], why: String)
    /// The whole number `dividend` must be a multiple of the whole number `divisor`.
    case divides(_ divisor: String, _ dividend: String, why: String)
    /// The text at `path` (a field, or a field inside a record field) must be a
    /// key of the map field `map`.
    case namesKey(of: String, at: [String], why: String)

    /// The fields of the record the rule reads.
    public var fields: [String] {
        switch self {
        case .atLeastOne(let names, _), .exactlyOne(let names, _): return names
        case .divides(let divisor, let dividend, _): return [divisor, dividend]
        case .namesKey(let map, let path, _): return [map, path[0]]
        }
    }

    public var why: String {
        switch self {
        case .atLeastOne(_, let why), .exactlyOne(_, let why), .divides(_, _, let why), .namesKey(_, _, let why): return why
        }
    }

    /// One line for reference pages: "give at least one of tokenizer, init_from: why".
    public var summary: String {
        switch self {
        case .atLeastOne(let names, let why): return "give at least one of \(names.joined(separator: ", ")): \(why)"
        case .exactlyOne(let names, let why): return "give exactly one of \(names.joined(separator: ", ")): \(why)"
        case .divides(let divisor, let dividend, let why): return "\(dividend) must be a multiple of \(divisor): \(why)"
        case .namesKey(let map, let path, let why): return "\(path.joined(separator: ".")) must be a key of \(map): \(why)"
        }
    }

    /// What is wrong with a record whose fields hold `values` (given or
    /// default), or nil; `at` is the path of the field to point at, if one.
    public func violation(_ values: [String: Value]) -> (message: String, at: [String]?)? {
        let given = fields.filter { values[$0].map { $0 != .null } ?? false }
        switch self {
        case .atLeastOne:
            let listed = fields.map { "'\($0)'" }.joined(separator: " or ")
            return given.isEmpty ? ("needs \(listed): \(why)", nil) : nil
        case .exactlyOne:
            let listed = fields.map { "'\($0)'" }.joined(separator: " or ")
            if given.isEmpty { return ("needs one of \(listed): \(why)", nil) }
            if given.count > 1 {
                return ("gives both \(given.map { "'\($0)'" }.joined(separator: " and ")); give only one: \(why)", [given.last!])
            }
            return nil
        case .divides(let divisor, let dividend, let why):
            guard let d = values[divisor]?.int, let n = values[dividend]?.int, d > 0, n % d != 0 else { return nil }
            return ("has '\(dividend)' \(n), not a multiple of '\(divisor)' \(d): \(why)", [dividend])
        case .namesKey(let map, let path, let why):
            var value = values[path[0]]
            for name in path.dropFirst() { value = value?[name] }
            guard let name = value?.string, let keys = values[map]?.map, keys[name] == nil else { return nil }
            return ("has '\(path.joined(separator: "."))' '\(name)', which is not one of '\(map)' (\(keys.keys.sorted().joined(separator: ", "))): \(why)", path)
        }
    }
}

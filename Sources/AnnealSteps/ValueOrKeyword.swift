/// A field typed "a value or a word" (`.either(.int(...), .enumeration(["off"]))`,
/// `bands: auto`), decoded: the value, or nil for the word.
struct ValueOrKeyword<Wrapped: Decodable>: Decodable {
    var value: Wrapped?

    init(from decoder: any Decoder) throws {
        if (try? decoder.singleValueContainer().decode(String.self)) != nil {
            value = nil
        } else {
            value = try Wrapped(from: decoder)
        }
    }
}

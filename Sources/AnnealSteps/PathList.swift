/// A field typed "a path or a list of paths" (`.either(.files, .list(.files))`),
/// decoded: the paths in order.
struct PathList: Decodable {
    var paths: [String]
    /// Whether the field held a list (even of one path).
    var isList: Bool

    /// One path given on its own.
    init(single path: String) {
        (paths, isList) = ([path], false)
    }

    init(from decoder: any Decoder) throws {
        if let one = try? decoder.singleValueContainer().decode(String.self) {
            (paths, isList) = ([one], false)
        } else {
            (paths, isList) = (try [String](from: decoder), true)
        }
    }
}

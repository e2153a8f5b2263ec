extension Shell {
    /// The fields of `shell`.
    struct Configuration: Decodable {
        var command: String
        var inputs: [String: PathList]
        var outputs: [String: String]
        var env: [String: String]
    }
}

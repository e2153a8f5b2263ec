/// A question about recorded runs that cannot be answered as asked: a run, step
/// or artifact that is not in the history, or a name that fits several. The
/// message names the thing; the hint says what to type instead.
public struct LineageQueryError: Error, CustomStringConvertible, Sendable {
    /// What is wrong, naming the run, step or artifact involved.
    public let message: String
    /// What to do about it.
    public let hint: String?

    /// Makes an error; `hint` says what to do.
    public init(_ message: String, hint: String? = nil) {
        self.message = message
        self.hint = hint
    }

    public var description: String { hint.map { "\(message) (\($0))" } ?? message }
}

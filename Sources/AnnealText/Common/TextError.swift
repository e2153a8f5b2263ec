/// Why AnnealText could not read, write, train or collect something. The message
/// names the file (and line or field), what is wrong and what to do.
public struct TextError: Error, CustomStringConvertible, Equatable {
    /// A sentence a person can act on.
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

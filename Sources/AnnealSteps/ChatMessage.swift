/// One turn of a conversation: who speaks (`system`, `user` or `assistant`) and what they say.
public struct ChatMessage: Equatable, Sendable {
    public var role: String
    public var content: String

    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }

    /// The roles the chat template knows.
    public static let roles = ["system", "user", "assistant"]
}

/// One message of a conversation, as chat templates read it (`message['role']`,
/// `message.content`).
public struct ChatMessage: Equatable, Sendable {
    public var role: String
    public var content: String

    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }
}

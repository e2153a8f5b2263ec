/// What `git log` shows of one commit, read without touching its tree.
public struct CommitSummary: Hashable, Sendable, Codable {
    /// The commit's id.
    public let id: CommitID
    /// Its parents, first parent first (empty for the first run of a pipeline).
    public let parents: [CommitID]
    /// Who recorded it and when.
    public let author: CommitAuthor
    /// The full commit message, as stored.
    public let message: String

    /// The first line of the message (the run summary by Anneal's convention).
    public var subject: String {
        String(message.prefix { $0 != "\n" && $0 != "\r" })
    }

    /// Makes a summary; the repository builds these, tests may too.
    public init(id: CommitID, parents: [CommitID], author: CommitAuthor, message: String) {
        self.id = id
        self.parents = parents
        self.author = author
        self.message = message
    }
}

/// A ref of the lineage repository and the commit it points at.
public struct LineageRef: Hashable, Sendable, Codable {
    /// The full ref name, for example `refs/anneal/tiny-chat`.
    public let name: String
    /// The commit at the tip of the ref.
    public let tip: CommitID

    /// Makes a ref value; the repository builds these.
    public init(name: String, tip: CommitID) {
        self.name = name
        self.tip = tip
    }
}

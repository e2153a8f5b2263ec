/// What a push or a pull did to one ref.
public struct RefUpdate: Hashable, Sendable, Codable {
    /// How the ref moved.
    public enum Outcome: String, Sendable, Codable {
        /// The ref did not exist on the receiving side and now does.
        case created
        /// The ref moved forward to a descendant of where it was: no run was dropped.
        case fastForwarded
        /// The ref was overwritten (force): runs only the receiving side had are no longer on it.
        case forced
        /// Both sides already agreed; nothing was sent.
        case upToDate
        /// Pull only: the local ref already holds the remote's runs and more; it was left as is.
        case localAhead
    }

    /// The ref on the receiving side (the remote's for a push, the local one for a pull).
    public let ref: String
    /// Where it pointed before (nil when it did not exist).
    public let old: CommitID?
    /// Where it points now.
    public let new: CommitID
    /// How it moved.
    public let outcome: Outcome

    /// Makes an update record; push and pull build these.
    public init(ref: String, old: CommitID?, new: CommitID, outcome: Outcome) {
        self.ref = ref
        self.old = old
        self.new = new
        self.outcome = outcome
    }
}

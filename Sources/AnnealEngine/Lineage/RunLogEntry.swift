import AnnealLineage

/// One line of `anneal log`: a run's commit and what its message says, read
/// from the commit object alone (never its tree), so listing 1,000 runs is fast.
public struct RunLogEntry: Sendable {
    /// The run's commit.
    public let commit: CommitSummary
    /// The parsed message; nil for a commit Anneal did not write.
    public let message: RunCommitMessage?

    /// `tiny-chat#12`, or the short commit id for a commit Anneal did not write.
    public var id: String { message?.runID ?? commit.id.abbreviated() }

    init(_ commit: CommitSummary) {
        self.commit = commit
        message = RunCommitMessage(parsing: commit.message)
    }
}

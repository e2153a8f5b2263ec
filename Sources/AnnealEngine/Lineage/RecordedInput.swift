import AnnealSpec

/// One input of a recorded step: the field it fills, where it came from (another
/// step's output or a workspace path) and the digest it had in that run.
public struct RecordedInput: Sendable, Equatable {
    /// The field, named as in the fingerprint's components (`inputs.text`).
    public var field: String
    /// Another step's output or a workspace path.
    public var source: InputSource
    /// Its digest in that run; nil when the step never got that far (skipped).
    public var digest: Digest?

    /// `words.text` or the path, as people read it.
    public var sourceLabel: String {
        switch source {
        case .artifact(let a): return a.description
        case .path(let p): return p
        }
    }

    init?(field: String, _ value: Value) {
        self.field = field
        if let step = value["step"]?.string, let output = value["output"]?.string {
            source = .artifact(ArtifactReference(step: step, output: output))
        } else if let path = value["path"]?.string {
            source = .path(path)
        } else {
            return nil
        }
        digest = value["digest"]?.string.flatMap(Digest.init(hex:))
    }
}

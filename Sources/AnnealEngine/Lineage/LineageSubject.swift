import AnnealSpec

/// What a lineage question is about, inside one run: a step, or one output of a step.
public enum LineageSubject: Sendable, Equatable, CustomStringConvertible {
    case step(String)
    case artifact(ArtifactReference)

    /// The step that made the subject (the step itself for `.step`).
    public var step: String {
        switch self {
        case .step(let name): return name
        case .artifact(let a): return a.step
        }
    }

    public var description: String {
        switch self {
        case .step(let name): return name
        case .artifact(let a): return a.description
        }
    }
}

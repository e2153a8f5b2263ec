/// A source file kept in a run's commit: the pipeline file or a recipe, with
/// the path it was read from and where the commit's tree holds it.
public struct RecordedSource: Sendable, Equatable {
    /// The path as the compiler read it (`recipes/sft.yaml`).
    public var path: String
    /// Its path in the commit's tree (`recipes/sft.yaml`, `files/pipelines/tiny-chat.yaml`).
    public var tree: String
}

/// Bounds on what a pipeline file may ask of the parser, so that a hostile or
/// broken file fails fast with a clear error instead of eating memory or time.
public struct YAMLLimits: Sendable {
    /// Largest file accepted, in bytes.
    public var maxBytes: Int = 32 << 20
    /// Deepest nesting of lists and mappings.
    public var maxDepth: Int = 64
    /// Most nodes the document may expand to once every alias is counted as a
    /// copy of its anchor ("billion laughs" files blow through this at once).
    public var maxExpandedNodes: Int = 4_000_000

    public init() {}
}

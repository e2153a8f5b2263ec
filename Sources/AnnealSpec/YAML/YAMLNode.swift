/// A YAML node with the place it was written, before any typing.
///
/// Scalars stay text: a schema decides later whether `NO` is a string or a
/// boolean, so YAML 1.1 guessing never changes what the user wrote.
public struct YAMLNode: Sendable {
    public indirect enum Content: Sendable {
        case scalar(YAMLScalar)
        case sequence([YAMLNode])
        case mapping([YAMLEntry])
    }

    public var content: Content
    public var location: SourceLocation

    public init(_ content: Content, at location: SourceLocation) {
        self.content = content
        self.location = location
    }

    public var scalar: YAMLScalar? {
        if case .scalar(let s) = content { return s }
        return nil
    }

    public var sequence: [YAMLNode]? {
        if case .sequence(let s) = content { return s }
        return nil
    }

    public var mapping: [YAMLEntry]? {
        if case .mapping(let m) = content { return m }
        return nil
    }

    /// True for an empty plain scalar or `~` / `null`: YAML's null.
    public var isNull: Bool {
        guard let s = scalar, s.style == .plain else { return false }
        return s.value.isEmpty || s.value == "~" || s.value == "null" || s.value == "Null" || s.value == "NULL"
    }

    /// A word for the node's shape, for messages ("a mapping", "a list").
    public var shapeName: String {
        switch content {
        case .scalar: return isNull ? "null" : "a scalar"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }

    /// The entry for `key` in a mapping node.
    public subscript(key: String) -> YAMLNode? {
        mapping?.first { $0.key == key }?.value
    }
}

/// A scalar's text and how it was written.
public struct YAMLScalar: Sendable, Hashable {
    public enum Style: Sendable, Hashable {
        /// Unquoted: the only style whose text may be read as a number, bool or null.
        case plain
        /// Single- or double-quoted, or a block scalar (`|`, `>`): always text.
        case quoted
    }

    public var value: String
    public var style: Style

    public init(_ value: String, style: Style) {
        self.value = value
        self.style = style
    }
}

/// One `key: value` of a mapping. Keys are always scalars in a pipeline.
public struct YAMLEntry: Sendable {
    public var key: String
    public var keyLocation: SourceLocation
    public var value: YAMLNode

    public init(key: String, keyLocation: SourceLocation, value: YAMLNode) {
        self.key = key
        self.keyLocation = keyLocation
        self.value = value
    }
}

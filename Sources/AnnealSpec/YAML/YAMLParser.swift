import CYAML

/// Reads one YAML document into `YAMLNode`s with libyaml's event API.
///
/// Beyond libyaml it enforces what a pipeline needs: no duplicate keys, scalar
/// keys only, one document per file, bounded size, depth and alias expansion,
/// and resolves anchors, aliases and merge keys (`<<`).
public struct YAMLParser {
    public var limits: YAMLLimits

    public init(limits: YAMLLimits = YAMLLimits()) {
        self.limits = limits
    }

    /// Parses `text` as the contents of `file` (the name used in locations).
    /// Returns nil for an empty document. Throws a `DiagnosticError`.
    public func parse(_ text: String, file: String) throws -> YAMLNode? {
        let bytes = Array(text.utf8)
        guard bytes.count <= limits.maxBytes else {
            throw DiagnosticError([.error(SourceLocation(file: file, line: 1, column: 1),
                                          "file is \(bytes.count) bytes, more than the limit of \(limits.maxBytes)",
                                          hint: "split the pipeline, or move data out of it into files it references")])
        }
        var state = ParseState(file: file, limits: limits)
        state.lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        return try bytes.withUnsafeBufferPointer { buffer in
            try state.run(buffer)
        }
    }
}

/// The parser's working state: the anchor table and the expansion budget.
private struct ParseState {
    let file: String
    let limits: YAMLLimits
    var anchors: [String: (node: YAMLNode, size: Int)] = [:]
    var expanded = 0
    var parser = yaml_parser_t()
    var lines: [String] = []

    init(file: String, limits: YAMLLimits) {
        self.file = file
        self.limits = limits
    }

    func location(_ mark: yaml_mark_t) -> SourceLocation {
        SourceLocation(file: file, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    func fail(_ mark: yaml_mark_t, _ message: String, hint: String? = nil) -> DiagnosticError {
        DiagnosticError([.error(location(mark), message, hint: hint)])
    }

    mutating func run(_ buffer: UnsafeBufferPointer<UInt8>) throws -> YAMLNode? {
        guard yaml_parser_initialize(&parser) == 1 else {
            throw DiagnosticError([.error(nil, "could not initialise the YAML parser (out of memory)")])
        }
        defer { yaml_parser_delete(&parser) }
        if let base = buffer.baseAddress {
            yaml_parser_set_input_string(&parser, base, buffer.count)
        } else {
            var empty: UInt8 = 0
            yaml_parser_set_input_string(&parser, &empty, 0)
        }

        var root: YAMLNode?
        var documents = 0
        while true {
            var event = yaml_event_t()
            try next(&event)
            defer { yaml_event_delete(&event) }
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return root
            case YAML_DOCUMENT_START_EVENT:
                documents += 1
                if documents > 1 {
                    throw fail(event.start_mark, "a pipeline file holds one YAML document, and this is a second one",
                               hint: "remove the '---' line, or put the second document in its own file")
                }
                root = try document()
            default:
                continue
            }
        }
    }

    /// The text of a 0-based line of the input, for hints.
    func lineText(_ line: Int) -> String {
        return lines.indices.contains(line) ? lines[line] : ""
    }

    mutating func next(_ event: inout yaml_event_t) throws {
        guard yaml_parser_parse(&parser, &event) == 1 else {
            let problem = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
            var message = problem
            if let context = parser.context.map({ String(cString: $0) }) {
                message = "\(problem) \(context)"
            }
            let mark = parser.problem_mark.line > 0 || parser.problem_mark.column > 0 ? parser.problem_mark : parser.context_mark
            throw fail(mark, "YAML syntax: \(message)", hint: syntaxHint(problem, line: Int(mark.line)))
        }
    }

    func syntaxHint(_ problem: String, line: Int) -> String? {
        if problem.contains("did not find expected ','") || problem.contains("did not find expected key"),
           lineText(line).contains("${") {
            return "inside { } or [ ] a bare ${...} ends at '{'; quote it (\"${step.output}\") or use block style"
        }
        if problem.contains("tab") { return "indent with spaces; YAML does not allow tabs for indentation" }
        if problem.contains("mapping values are not allowed") {
            return "a value containing ': ' must be quoted, or the indentation of this line is off"
        }
        if problem.contains("did not find expected key") { return "check the indentation of this block" }
        return nil
    }

    /// Reads the nodes of one document up to its end event.
    mutating func document() throws -> YAMLNode? {
        var event = yaml_event_t()
        try next(&event)
        if event.type == YAML_DOCUMENT_END_EVENT {
            yaml_event_delete(&event)
            return nil
        }
        let (node, _) = try node(from: &event, depth: 1)
        var end = yaml_event_t()
        try next(&end)
        yaml_event_delete(&end)
        return node
    }

    /// Builds the node that starts with `event` (which it deletes), returning it
    /// with its expanded size in nodes.
    mutating func node(from event: inout yaml_event_t, depth: Int) throws -> (YAMLNode, Int) {
        defer { yaml_event_delete(&event) }
        let here = location(event.start_mark)
        if depth > limits.maxDepth {
            throw fail(event.start_mark, "nesting is deeper than \(limits.maxDepth) levels",
                       hint: "flatten the structure; a pipeline never needs this depth")
        }
        switch event.type {
        case YAML_ALIAS_EVENT:
            let name = String(cString: event.data.alias.anchor)
            guard let target = anchors[name] else {
                throw fail(event.start_mark, "alias '*\(name)' names no anchor defined before it",
                           hint: "define '&\(name)' earlier in the file")
            }
            try spend(target.size, at: event.start_mark)
            return (YAMLNode(target.node.content, at: here), target.size)

        case YAML_SCALAR_EVENT:
            let data = event.data.scalar
            let value = String(decoding: UnsafeBufferPointer(start: data.value, count: data.length), as: UTF8.self)
            var style: YAMLScalar.Style = data.style == YAML_PLAIN_SCALAR_STYLE ? .plain : .quoted
            if let tag = data.tag.map({ String(cString: $0) }) {
                if tag == "tag:yaml.org,2002:str" {
                    style = .quoted
                } else if tag != "!" {
                    throw fail(event.start_mark, "YAML tag '\(shortTag(tag))' is not supported in a pipeline",
                               hint: "remove the tag; each field's type is given by the step kind's schema")
                }
            }
            let node = YAMLNode(.scalar(YAMLScalar(value, style: style)), at: here)
            try spend(1, at: event.start_mark)
            remember(anchor: data.anchor, node: node, size: 1)
            return (node, 1)

        case YAML_SEQUENCE_START_EVENT:
            let anchor = event.data.sequence_start.anchor.map { String(cString: $0) }
            try rejectTag(event.data.sequence_start.tag, mark: event.start_mark)
            var items: [YAMLNode] = []
            var size = 1
            try spend(1, at: event.start_mark)
            while true {
                var child = yaml_event_t()
                try next(&child)
                if child.type == YAML_SEQUENCE_END_EVENT {
                    yaml_event_delete(&child)
                    break
                }
                let (item, itemSize) = try node(from: &child, depth: depth + 1)
                items.append(item)
                size += itemSize
            }
            let node = YAMLNode(.sequence(items), at: here)
            if let anchor { anchors[anchor] = (node, size) }
            return (node, size)

        case YAML_MAPPING_START_EVENT:
            let anchor = event.data.mapping_start.anchor.map { String(cString: $0) }
            try rejectTag(event.data.mapping_start.tag, mark: event.start_mark)
            try spend(1, at: event.start_mark)
            var entries: [YAMLEntry] = []
            var explicitKeys: [String: SourceLocation] = [:]
            var merged: [YAMLEntry] = []
            var size = 1
            while true {
                var keyEvent = yaml_event_t()
                try next(&keyEvent)
                if keyEvent.type == YAML_MAPPING_END_EVENT {
                    yaml_event_delete(&keyEvent)
                    break
                }
                let keyMark = keyEvent.start_mark
                let isMergeKey = keyEvent.type == YAML_SCALAR_EVENT
                    && keyEvent.data.scalar.style == YAML_PLAIN_SCALAR_STYLE
                    && keyEvent.data.scalar.length == 2
                    && keyEvent.data.scalar.value[0] == UInt8(ascii: "<") && keyEvent.data.scalar.value[1] == UInt8(ascii: "<")
                let (keyNode, _) = try node(from: &keyEvent, depth: depth + 1)
                guard let key = keyNode.scalar?.value else {
                    throw fail(keyMark, "a mapping key must be a plain name, not \(keyNode.shapeName)",
                               hint: "write keys as simple words, like 'learning_rate:'")
                }
                var valueEvent = yaml_event_t()
                try next(&valueEvent)
                let (value, valueSize) = try node(from: &valueEvent, depth: depth + 1)
                size += valueSize + 1
                if isMergeKey {
                    merged.append(contentsOf: try mergeEntries(value))
                    continue
                }
                if let first = explicitKeys[key] {
                    throw fail(keyMark, "duplicate key '\(key)' (first defined at line \(first.line), column \(first.column))",
                               hint: "keep one '\(key):' in this mapping; YAML would silently use only the last")
                }
                explicitKeys[key] = location(keyMark)
                entries.append(YAMLEntry(key: key, keyLocation: location(keyMark), value: value))
            }
            if !merged.isEmpty {
                // Merge keys: explicit keys win; among merged mappings the first wins.
                var seen = Set(explicitKeys.keys)
                for entry in merged where !seen.contains(entry.key) {
                    seen.insert(entry.key)
                    entries.append(entry)
                }
            }
            let node = YAMLNode(.mapping(entries), at: here)
            if let anchor { anchors[anchor] = (node, size) }
            return (node, size)

        default:
            throw fail(event.start_mark, "unexpected YAML structure")
        }
    }

    /// The entries a `<<` value brings in: one mapping or a list of them.
    func mergeEntries(_ value: YAMLNode) throws -> [YAMLEntry] {
        switch value.content {
        case .mapping(let entries):
            return entries
        case .sequence(let items):
            var all: [YAMLEntry] = []
            for item in items {
                guard let entries = item.mapping else {
                    throw DiagnosticError([.error(item.location, "a merge key '<<' takes mappings, not \(item.shapeName)",
                                                  hint: "write '<<: *anchor' or '<<: [*a, *b]' with anchors of mappings")])
                }
                all.append(contentsOf: entries)
            }
            return all
        case .scalar:
            throw DiagnosticError([.error(value.location, "a merge key '<<' takes a mapping, not \(value.shapeName)",
                                          hint: "write '<<: *anchor' where the anchor names a mapping")])
        }
    }

    mutating func remember(anchor: UnsafeMutablePointer<yaml_char_t>?, node: YAMLNode, size: Int) {
        if let anchor { anchors[String(cString: anchor)] = (node, size) }
    }

    func rejectTag(_ tag: UnsafeMutablePointer<yaml_char_t>?, mark: yaml_mark_t) throws {
        guard let tag = tag.map({ String(cString: $0) }) else { return }
        if tag == "tag:yaml.org,2002:map" || tag == "tag:yaml.org,2002:seq" { return }
        throw fail(mark, "YAML tag '\(shortTag(tag))' is not supported in a pipeline",
                   hint: "remove the tag; each field's type is given by the step kind's schema")
    }

    func shortTag(_ tag: String) -> String {
        tag.hasPrefix("tag:yaml.org,2002:") ? "!!" + tag.dropFirst("tag:yaml.org,2002:".count) : tag
    }

    mutating func spend(_ nodes: Int, at mark: yaml_mark_t) throws {
        expanded += nodes
        if expanded > limits.maxExpandedNodes {
            throw fail(mark, "the document expands to more than \(limits.maxExpandedNodes) nodes through aliases",
                       hint: "this looks like an alias bomb; use fewer, smaller aliases")
        }
    }
}

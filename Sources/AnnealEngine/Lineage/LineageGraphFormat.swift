import AnnealSpec

/// The ways `anneal lineage` prints a graph: an indented tree for people,
/// Graphviz `dot`, a Mermaid flowchart (renders in GitHub markdown), or JSON.
public enum LineageGraphFormat: String, Sendable, CaseIterable {
    case text, dot, mermaid, json

    /// `graph` in this format, ending with a newline.
    public func render(_ graph: LineageGraph) -> String {
        switch self {
        case .text: return Self.text(graph)
        case .dot: return Self.dot(graph)
        case .mermaid: return Self.mermaid(graph)
        case .json: return CanonicalJSON.encodePretty(Self.json(graph)) + "\n"
        }
    }

    // MARK: Text

    static func text(_ graph: LineageGraph) -> String {
        let run = graph.run
        var out = "\(graph.direction.rawValue) of \(graph.subject) in \(run.id) (commit \(run.commit.id.abbreviated()))\n"
        var expanded: Set<String> = []
        func walk(_ id: String, label: String?, prefix: String, last: Bool, isRoot: Bool) {
            guard let node = graph.node(id) else { return }
            let connector = isRoot ? "" : (last ? "└─ " : "├─ ")
            let seen = !expanded.insert(id).inserted
            out += prefix + connector + (label.map { "[\($0)] " } ?? "") + line(node) + (seen ? "  (see above)" : "") + "\n"
            guard !seen else { return }
            let children = graph.next(after: id)
            let childPrefix = isRoot ? "" : prefix + (last ? "   " : "│  ")
            for (i, child) in children.enumerated() {
                walk(child.node.id, label: child.label == "output" ? nil : child.label, prefix: childPrefix,
                     last: i == children.count - 1, isRoot: false)
            }
        }
        walk(graph.rootID, label: nil, prefix: "", last: true, isRoot: true)
        let sources = graph.nodes.filter { $0.kind == .source }, recipes = graph.nodes.filter { $0.kind == .recipe }
        if graph.direction == .upstream {
            if !sources.isEmpty {
                out += "source files:\n" + sources.map { "  \($0.label)  sha256 \($0.digest ?? "unknown")\n" }.joined()
            }
            if !recipes.isEmpty {
                out += "recipes:\n" + recipes.map { "  \($0.label)  blob \($0.digest ?? "unknown")\n" }.joined()
            }
            if let file = run.pipelineFile {
                out += "pipeline: \(file.path)" + (graph.pipelineBlob.map { "  blob \($0)" } ?? "") + "\n"
            }
        } else {
            let derived = graph.nodes.filter { $0.kind == .artifact && $0.id != graph.rootID }.count
            let steps = graph.nodes.filter { $0.kind == .step && $0.id != graph.rootID }.count
            out += "\(steps) step\(steps == 1 ? "" : "s") and \(derived) output\(derived == 1 ? "" : "s") derived from it\n"
        }
        return out
    }

    static func line(_ node: LineageGraph.Node) -> String {
        switch node.kind {
        case .step: return "step \(node.label)  \(node.detail)" + (node.digest.map { "  fingerprint \($0.prefix(10))" } ?? "")
        case .artifact: return "\(node.label)  " + (node.digest.map { "sha256 \($0.prefix(10))  " } ?? "") + node.detail
        case .source: return "\(node.label)  " + (node.digest.map { "sha256 \($0.prefix(10))  " } ?? "") + "source file"
        case .recipe: return "recipe \(node.label)" + (node.digest.map { "  blob \($0.prefix(10))" } ?? "")
        }
    }

    // MARK: Graphviz

    static func dot(_ graph: LineageGraph) -> String {
        var out = "digraph lineage {\n  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=10];\n"
        out += "  label=\(dotQuote("\(graph.direction.rawValue) of \(graph.subject) in \(graph.run.id)"));\n"
        for node in graph.nodes {
            let shape: String
            switch node.kind {
            case .step: shape = "box"
            case .artifact: shape = "note"
            case .source: shape = "folder"
            case .recipe: shape = "component"
            }
            let text = node.label + (node.digest.map { "\n\($0.prefix(10))" } ?? "") + "\n" + node.detail
            out += "  \(dotQuote(node.id)) [shape=\(shape), label=\(dotQuote(text))"
                + (node.id == graph.rootID ? ", penwidth=2" : "") + "];\n"
        }
        for edge in graph.edges {
            out += "  \(dotQuote(edge.from)) -> \(dotQuote(edge.to))"
                + (edge.label == "output" ? "" : " [label=\(dotQuote(edge.label))]") + ";\n"
        }
        return out + "}\n"
    }

    static func dotQuote(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }

    // MARK: Mermaid

    static func mermaid(_ graph: LineageGraph) -> String {
        var out = "flowchart LR\n"
        var ids: [String: String] = [:]
        for (i, node) in graph.nodes.enumerated() {
            let id = "n\(i)"
            ids[node.id] = id
            let text = mermaidText(node.label + (node.digest.map { "<br/>\($0.prefix(10))" } ?? "") + "<br/>" + node.detail)
            switch node.kind {
            case .step: out += "  \(id)[\"\(text)\"]\n"
            case .artifact: out += "  \(id)[/\"\(text)\"/]\n"
            case .source: out += "  \(id)[(\"\(text)\")]\n"
            case .recipe: out += "  \(id){{\"\(text)\"}}\n"
            }
        }
        for edge in graph.edges {
            guard let from = ids[edge.from], let to = ids[edge.to] else { continue }
            out += "  \(from) -->" + (edge.label == "output" ? "" : "|\(mermaidText(edge.label))|") + " \(to)\n"
        }
        return out
    }

    /// Mermaid labels are quoted; quotes and angle brackets other than `<br/>` become entities.
    static func mermaidText(_ text: String) -> String {
        text.replacingOccurrences(of: "\"", with: "#quot;").replacingOccurrences(of: "<br/>", with: "\u{0}")
            .replacingOccurrences(of: "<", with: "#lt;").replacingOccurrences(of: ">", with: "#gt;")
            .replacingOccurrences(of: "|", with: "#124;").replacingOccurrences(of: "\u{0}", with: "<br/>")
    }

    // MARK: JSON

    static func json(_ graph: LineageGraph) -> Value {
        .map([
            "run": .string(graph.run.id),
            "commit": .string(graph.run.commit.id.hex),
            "subject": .string(graph.subject.description),
            "direction": .string(graph.direction.rawValue),
            "pipeline_blob": graph.pipelineBlob.map { .string($0) } ?? .null,
            "nodes": .list(graph.nodes.map { node in
                .map(["id": .string(node.id), "kind": .string(node.kind.rawValue), "label": .string(node.label),
                      "digest": node.digest.map { .string($0) } ?? .null, "detail": .string(node.detail)])
            }),
            "edges": .list(graph.edges.map { .map(["from": .string($0.from), "to": .string($0.to), "label": .string($0.label)]) }),
        ])
    }
}

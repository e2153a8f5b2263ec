import AnnealSpec
import ArgumentParser

struct DagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dag",
        abstract: "Print the pipeline's DAG: as text for a terminal, or as Graphviz dot or Mermaid.",
        discussion: "In the text form steps are grouped in layers: each step's inputs come from earlier layers.")

    @OptionGroup var options: PipelineOptions

    @Option(help: "Output format: text, dot or mermaid.")
    var format: DagFormat = .text

    func run() throws {
        let plan = try options.compile()
        print(DagRendering.render(plan, as: format), terminator: "")
    }
}

enum DagFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case dot
    case mermaid
}

/// Drawings of a plan's DAG.
enum DagRendering {
    /// The edges of the DAG, producer to consumer, with the outputs they carry.
    static func edges(_ plan: Plan) -> [(from: String, to: String, label: String)] {
        var out: [(String, String, String)] = []
        for step in plan.steps {
            var byProducer: [String: [String]] = [:]
            for a in step.artifactInputs { byProducer[a.step, default: []].append(a.output) }
            for dep in step.dependencies {
                let outputs = Array(Set(byProducer[dep] ?? [])).sorted()
                out.append((dep, step.name, outputs.joined(separator: ", ")))
            }
        }
        return out
    }

    static func render(_ plan: Plan, as format: DagFormat) -> String {
        switch format {
        case .text: return text(plan)
        case .dot: return dot(plan)
        case .mermaid: return mermaid(plan)
        }
    }

    /// Layers by longest path from a source, each step with what it reads.
    static func text(_ plan: Plan) -> String {
        var layer: [String: Int] = [:]
        for step in plan.steps {
            layer[step.name] = (step.dependencies.compactMap { layer[$0] }.max() ?? -1) + 1
        }
        let width = plan.steps.map(\.name.count).max() ?? 0
        var out = "\(plan.pipeline): \(plan.steps.count) steps\n"
        let layers = (layer.values.max() ?? -1) + 1
        for l in 0..<layers {
            out += "\nlayer \(l)\n"
            for step in plan.steps where layer[step.name] == l {
                let name = step.name.padding(toLength: width, withPad: " ", startingAt: 0)
                let inputs = step.artifactInputs.map(\.description)
                let needs = step.dependencies.filter { d in !step.artifactInputs.contains { $0.step == d } }
                var reads = Array(Set(inputs)).sorted()
                reads += needs.map { "(after \($0))" }
                out += "  \(name)  \(step.kind)" + (reads.isEmpty ? "" : "  <- \(reads.joined(separator: ", "))") + "\n"
            }
        }
        return out
    }

    static func dot(_ plan: Plan) -> String {
        var out = "digraph \"\(plan.pipeline)\" {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n"
        for step in plan.steps {
            out += "  \(quote(step.name)) [label=\(quote("\(step.name)\n\(step.kind)"))];\n"
        }
        for e in edges(plan) {
            out += "  \(quote(e.from)) -> \(quote(e.to))" + (e.label.isEmpty ? "" : " [label=\(quote(e.label))]") + ";\n"
        }
        return out + "}\n"
    }

    static func mermaid(_ plan: Plan) -> String {
        var ids: [String: String] = [:]
        for (i, step) in plan.steps.enumerated() { ids[step.name] = "s\(i)" }
        var out = "flowchart LR\n"
        for step in plan.steps {
            out += "  \(ids[step.name]!)[\"\(mermaidText(step.name))<br/><small>\(step.kind)</small>\"]\n"
        }
        for e in edges(plan) {
            let label = e.label.isEmpty ? "" : "|\(mermaidText(e.label))|"
            out += "  \(ids[e.from]!) -->\(label) \(ids[e.to]!)\n"
        }
        return out
    }

    static func quote(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }

    static func mermaidText(_ s: String) -> String {
        s.replacingOccurrences(of: "\"", with: "#quot;").replacingOccurrences(of: "[", with: "#91;")
            .replacingOccurrences(of: "]", with: "#93;")
    }
}

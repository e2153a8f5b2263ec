import AnnealEngine
import AnnealSpec
import ArgumentParser
import Foundation

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a step of the last run: what it is, its configuration and inputs, why it last ran, and where its outputs are.")

    @Argument(help: "The step (an instance name for a matrix step).")
    var step: String

    @Option(help: "The pipeline, when several have a step of that name.")
    var pipeline: String?

    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
        let ws = try workspace.open()
        let (pipelineName, r) = try StepLookup.find(step, pipeline: pipeline, in: ws)
        var out = "step \(r.name) (\(r.kind)) in pipeline \(pipelineName)\n"
        out += "last outcome: \(r.outcome.rawValue)" + (r.reasons.isEmpty ? "" : " — \(r.reasons.joined(separator: "; "))") + "\n"
        if let f = r.fingerprint { out += "fingerprint: \(f.hex)\n" }
        if let c = r.components {
            out += "config:\n  " + CanonicalJSON.encodePretty(c.config).replacingOccurrences(of: "\n", with: "\n  ") + "\n"
            if !c.inputs.isEmpty {
                out += "inputs:\n" + c.inputs.keys.sorted().map { "  \($0): \(c.inputs[$0]!.hex)\n" }.joined()
            }
        }
        if !r.outputs.isEmpty {
            out += "outputs:\n"
            for name in r.outputs.keys.sorted() {
                let o = r.outputs[name]!
                let link = ws.linkPath(pipeline: pipelineName, step: r.name, output: name)
                let relative = link.hasPrefix(ws.root + "/") ? String(link.dropFirst(ws.root.count + 1)) : link
                out += "  \(name): \(o.shape.rawValue), \(ProgressDisplay.bytes(Int(o.size))), sha256 \(o.digest.short)..  \(relative)\n"
            }
        }
        if let m = r.metrics.map, !m.isEmpty {
            out += "metrics:\n  " + CanonicalJSON.encodePretty(r.metrics).replacingOccurrences(of: "\n", with: "\n  ") + "\n"
        }
        if let log = r.log { out += "log: \(log)\n" }
        print(out, terminator: "")
    }
}

import AnnealSpec
import ArgumentParser

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Print the resolved steps in the order they run, with their resolved configuration.",
        discussion: "The configuration is shown after defaults, params and references are applied: exactly what each step receives.")

    @OptionGroup var options: PipelineOptions

    @Option(help: "Output format: text or json.")
    var format: PlanFormat = .text

    func run() throws {
        let plan = try options.compile()
        print(PlanRendering.render(plan, as: format), terminator: "")
    }
}

enum PlanFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}

/// The plan as text for people or JSON for programs.
enum PlanRendering {
    static func render(_ plan: Plan, as format: PlanFormat) -> String {
        switch format {
        case .json:
            return CanonicalJSON.encodePretty(json(plan)) + "\n"
        case .text:
            var out = "pipeline \(plan.pipeline): \(plan.steps.count) step\(plan.steps.count == 1 ? "" : "s")\n"
            for (i, step) in plan.steps.enumerated() {
                out += "\n\(i + 1). \(step.name)  (\(step.kind) v\(step.kindVersion))\(step.cache ? "" : "  [cache: false]")\n"
                if let d = step.description { out += "   \(d)\n" }
                if let r = step.recipe { out += "   recipe: \(r)\n" }
                if !step.dependencies.isEmpty { out += "   after: \(step.dependencies.joined(separator: ", "))\n" }
                if !step.outputs.isEmpty {
                    out += "   outputs: \(step.outputs.map { "\($0.name) (\($0.path)\($0.shape == .directory ? "/" : ""))" }.joined(separator: ", "))\n"
                }
                out += "   with: " + CanonicalJSON.encodePretty(step.config).replacingOccurrences(of: "\n", with: "\n   ") + "\n"
            }
            return out
        }
    }

    static func json(_ plan: Plan) -> Value {
        .map([
            "pipeline": .string(plan.pipeline),
            "params": plan.params,
            "steps": .list(plan.steps.map { step in
                .map([
                    "name": .string(step.name),
                    "kind": .string(step.kind),
                    "kind_version": .int(step.kindVersion),
                    "config": step.config,
                    "dependencies": .list(step.dependencies.map { .string($0) }),
                    "outputs": .map(Dictionary(uniqueKeysWithValues: step.outputs.map { ($0.name, Value.string($0.path)) })),
                    "cache": .bool(step.cache),
                ])
            }),
        ])
    }
}

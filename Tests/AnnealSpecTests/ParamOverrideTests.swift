import AnnealSpec
import Foundation
import Testing

@Suite struct ParamOverrideTests {
    static let text = """
        name: p
        params:
          steps: 5
          lr: 0.001
          fast: false
          label: "yes"
          model: { width: 16 }
        steps:
          t:
            kind: train
            with:
              steps: ${params.steps}
              learning_rate: ${params.lr}
              flag: ${params.fast}
              label: ${params.label}
              model: ${params.model}
        """

    func overrides(_ assignments: String...) throws -> ParamOverrides {
        var o = ParamOverrides()
        for a in assignments { try o.add(assignment: a) }
        return o
    }

    @Test func overridesAreTypedByTheParamsValue() throws {
        let plan = try TestKinds.compile(Self.text, overrides: try overrides("steps=7", "lr=1", "fast=true", "label=NO", "model.width=32"))
        let c = plan.steps[0].config
        #expect(c["steps"] == .int(7))
        #expect(c["learning_rate"] == .float(1))
        #expect(c["flag"] == .bool(true))
        #expect(c["label"] == .string("NO"))
        #expect(c["model"]?["width"] == .int(32))
    }

    @Test func anOverrideOfTheWrongTypeIsAnError() throws {
        let errors = TestKinds.errors(Self.text, overrides: try overrides("steps=many"))
        #expect(errors.first?.message == "-p steps gives param 'steps' 'many', but it is an int (its value is '5')")
        let bool = TestKinds.errors(Self.text, overrides: try overrides("fast=yes"))
        #expect(bool.first?.message.contains("but it is a bool") == true)
    }

    @Test func anUnknownParamGetsADidYouMean() throws {
        let errors = TestKinds.errors(Self.text, overrides: try overrides("model.widht=8"))
        #expect(errors.first?.message == "-p model.widht sets param 'model.widht', which the pipeline does not declare (did you mean 'width'?)")
    }

    @Test func aParamsFileOverridesLeaves() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("params-\(UUID()).yaml").path
        try "model:\n  width: 64\nsteps: 9\n".write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        var o = ParamOverrides()
        try o.add(file: file)
        let plan = try TestKinds.compile(Self.text, overrides: o)
        #expect(plan.steps[0].config["model"]?["width"] == .int(64))
        #expect(plan.steps[0].config["steps"] == .int(9))
    }

    @Test func anOverrideWithoutEqualsIsAnError() {
        var o = ParamOverrides()
        #expect(throws: DiagnosticError.self) { try o.add(assignment: "steps") }
    }

    @Test func unusedParamsAreWarnedAbout() throws {
        let plan = try TestKinds.compile(Self.text.replacingOccurrences(of: "  lr: 0.001\n", with: "  lr: 0.001\n  unused: 3\n"))
        #expect(plan.warnings.map(\.message) == ["param 'unused' is not used by any step"])
        #expect(plan.warnings.first?.location?.line == 5)
    }

    /// A generated file with thousands of unused params gets twenty warnings
    /// and one line for the rest; `model.width`, used through
    /// `${params.model}`, is not among them.
    @Test func manyUnusedParamsAreSummarised() throws {
        let extra = (0..<25).map { "  u\($0): \($0)\n" }.joined()
        let plan = try TestKinds.compile(Self.text.replacingOccurrences(of: "  lr: 0.001\n", with: "  lr: 0.001\n" + extra))
        #expect(plan.warnings.count == 21)
        #expect(plan.warnings.first?.message == "param 'u0' is not used by any step")
        #expect(plan.warnings.last?.message == "5 more params, from 'u20' on, are not used by any step")
    }
}

import AnnealSpec
import AnnealSteps
import Foundation
import Testing

@Suite struct PlanTests {
    func chain(_ order: [String], edges: [String: [String]]) -> String {
        var text = "name: p\nsteps:\n"
        for name in order {
            text += "  \(name):\n    kind: shell\n    with:\n      outputs: { out: out.txt }\n      command: echo > ${outputs.out}\n"
            let inputs = edges[name] ?? []
            if !inputs.isEmpty {
                text += "      inputs:\n" + inputs.map { "        \($0): ${\($0).out}\n" }.joined()
            }
        }
        return text
    }

    @Test func orderIsTopologicalWithDeclarationOrderBreakingTies() throws {
        let plan = try TestKinds.compile(chain(["d", "c", "b", "a"], edges: ["d": ["a"], "c": ["a", "b"]]))
        #expect(plan.steps.map(\.name) == ["b", "a", "d", "c"])
        #expect(plan.step(named: "c")?.dependencies == ["a", "b"])
    }

    @Test func aCycleIsPrintedWithEveryStep() {
        let errors = TestKinds.errors(chain(["a", "b", "c"], edges: ["a": ["c"], "b": ["a"], "c": ["b"]]))
        #expect(errors.count == 1)
        #expect(errors[0].message == "the steps form a cycle: a -> b -> c -> a")
        #expect(errors[0].hint?.contains("'b' at test.yaml:") == true)
    }

    @Test func needsAddsAnOrderingEdge() throws {
        let text = chain(["a", "b"], edges: [:]).replacingOccurrences(of: "  a:\n    kind: shell\n", with: "  a:\n    kind: shell\n    needs: [b]\n")
        let plan = try TestKinds.compile(text)
        #expect(plan.steps.map(\.name) == ["b", "a"])
        #expect(plan.step(named: "a")?.dependencies == ["b"])
    }

    @Test func severalErrorsAreReportedInOnePass() {
        let errors = TestKinds.errors("""
            name: p
            steps:
              a:
                kind: shel
              b:
                kind: shell
                with: { command: "echo ${params.nope}", bogus: 1 }
              c:
                kind: shell
                wiht: {}
            """)
        #expect(errors.count == 4)
        #expect(errors.map { $0.location!.line } == [4, 7, 7, 10])
    }

    @Test func everyPipelineInTheRepositoryCompiles() throws {
        var dir = URL(fileURLWithPath: #filePath)
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
            dir.deleteLastPathComponent()
        }
        let pipelines = dir.appendingPathComponent("pipelines")
        let files = try FileManager.default.contentsOfDirectory(atPath: pipelines.path).filter { $0.hasSuffix(".yaml") }
        #expect(!files.isEmpty)
        for file in files {
            let plan = try Compiler(catalog: StepKinds.catalog).compile(path: pipelines.appendingPathComponent(file).path)
            #expect(!plan.steps.isEmpty, "\(file)")
            #expect(plan.warnings.isEmpty, "\(file): \(plan.warnings)")
        }
    }

    @Test func declaredOutputsMustStayInsideTheStepFolder() {
        for (path, problem) in [("../x", "it contains '..'"), ("/x", "it is absolute"), ("a//b", "it has an empty or '.' component"),
                                ("a\\b", "it contains a backslash")] {
            #expect(Names.outputPathProblem(path) == problem)
        }
        #expect(Names.outputPathProblem("models/final/") == nil)
    }
}

@Suite struct ResourcesTests {
    @Test func resourcesAreReadAndKindDefaultsFillCPUs() throws {
        let plan = try TestKinds.compile("""
            name: p
            steps:
              a:
                kind: shell
                resources: { cpus: 3, memory: 16G, time: 4h, partition: gpu }
                with: { command: echo }
              b:
                kind: shell
                with: { command: echo }
            """)
        #expect(plan.step(named: "a")?.resources == Resources(cpus: 3, memory: "16G", time: "4h", partition: "gpu"))
        #expect(plan.step(named: "b")?.resources.cpus == 1)
    }

    @Test func resourcesAreNotPartOfTheConfig() throws {
        let one = try TestKinds.compile("name: p\nsteps:\n  a:\n    kind: shell\n    resources: { cpus: 1 }\n    with: { command: echo }\n")
        let two = try TestKinds.compile("name: p\nsteps:\n  a:\n    kind: shell\n    resources: { cpus: 2 }\n    with: { command: echo }\n")
        #expect(one.steps[0].canonicalConfig == two.steps[0].canonicalConfig)
    }
}

import AnnealSpec
import Testing

@Suite struct ReferenceTests {
    static let base = """
        name: p
        params:
          lr: 0.0003
          model: { layers: 4, width: 64 }
          tag: exp
          betas: [0.05, 0.1]
        steps:
          prep:
            kind: shell
            with:
              inputs: { raw: data.txt }
              outputs: { text: text.txt }
              command: cp ${inputs.raw} ${outputs.text}

        """

    @Test func wholeValueReferencesKeepTheirType() throws {
        let plan = try TestKinds.compile(Self.base + """
              t:
                kind: train
                matrix: { beta: "${params.betas}" }
                with:
                  learning_rate: ${params.lr}
                  model: ${params.model}
                  label: run-${params.tag}-${matrix.beta}
                  data: ${prep.text}
            """)
        let t = try #require(plan.step(named: "t[beta=0.05]"))
        #expect(t.config["learning_rate"] == .float(0.0003))
        #expect(t.config["model"] == .map(["layers": .int(4), "width": .int(64), "dropout": .float(0)]))
        #expect(t.config["label"] == .string("run-exp-0.05"))
        #expect(t.config["data"] == .artifact(ArtifactReference(step: "prep", output: "text")))
        #expect(t.dependencies == ["prep"])
        #expect(plan.warnings.isEmpty)
    }

    @Test func matrixExpandsIntoNamedInstancesAndStarCollectsThem() throws {
        let plan = try TestKinds.compile(Self.base + """
              t:
                kind: train
                matrix: { beta: [0.05, 0.1], mode: [fast, slow] }
                with:
                  mode: ${matrix.mode}
                  learning_rate: ${matrix.beta}
                  model: { width: 8 }
              compare:
                kind: train
                with:
                  models: ${t[*].model}
                  all: ${t[*].metrics}
                  base: ${t[beta=0.10,mode=slow].model}
                  model: { width: 8 }
            """)
        let names = plan.steps.map(\.name)
        #expect(names == ["prep", "t[beta=0.05,mode=fast]", "t[beta=0.05,mode=slow]", "t[beta=0.1,mode=fast]",
                          "t[beta=0.1,mode=slow]", "compare"])
        #expect(plan.step(named: "t[beta=0.1,mode=slow]")?.config["learning_rate"] == .float(0.1))
        let compare = try #require(plan.step(named: "compare"))
        #expect(compare.config["models"]?.map?.count == 4)
        #expect(compare.config["models"]?["t[beta=0.05,mode=fast]"] == .artifact(ArtifactReference(step: "t[beta=0.05,mode=fast]", output: "model")))
        #expect(compare.config["all"]?.list?.count == 4)
        #expect(compare.config["base"] == .artifact(ArtifactReference(step: "t[beta=0.1,mode=slow]", output: "model")))
        #expect(compare.dependencies.count == 4)
    }

    @Test func envReferencesBecomePartOfTheConfig() throws {
        let text = Self.base.replacingOccurrences(of: "cp ${inputs.raw}", with: "SEED=${env.SEED} cp ${inputs.raw}")
        let a = try TestKinds.compile(text, environment: ["SEED": "1"])
        let b = try TestKinds.compile(text, environment: ["SEED": "2"])
        #expect(a.steps[0].environment == ["SEED": "1"])
        #expect(a.steps[0].canonicalConfig != b.steps[0].canonicalConfig)
    }

    @Test func dollarDollarIsALiteral() throws {
        let text = Self.base.replacingOccurrences(of: "cp ${inputs.raw}", with: "echo $${HOME} && cp ${inputs.raw}")
        let plan = try TestKinds.compile(text)
        #expect(plan.steps[0].config["command"]?.string?.hasPrefix("echo ${HOME} && cp ${inputs.raw}") == true)
    }

    @Test func typeMismatchIsReportedAtTheReference() {
        let errors = TestKinds.errors(Self.base + """
              t:
                kind: train
                with:
                  steps: ${params.tag}
                  model: { width: 8 }
            """)
        #expect(errors.count == 1)
        let e = errors[0]
        #expect(e.message.contains("'with.steps' must be a whole number, not 'exp'"))
        #expect(e.message.contains("through ${params.tag} at test.yaml:17:14"))
        #expect(e.location?.line == 5)
    }

    @Test func artifactIntoANumberFieldIsAnError() {
        let errors = TestKinds.errors(Self.base + """
              t:
                kind: train
                with:
                  steps: ${prep.text}
                  model: { width: 8 }
            """)
        #expect(errors.first?.message == "'with.steps' must be a whole number, but ${prep.text} is a step's output (a file or folder)")
        #expect(errors.first?.location == SourceLocation(file: "test.yaml", line: 17, column: 14))
    }

    @Test func templateParsingFindsReferencesAndEscapes() throws {
        let t = try TemplateString.parse("a ${x.y} $${z} ${w}").get()
        #expect(t.parts.count == 4)
        #expect(t.wholeReference == nil)
        #expect(try TemplateString.parse("${a.b}").get().wholeReference == "a.b")
        if case .success = TemplateString.parse("${open") { Issue.record("an unclosed reference parsed") }
    }
}

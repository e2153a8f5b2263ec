import AnnealSpec
import Testing

/// The schema, not YAML 1.1 guessing, decides what text means.
@Suite struct SchemaTypingTests {
    func step(_ with: String, params: String = "") -> String {
        """
        name: p
        \(params)
        steps:
          t:
            kind: train
            with:
        \(with.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n"))
        """
    }

    func config(_ with: String, params: String = "") throws -> [String: Value] {
        let plan = try TestKinds.compile(step(with, params: params))
        return try #require(plan.steps.first?.config.map)
    }

    @Test func noInAStringFieldIsTheStringNO() throws {
        #expect(try config("label: NO\nmodel: { width: 8 }")["label"] == .string("NO"))
    }

    @Test func onInAStringFieldIsText() throws {
        #expect(try config("label: on\nmodel: { width: 8 }")["label"] == .string("on"))
    }

    @Test func exponentInAFloatFieldIsANumber() throws {
        #expect(try config("learning_rate: 1e-4\nmodel: { width: 8 }")["learning_rate"] == .float(0.0001))
    }

    @Test func integerInAFloatFieldIsAFloat() throws {
        let c = try config("learning_rate: 1\nmodel: { width: 8 }")
        #expect(c["learning_rate"] == .float(1))
        #expect(CanonicalJSON.encode(c["learning_rate"]!) == "1.0")
    }

    @Test func onInABoolFieldIsAnErrorWithAHint() {
        let errors = TestKinds.errors(step("flag: on\nmodel: { width: 8 }"))
        #expect(errors.count == 1)
        #expect(errors.first?.message == "'with.flag' must be true or false, not 'on'")
        #expect(errors.first?.hint?.contains("YAML 1.2") == true)
        #expect(errors.first?.location?.line == 7)
    }

    @Test func quotedNumberInAnIntFieldIsAnError() {
        let errors = TestKinds.errors(step("steps: \"5\"\nmodel: { width: 8 }"))
        #expect(errors.first?.message == "'with.steps' must be a whole number, not '5'")
        #expect(errors.first?.hint == "remove the quotes")
    }

    @Test func rangesAreChecked() {
        #expect(TestKinds.errors(step("steps: 0\nmodel: { width: 8 }")).first?.message == "'with.steps' must be at least 1, not 0")
        #expect(TestKinds.errors(step("model: { width: 8, dropout: 1.5 }")).first?.message == "'with.model.dropout' must be at most 1.0, not 1.5")
    }

    @Test func enumsSuggestTheClosestCase() {
        #expect(TestKinds.errors(step("mode: fsat\nmodel: { width: 8 }")).first?.message
                == "'with.mode' must be one of fast, slow, not 'fsat' (did you mean 'fast'?)")
    }

    @Test func defaultsAreFilledAndNestedRecordsChecked() throws {
        let c = try config("model: { width: 16 }")
        #expect(c["steps"] == .int(10))
        #expect(c["mode"] == .string("fast"))
        #expect(c["model"] == .map(["layers": .int(2), "width": .int(16), "dropout": .float(0)]))
        #expect(c["data"] == nil)
        let errors = TestKinds.errors(step("model: { layers: 2 }"))
        #expect(errors.first?.message == "'with.model' of step 't' is missing the required field 'width'")
    }

    @Test func canonicalConfigIsTheSameForTheSameMeaning() throws {
        let a = try TestKinds.compile(step("learning_rate: 0.00010\nsteps: 0x10\nmodel: { width: 8, layers: 2 }"))
        let b = try TestKinds.compile(step("model:\n  layers: 2\n  width: 8\nsteps: 16\nlearning_rate: 1e-4"))
        #expect(a.steps[0].canonicalConfig == b.steps[0].canonicalConfig)
        #expect(a.steps[0].canonicalConfig.contains("\"learning_rate\":0.0001"))
    }

    @Test func pathsMustExistAndArtifactsMustBeReferences() {
        let missing = TestKinds.errors(step("data: nowhere.txt\nmodel: { width: 8 }"))
        #expect(missing.first?.message.contains("input 'nowhere.txt' does not exist") == true)
        let notRef = TestKinds.errors(step("base: data.txt\nmodel: { width: 8 }"))
        #expect(notRef.first?.message == "'with.base' must be another step's output, like ${STEP.OUTPUT}, not 'data.txt'")
    }
}

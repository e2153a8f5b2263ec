import AnnealSpec
import Testing

/// `ConfigurationDecoder` reads a configuration under its schema: defaults
/// from the schema (inside records too), snake-case field names, and errors
/// that name the field.
@Suite struct ConfigurationDecoderTests {
    struct Train: Decodable {
        struct Model: Decodable {
            var layers: Int
            var width: Int
            var dropout: Float
        }

        var learningRate: Double
        var steps: Int
        var label: String
        var flag: Bool
        var tags: [String]
        var model: Model?
        var data: String?
        var models: [String: String]
    }

    static let schema = TestKinds.train.schema

    @Test func absentFieldsTakeTheSchemasDefaultsAlsoInsideRecords() throws {
        let t = try ConfigurationDecoder.decode(Train.self, from: .map(["model": .map(["width": .int(16)])]), schema: Self.schema)
        #expect(t.learningRate == 0.001 && t.steps == 10 && t.label == "run" && !t.flag && t.tags.isEmpty && t.models.isEmpty)
        #expect(t.model?.layers == 2 && t.model?.width == 16 && t.model?.dropout == 0)
        #expect(t.data == nil)
    }

    @Test func givenValuesWin() throws {
        let t = try ConfigurationDecoder.decode(Train.self, from: .map([
            "learning_rate": .float(0.5), "steps": .int(3), "tags": .list([.string("a")]), "data": .path("d.txt"),
            "models": .map(["base": .path("m")]),
        ]), schema: Self.schema)
        #expect(t.learningRate == 0.5 && t.steps == 3 && t.tags == ["a"] && t.data == "d.txt" && t.models == ["base": "m"])
    }

    @Test func aMissingRequiredFieldIsNamed() {
        #expect {
            _ = try ConfigurationDecoder.decode(Train.self, from: .map(["model": .map([:])]), schema: Self.schema)
        } throws: { "\($0)" == "field 'model.width' is required" }
    }

    @Test func aPropertyThatNamesNoFieldIsAnError() {
        struct Misspelt: Decodable { var learningRates: Double }
        #expect {
            _ = try ConfigurationDecoder.decode(Misspelt.self, from: .map([:]), schema: Self.schema)
        } throws: { "\($0)".contains("field 'learning_rates' is not in the schema") }
    }

    @Test func aRuleAcrossFieldsIsChecked() {
        struct Pair: Decodable { var a: String?; var b: String? }
        let schema = Schema([Field("a", .string, doc: "a"), Field("b", .string, doc: "b")],
                            rules: [.exactlyOne(of: ["a", "b"], why: "one source")])
        #expect(throws: ConfigurationError.self) { try ConfigurationDecoder.decode(Pair.self, from: .map([:]), schema: schema) }
        #expect(throws: ConfigurationError.self) {
            try ConfigurationDecoder.decode(Pair.self, from: .map(["a": .string("x"), "b": .string("y")]), schema: schema)
        }
        #expect(throws: Never.self) { try ConfigurationDecoder.decode(Pair.self, from: .map(["b": .string("y")]), schema: schema) }
    }

    @Test func divisibilityAndNamedKeysAreChecked() {
        struct Shape: Decodable { var heads: Int; var width: Int; var pick: String?; var names: [String: String] }
        let schema = Schema([Field("heads", .int(), default: .int(4), doc: "h"), Field("width", .int(), default: .int(128), doc: "w"),
                             Field("pick", .string, doc: "p"), Field("names", .map(.string), default: .map([:]), doc: "n")],
                            rules: [.divides("heads", "width", why: "even split"), .namesKey(of: "names", at: ["pick"], why: "one of them")])
        #expect(throws: Never.self) { try ConfigurationDecoder.decode(Shape.self, from: .map(["width": .int(64)]), schema: schema) }
        #expect {
            try ConfigurationDecoder.decode(Shape.self, from: .map(["heads": .int(3)]), schema: schema)
        } throws: { "\($0)".contains("has 'width' 128, not a multiple of 'heads' 3") }
        let named: Value = .map(["names": .map(["a": .string("x")]), "pick": .string("b")])
        #expect { try ConfigurationDecoder.decode(Shape.self, from: named, schema: schema) } throws: { "\($0)".contains("not one of 'names' (a)") }
    }
}

import Foundation

/// Reads a pipeline file and the recipes it names into a `PipelineSpec`,
/// reporting every problem of shape it finds in one pass.
public struct PipelineLoader {
    public var parser: YAMLParser

    public init(parser: YAMLParser = YAMLParser()) {
        self.parser = parser
    }

    static let topLevelKeys = ["name", "description", "params", "steps"]
    static let stepKeys = ["kind", "recipe", "with", "needs", "matrix", "cache", "description", "resources"]
    static let recipeKeys = ["kind", "description", "with"]

    /// Loads `path`. Throws a `DiagnosticError` holding every error found.
    public func load(path: String) throws -> PipelineSpec {
        let text = try Self.readText(path, what: "pipeline", at: nil)
        return try load(text: text, file: path, baseDirectory: (path as NSString).deletingLastPathComponent)
    }

    /// Loads pipeline text given as `file` (for messages), with relative paths
    /// resolved against `baseDirectory`.
    public func load(text: String, file: String, baseDirectory: String) throws -> PipelineSpec {
        guard let root = try parser.parse(text, file: file) else {
            throw DiagnosticError([.error(SourceLocation(file: file, line: 1, column: 1), "the pipeline file is empty",
                                          hint: "a pipeline needs at least 'name:' and 'steps:'")])
        }
        var problems: [Diagnostic] = []
        guard let entries = root.mapping else {
            throw DiagnosticError([.error(root.location, "a pipeline must be a mapping with 'name:' and 'steps:', not \(root.shapeName)")])
        }
        for entry in entries where !Self.topLevelKeys.contains(entry.key) {
            problems.append(.error(entry.keyLocation, "unknown top-level field '\(entry.key)'\(Suggestion.didYouMean(entry.key, in: Self.topLevelKeys))",
                                   hint: "a pipeline has the fields \(Self.topLevelKeys.joined(separator: ", "))"))
        }
        var name = ""
        if let node = root["name"] {
            if let s = node.scalar, !node.isNull {
                name = s.value
                if let p = Names.problem(name) {
                    problems.append(.error(node.location, "pipeline name '\(Names.shown(name))' \(p.phrase)",
                                           hint: p.hint("use letters, digits, '-' and '_' only, starting with a letter or digit")))
                }
            } else {
                problems.append(.error(node.location, "'name' must be text, not \(node.shapeName)"))
            }
        } else {
            problems.append(.error(root.location, "the pipeline has no 'name:'", hint: "add a line 'name: my-pipeline' at the top"))
        }
        let description = Self.text(root["description"], field: "description", problems: &problems)
        let params = root["params"]
        if let params, params.mapping == nil, !params.isNull {
            problems.append(.error(params.location, "'params' must be a mapping of names to values, not \(params.shapeName)"))
        }

        var steps: [StepSpec] = []
        var broken: [String] = []
        var recipes: [String: RecipeSpec] = [:]
        if let stepsNode = root["steps"] {
            if let stepEntries = stepsNode.mapping {
                if stepEntries.isEmpty {
                    problems.append(.error(stepsNode.location, "'steps' is empty", hint: "add at least one step"))
                }
                for entry in stepEntries {
                    if let step = loadStep(entry, baseDirectory: baseDirectory, recipes: &recipes, problems: &problems) {
                        steps.append(step)
                    } else {
                        broken.append(entry.key)
                    }
                }
            } else {
                problems.append(.error(stepsNode.location, "'steps' must be a mapping of step names to steps, not \(stepsNode.shapeName)",
                                       hint: "write each step as 'name:' followed by its indented fields"))
            }
        } else {
            problems.append(.error(root.location, "the pipeline has no 'steps:'", hint: "add a 'steps:' mapping"))
        }
        if problems.contains(where: { $0.severity == .error }), steps.isEmpty && broken.isEmpty || name.isEmpty {
            throw DiagnosticError(problems)
        }
        var spec = PipelineSpec(name: name, description: description, file: file, text: text,
                                baseDirectory: baseDirectory, params: params, steps: steps, recipes: recipes)
        spec.diagnostics = problems
        spec.brokenSteps = broken
        return spec
    }

    func loadStep(_ entry: YAMLEntry, baseDirectory: String, recipes: inout [String: RecipeSpec],
                  problems: inout [Diagnostic]) -> StepSpec? {
        let name = entry.key
        var ok = true
        if let p = Names.problem(name) {
            problems.append(.error(entry.keyLocation, "step name '\(Names.shown(name))' \(p.phrase)",
                                   hint: p.hint("use letters, digits, '-' and '_' only (it names a folder and appears in references)")))
            ok = false
        }
        guard let fields = entry.value.mapping else {
            problems.append(.error(entry.value.location, "step '\(name)' must be a mapping with 'kind:' or 'recipe:', not \(entry.value.shapeName)"))
            return nil
        }
        for field in fields where !Self.stepKeys.contains(field.key) {
            problems.append(.error(field.keyLocation, "unknown field '\(field.key)' in step '\(name)'\(Suggestion.didYouMean(field.key, in: Self.stepKeys))",
                                   hint: "a step has the fields \(Self.stepKeys.joined(separator: ", ")); the kind's own settings go under 'with:'"))
            ok = false
        }
        let node = entry.value
        var kind: String?
        var kindLocation: SourceLocation?
        if let k = node["kind"] {
            if let s = k.scalar, !k.isNull { kind = s.value; kindLocation = k.location } else {
                problems.append(.error(k.location, "'kind' of step '\(name)' must be a kind's name, not \(k.shapeName)"))
                ok = false
            }
        }
        var recipePath: String?
        var with = node["with"]
        if let r = node["recipe"] {
            if let s = r.scalar, !r.isNull {
                if let recipe = loadRecipe(s.value, at: r.location, baseDirectory: baseDirectory, recipes: &recipes, problems: &problems) {
                    recipePath = recipe.file
                    if let kind, kind != recipe.kind {
                        problems.append(.error(kindLocation, "step '\(name)' says kind '\(kind)' but its recipe \(recipe.file) is of kind '\(recipe.kind)'",
                                               hint: "remove 'kind:' from the step; the recipe gives it"))
                        ok = false
                    }
                    kind = recipe.kind
                    kindLocation = recipe.kindLocation
                    with = Self.merge(recipe.with, with)
                } else {
                    ok = false
                }
            } else {
                problems.append(.error(r.location, "'recipe' of step '\(name)' must be a file path, not \(r.shapeName)"))
                ok = false
            }
        }
        if kind == nil, node["kind"] == nil, node["recipe"] == nil {
            problems.append(.error(entry.keyLocation, "step '\(name)' has neither 'kind:' nor 'recipe:'",
                                   hint: "add 'kind: shell' (see 'anneal kinds') or 'recipe: recipes/NAME.yaml'"))
            ok = false
        }
        if let w = with, w.mapping == nil, !w.isNull {
            problems.append(.error(w.location, "'with' of step '\(name)' must be a mapping of settings, not \(w.shapeName)"))
            ok = false
        }
        var needs: [(String, SourceLocation)] = []
        if let n = node["needs"] {
            let items = n.sequence ?? [n]
            for item in items {
                if let s = item.scalar, !item.isNull { needs.append((s.value, item.location)) } else {
                    problems.append(.error(item.location, "'needs' lists step names, and this is \(item.shapeName)"))
                    ok = false
                }
            }
        }
        var cache = true
        if let c = node["cache"] {
            if let b = c.scalar.flatMap({ Scalars.bool($0) }) { cache = b } else {
                problems.append(.error(c.location, "'cache' must be true or false"))
                ok = false
            }
        }
        if let m = node["matrix"], m.mapping == nil {
            problems.append(.error(m.location, "'matrix' must map names to lists of values, not \(m.shapeName)",
                                   hint: "for example 'matrix: { beta: [0.05, 0.1] }'"))
            ok = false
        }
        let description = Self.text(node["description"], field: "description", problems: &problems)
        var resources = Resources()
        if let r = node["resources"], !r.isNull {
            if let read = Resources.read(r, step: name, problems: &problems) { resources = read } else { ok = false }
        }
        guard ok else { return nil }
        var step = StepSpec(name: name, location: entry.keyLocation, kind: kind, kindLocation: kindLocation, recipe: recipePath,
                            with: with, needs: needs, matrix: node["matrix"], cache: cache, description: description)
        step.resources = resources
        return step
    }

    /// Finds a recipe: a path relative to the pipeline's folder or one of its
    /// ancestors (first match wins); a bare name means `recipes/NAME.yaml`.
    func loadRecipe(_ reference: String, at location: SourceLocation, baseDirectory: String,
                    recipes: inout [String: RecipeSpec], problems: inout [Diagnostic]) -> RecipeSpec? {
        let relative = reference.contains("/") || reference.hasSuffix(".yaml") || reference.hasSuffix(".yml")
            ? reference : "recipes/\(reference).yaml"
        var candidates: [String] = []
        if relative.hasPrefix("/") {
            candidates = [relative]
        } else {
            let cwd = FileManager.default.currentDirectoryPath
            var dir = baseDirectory.hasPrefix("/") ? baseDirectory : (cwd as NSString).appendingPathComponent(baseDirectory)
            dir = (dir as NSString).standardizingPath
            while true {
                candidates.append((dir as NSString).appendingPathComponent(relative))
                let parent = (dir as NSString).deletingLastPathComponent
                if parent == dir || parent.isEmpty { break }
                dir = parent
            }
        }
        guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            problems.append(.error(location, "recipe '\(reference)' not found (looked for \(candidates.prefix(3).joined(separator: ", ")))",
                                   hint: "give the recipe's path relative to the pipeline file, for example 'recipes/sft.yaml'"))
            return nil
        }
        let file = Self.displayPath(found)
        if let known = recipes[file] { return known }
        do {
            let text = try Self.readText(file, what: "recipe", at: location)
            guard let root = try parser.parse(text, file: file), let entries = root.mapping else {
                problems.append(.error(SourceLocation(file: file, line: 1, column: 1), "a recipe must be a mapping with 'kind:' and 'with:'"))
                return nil
            }
            var ok = true
            for entry in entries where !Self.recipeKeys.contains(entry.key) {
                problems.append(.error(entry.keyLocation, "unknown field '\(entry.key)' in recipe\(Suggestion.didYouMean(entry.key, in: Self.recipeKeys))",
                                       hint: "a recipe has the fields \(Self.recipeKeys.joined(separator: ", "))"))
                ok = false
            }
            guard let kindNode = root["kind"], let kind = kindNode.scalar?.value, !kindNode.isNull else {
                problems.append(.error(root.location, "recipe \(file) has no 'kind:'", hint: "name the step kind it configures, for example 'kind: sft'"))
                return nil
            }
            let with = root["with"]
            if let with, with.mapping == nil, !with.isNull {
                problems.append(.error(with.location, "'with' of a recipe must be a mapping, not \(with.shapeName)"))
                ok = false
            }
            let description = Self.text(root["description"], field: "description", problems: &problems)
            guard ok else { return nil }
            let recipe = RecipeSpec(file: file, text: text, kind: kind, kindLocation: kindNode.location, description: description, with: with)
            recipes[file] = recipe
            return recipe
        } catch let error as DiagnosticError {
            problems.append(contentsOf: error.diagnostics)
            return nil
        } catch {
            problems.append(.error(location, "could not read recipe \(file): \(error)"))
            return nil
        }
    }

    /// Deep-merges two `with:` mappings: keys of `over` replace those of `base`,
    /// mappings merge key by key, lists and scalars are replaced whole.
    public static func merge(_ base: YAMLNode?, _ over: YAMLNode?) -> YAMLNode? {
        guard let base, let baseEntries = base.mapping else { return over ?? base }
        guard let over, let overEntries = over.mapping else { return over == nil || over!.isNull ? base : over }
        var result = baseEntries
        for entry in overEntries {
            if let i = result.firstIndex(where: { $0.key == entry.key }) {
                let merged = merge(result[i].value, entry.value) ?? entry.value
                result[i] = YAMLEntry(key: entry.key, keyLocation: entry.keyLocation, value: merged)
            } else {
                result.append(entry)
            }
        }
        return YAMLNode(.mapping(result), at: over.location)
    }

    /// `path` relative to the working directory when it is inside it, for
    /// messages and lineage that do not depend on where the workspace lives.
    static func displayPath(_ path: String) -> String {
        let cwd = (FileManager.default.currentDirectoryPath as NSString).standardizingPath
        let standard = (path as NSString).standardizingPath
        if standard.hasPrefix(cwd + "/") { return String(standard.dropFirst(cwd.count + 1)) }
        return standard
    }

    static func text(_ node: YAMLNode?, field: String, problems: inout [Diagnostic]) -> String? {
        guard let node, !node.isNull else { return nil }
        guard let s = node.scalar else {
            problems.append(.error(node.location, "'\(field)' must be text, not \(node.shapeName)"))
            return nil
        }
        return s.value
    }

    static func readText(_ path: String, what: String, at location: SourceLocation?) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw DiagnosticError([.error(location, exists ? "cannot read \(what) file \(path)" : "\(what) file \(path) does not exist",
                                          hint: exists ? "check its permissions" : "check the path")])
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw DiagnosticError([.error(SourceLocation(file: path, line: 1, column: 1), "\(what) file \(path) is not valid UTF-8",
                                          hint: "save it as UTF-8 text")])
        }
        return text
    }
}

import Foundation

/// Compiles a `PipelineSpec` into a `Plan`: expands matrices, reads every
/// step's `with:` under its kind's schema, resolves references into DAG edges,
/// and orders the steps. Every error found is reported together.
public struct Compiler: Sendable {
    public var catalog: KindCatalog
    /// Most instances one matrix step may expand to.
    public var maxMatrixInstances = 10_000
    /// Whether to check that input paths exist (off for tools that only format).
    public var checkPaths = true

    public init(catalog: KindCatalog) {
        self.catalog = catalog
    }

    /// Loads and compiles the pipeline at `path` with the given overrides.
    public func compile(path: String, overrides: ParamOverrides = ParamOverrides(),
                        environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Plan {
        let spec = try PipelineLoader().load(path: path)
        return try compile(spec, overrides: overrides, environment: environment)
    }

    public func compile(_ spec: PipelineSpec, overrides: ParamOverrides = ParamOverrides(),
                        environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Plan {
        var diagnostics = spec.diagnostics
        var params = ParamTable(spec.params)
        for o in overrides.entries {
            if let d = params.override(o.path, with: o.node, origin: o.origin) { diagnostics.append(d) }
        }

        // Matrices first: references need every step's instance names.
        var resolver = ConfigResolver(params: params)
        resolver.checkPaths = checkPaths
        var instances: [String: [ConfigResolver.Instance]] = [:]
        var axesByStep: [String: [[(key: String, node: YAMLNode)]]] = [:]
        var descriptors: [String: StepKindDescriptor] = [:]
        for step in spec.steps {
            if let kind = step.kind {
                if let d = catalog[kind] { descriptors[step.name] = d } else {
                    diagnostics.append(.error(step.kindLocation ?? step.location,
                                              "unknown step kind '\(kind)' in step '\(step.name)'\(Suggestion.didYouMean(kind, in: catalog.names))",
                                              hint: "the kinds are: \(catalog.names.joined(separator: ", ")) (see 'anneal kinds')"))
                }
            }
            let combos = expandMatrix(step, resolver: &resolver, environment: environment, diagnostics: &diagnostics)
            axesByStep[step.name] = combos
            instances[step.name] = combos.map { combo in
                let values = combo.map { (key: $0.key, text: $0.node.scalar?.value ?? "") }
                return ConfigResolver.Instance(name: Self.instanceName(step.name, values), values: values)
            }
        }

        for name in spec.brokenSteps where instances[name] == nil {
            instances[name] = [ConfigResolver.Instance(name: name, values: [])]
        }

        // Resolve every instance's configuration.
        var planned: [PlannedStep] = []
        var declarationOrder: [String: Int] = [:]
        for step in spec.steps {
            guard let descriptor = descriptors[step.name], let combos = axesByStep[step.name] else { continue }
            for (combo, instance) in zip(combos, instances[step.name]!) {
                var matrix: [String: YAMLNode] = [:]
                for axis in combo { matrix[axis.key] = axis.node }
                let scope = ConfigResolver.Scope(step: step.name, instance: instance.name, matrix: matrix,
                                                 environment: environment, instances: instances, baseDirectory: spec.baseDirectory)
                resolver.environmentUsed = [:]
                let runtimeMark = resolver.runtimeNames.count
                let config = resolver.resolveRecord(step.with, schema: descriptor.schema, field: "with", scope: scope, fallback: step.location)
                checkRuntimeNames(Array(resolver.runtimeNames[runtimeMark...]), config: config, with: step.with,
                                  step: step.name, diagnostics: &diagnostics)
                let outputs = self.outputs(of: step, descriptor: descriptor, config: config, diagnostics: &diagnostics)
                declarationOrder[instance.name] = planned.count
                planned.append(PlannedStep(
                    name: instance.name, baseName: step.name,
                    matrix: combo.map { (key: $0.key, value: ParamTable.untyped($0.node)) },
                    kind: descriptor.name, kindVersion: descriptor.version, config: .map(config), outputs: outputs,
                    dependencies: [], cache: step.cache, location: step.location, description: step.description,
                    recipe: step.recipe, environment: resolver.environmentUsed,
                    resources: Self.resources(step.resources, kind: descriptor)))
            }
        }
        diagnostics.append(contentsOf: resolver.diagnostics)

        // Check output names now that every step's outputs are known.
        var outputsByInstance: [String: [String]] = [:]
        for s in planned { outputsByInstance[s.name] = s.outputs.map(\.name) }
        var reported = Set<String>()
        for p in resolver.pending {
            guard let outputs = outputsByInstance[p.reference.step] else { continue }
            if !outputs.contains(p.reference.output), reported.insert("\(p.location)").inserted {
                let base = planned.first { $0.name == p.reference.step }?.baseName ?? p.reference.step
                diagnostics.append(.error(p.location, "\(p.text): step '\(base)' has no output '\(p.reference.output)'\(Suggestion.didYouMean(p.reference.output, in: outputs))",
                                          hint: outputs.isEmpty ? "it declares no outputs" : "its outputs are: \(outputs.joined(separator: ", "))"))
            }
        }

        // Edges: artifact references and explicit needs.
        var stepsByName: [String: StepSpec] = [:]
        for step in spec.steps { stepsByName[step.name] = step }
        for i in planned.indices {
            var deps = Set(planned[i].config.artifacts.map(\.step))
            if let step = stepsByName[planned[i].baseName] {
                for need in step.needs {
                    if need.name == step.name {
                        diagnostics.append(.error(need.location, "step '\(step.name)' lists itself in 'needs'"))
                    } else if let targets = instances[need.name] {
                        deps.formUnion(targets.map(\.name))
                    } else {
                        diagnostics.append(.error(need.location, "'needs' of step '\(step.name)' names no step '\(need.name)'\(Suggestion.didYouMean(need.name, in: instances.keys))"))
                    }
                }
            }
            planned[i].dependencies = deps.sorted()
        }

        // Unused params, as warnings: one each for the first few, then one
        // line for the rest (a generated file can leave a million unused).
        let unused = resolver.params.leaves().filter { !resolver.params.isUsed($0.path) }
        for leaf in unused.prefix(Self.unusedParamsListed) {
            diagnostics.append(.warning(leaf.location, "param '\(leaf.path)' is not used by any step",
                                        hint: "reference it as ${params.\(leaf.path)} or remove it"))
        }
        if unused.count > Self.unusedParamsListed {
            let next = unused[Self.unusedParamsListed]
            diagnostics.append(.warning(next.location, "\(unused.count - Self.unusedParamsListed) more params, from '\(next.path)' on, are not used by any step",
                                        hint: "reference them as ${params.NAME} or remove them"))
        }

        var ordered: [PlannedStep] = []
        if !diagnostics.contains(where: { $0.severity == .error }) {
            switch PlanGraph.order(planned, declarationOrder: declarationOrder) {
            case .success(let steps): ordered = steps
            case .failure(let cycle): diagnostics.append(cycle)
            }
        }
        let unique = Self.deduplicated(diagnostics)
        if unique.contains(where: { $0.severity == .error }) {
            throw DiagnosticError(unique)
        }
        var recipes: [String: String] = [:]
        for (path, r) in spec.recipes { recipes[path] = r.text }
        return Plan(pipeline: spec.name, description: spec.description, file: spec.file, text: spec.text,
                    baseDirectory: spec.baseDirectory, recipes: recipes, params: resolver.params.value(),
                    steps: ordered, warnings: unique)
    }

    /// The step's resources with the kind's default core count filled in
    /// (`cpus` nil means every core the runner may use).
    static func resources(_ declared: Resources, kind: StepKindDescriptor) -> Resources {
        var r = declared
        if r.cpus == nil { r.cpus = kind.defaultCPUs }
        return r
    }

    /// `dpo[beta=0.1,lr=3e-4]`: the step's name and its matrix values as written.
    static func instanceName(_ step: String, _ values: [(key: String, text: String)]) -> String {
        values.isEmpty ? step : "\(step)[\(values.map { "\($0.key)=\($0.text)" }.joined(separator: ","))]"
    }

    /// Every combination of the step's matrix values, first key outermost;
    /// a step without a matrix has one empty combination.
    func expandMatrix(_ step: StepSpec, resolver: inout ConfigResolver, environment: [String: String],
                      diagnostics: inout [Diagnostic]) -> [[(key: String, node: YAMLNode)]] {
        guard let entries = step.matrix?.mapping else { return [[]] }
        if entries.isEmpty {
            diagnostics.append(.error(step.matrix!.location, "'matrix' of step '\(step.name)' is empty", hint: "remove it, or give each key a list of values"))
            return []
        }
        var axes: [(String, [YAMLNode])] = []
        let scope = ConfigResolver.Scope(step: step.name, instance: step.name, matrix: [:], environment: environment,
                                         instances: [:], baseDirectory: "")
        for e in entries {
            if let p = Names.problem(e.key) {
                diagnostics.append(.error(e.keyLocation, "matrix key '\(Names.shown(e.key))' \(p.phrase)", hint: p.hint("use letters, digits, '-' and '_'")))
                continue
            }
            var node = e.value
            // A matrix axis may come from a param: `beta: ${params.betas}`.
            if let s = node.scalar, let whole = (try? TemplateString.parse(s.value).get())?.wholeReference {
                guard let ref = resolver.parseReference(whole, at: node.location, field: "matrix.\(e.key)", runtime: []),
                      let target = resolver.referencedNode(ref, at: node.location, field: "matrix.\(e.key)", scope: scope) else { continue }
                node = target
            }
            guard let items = node.sequence, !items.isEmpty else {
                diagnostics.append(.error(node.location, "matrix key '\(e.key)' of step '\(step.name)' needs a non-empty list of values, not \(node.shapeName)",
                                          hint: "for example '\(e.key): [0.05, 0.1]'"))
                continue
            }
            var seen: [String: SourceLocation] = [:]
            var ok = true
            for item in items {
                guard let s = item.scalar, !item.isNull else {
                    diagnostics.append(.error(item.location, "matrix values must be single values (numbers or words), not \(item.shapeName)",
                                              hint: "name variants by scalars and put structured settings in params"))
                    ok = false
                    continue
                }
                if s.value.contains(where: { "[],=/\\".contains($0) }) || s.value.contains("${") || s.value.isEmpty {
                    diagnostics.append(.error(item.location, "matrix value '\(s.value)' cannot name an instance",
                                              hint: "use values without '[', ']', ',', '=', '/' or '${'"))
                    ok = false
                } else if let first = seen[s.value] {
                    diagnostics.append(.error(item.location, "matrix key '\(e.key)' lists '\(s.value)' twice (first at line \(first.line))"))
                    ok = false
                }
                seen[s.value] = item.location
            }
            if ok { axes.append((e.key, items)) }
        }
        guard axes.count == entries.count else { return [] }
        let total = axes.reduce(1) { $0 * $1.1.count }
        if total > maxMatrixInstances {
            diagnostics.append(.error(step.matrix!.location, "the matrix of step '\(step.name)' expands to \(total) instances, more than \(maxMatrixInstances)"))
            return []
        }
        var combos: [[(key: String, node: YAMLNode)]] = [[]]
        for (key, values) in axes {
            combos = combos.flatMap { prefix in values.map { prefix + [(key: key, node: $0)] } }
        }
        return combos
    }

    /// The outputs of a step: fixed by its kind, or declared in its config.
    func outputs(of step: StepSpec, descriptor: StepKindDescriptor, config: [String: Value],
                 diagnostics: inout [Diagnostic]) -> [OutputDeclaration] {
        switch descriptor.outputs {
        case .fixed(let outputs):
            return outputs
        case .declared(let field):
            guard let declared = config[field]?.map else { return [] }
            let fieldNode = step.with?[field]
            var result: [OutputDeclaration] = []
            var paths: [String: String] = [:]
            for name in declared.keys.sorted() {
                let entry = fieldNode?.mapping?.first { $0.key == name }
                let location = entry?.keyLocation ?? step.location
                if let p = Names.problem(name) {
                    diagnostics.append(.error(location, "output name '\(Names.shown(name))' of step '\(step.name)' \(p.phrase)",
                                              hint: p.hint("use letters, digits, '-' and '_'")))
                    continue
                }
                guard let path = declared[name]?.string else { continue }
                if let problem = Names.outputPathProblem(path) {
                    diagnostics.append(.error(entry?.value.location ?? location,
                                              "output '\(name)' of step '\(step.name)' has path '\(path)': \(problem)",
                                              hint: "an output path is relative to the step's own output folder and stays inside it"))
                    continue
                }
                let normal = path.hasSuffix("/") ? String(path.dropLast()) : path
                if let other = paths[normal] {
                    diagnostics.append(.error(entry?.value.location ?? location, "outputs '\(other)' and '\(name)' of step '\(step.name)' have the same path '\(normal)'"))
                    continue
                }
                if let clash = paths.keys.first(where: { normal.hasPrefix($0 + "/") || $0.hasPrefix(normal + "/") }) {
                    diagnostics.append(.error(entry?.value.location ?? location,
                                              "output '\(name)' of step '\(step.name)' (path '\(normal)') lies inside or around output '\(paths[clash]!)' ('\(clash)')",
                                              hint: "give each output its own path"))
                    continue
                }
                paths[normal] = name
                result.append(OutputDeclaration(name, path: normal, shape: path.hasSuffix("/") ? .directory : .file))
            }
            return result
        }
    }

    /// Checks `${inputs.x}`-style names against the keys of their namespace field.
    func checkRuntimeNames(_ names: [ConfigResolver.RuntimeName], config: [String: Value], with: YAMLNode?,
                           step: String, diagnostics: inout [Diagnostic]) {
        for n in names {
            // A namespace field that failed to resolve has been reported already.
            if config[n.namespace] == nil, with?[n.namespace] != nil { continue }
            let keys = config[n.namespace]?.map.map { Array($0.keys) } ?? []
            if !keys.contains(n.name) {
                diagnostics.append(.error(n.location, "${\(n.namespace).\(n.name)} names no entry of '\(n.namespace)' in step '\(step)'\(Suggestion.didYouMean(n.name, in: keys))",
                                          hint: keys.isEmpty ? "declare it under '\(n.namespace):'" : "'\(n.namespace)' has: \(keys.sorted().joined(separator: ", "))"))
            }
        }
    }

    /// Drops repeated diagnostics (a matrix step reports a mistake once, not per
    /// instance) and orders them by place.
    /// Unused params warned about one by one; the rest get one warning.
    static let unusedParamsListed = 20

    static func deduplicated(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        var seen = Set<Diagnostic>()
        var out: [Diagnostic] = []
        for d in diagnostics where seen.insert(d).inserted { out.append(d) }
        return out.enumerated().sorted { a, b in
            switch (a.element.location, b.element.location) {
            case (let x?, let y?) where x != y: return x < y
            case (nil, _?): return false
            case (_?, nil): return true
            default: return a.offset < b.offset
            }
        }.map(\.element)
    }
}

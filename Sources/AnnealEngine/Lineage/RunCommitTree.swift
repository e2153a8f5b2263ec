import AnnealLineage
import AnnealSpec
import Foundation

/// The files of one run's lineage commit, built from the plan and the run record:
///
/// ```
/// pipeline.yaml            the pipeline file as written
/// files/<path>             the same file at its path in the workspace (pipelines/tiny-chat.yaml)
/// recipes/<path>           every recipe file the plan used, as written
/// plan.json                each step: kind, version, canonical config, dependencies,
///                          outputs, inputs with their sources and digests, fingerprint
///                          and its components
/// run.json                 the run record, plus the workspace's own git state
/// ```
///
/// Every JSON file goes through `CanonicalJSON.encodePretty` (sorted keys, two-space
/// indent), so the same run gives the same bytes and `git diff` between runs is readable.
public struct RunCommitTree: Sendable {
    /// Contents by slash path, ready for `LineageRepository.commit`.
    public let files: [String: Data]

    /// Builds the tree of `run`, made from `plan` in the workspace at `workspaceRoot`;
    /// `gitState` is the workspace's git state (nil outside a git working tree),
    /// `gitProblem` why it could not be read, if so.
    public init(run: RunRecord, plan: Plan, workspaceRoot: String, gitState: WorkspaceGitState?, gitProblem: String? = nil) {
        var files: [String: Data] = [:]
        let pipelineTree = "files/" + Self.relativePath(plan.file, workspaceRoot: workspaceRoot)
        files["pipeline.yaml"] = Data(plan.text.utf8)
        files[pipelineTree] = Data(plan.text.utf8)
        var recipeTrees: [String: String] = [:]
        for path in plan.recipes.keys.sorted() {
            let relative = Self.relativePath(path, workspaceRoot: workspaceRoot)
            var tree = "recipes/" + (relative.hasPrefix("recipes/") ? String(relative.dropFirst(8)) : relative)
            var suffix = 2
            while files[tree] != nil {
                tree = "recipes/\(relative)~\(suffix)"
                suffix += 1
            }
            files[tree] = Data(plan.recipes[path]!.utf8)
            recipeTrees[path] = tree
        }
        let sources: Value = .map([
            "pipeline": .map(["path": .string(plan.file), "tree": .string(pipelineTree)]),
            "recipes": .list(recipeTrees.keys.sorted().map { .map(["path": .string($0), "tree": .string(recipeTrees[$0]!)]) }),
        ])
        let records = Dictionary(run.steps.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var planValue: [String: Value] = [
            "pipeline": .string(plan.pipeline),
            "sources": sources,
            "steps": .list(plan.steps.map { Self.stepValue($0, record: records[$0.name]) }),
        ]
        if let description = plan.description { planValue["description"] = .string(description) }
        files["plan.json"] = Data((CanonicalJSON.encodePretty(.map(planValue)) + "\n").utf8)

        guard case .map(var runValue) = run.value else { preconditionFailure("a run record's value is a map") }
        runValue["workspace_git"] = Self.gitValue(gitState, problem: gitProblem)
        files["run.json"] = Data((CanonicalJSON.encodePretty(.map(runValue)) + "\n").utf8)
        self.files = files
    }

    /// One step of plan.json.
    static func stepValue(_ step: PlannedStep, record: StepRecord?) -> Value {
        var value: [String: Value] = [
            "name": .string(step.name),
            "kind": .string(step.kind),
            "kind_version": .int(step.kindVersion),
            "config": step.config,
            "dependencies": .list(step.dependencies.map { .string($0) }),
            "outputs": .map(Dictionary(step.outputs.map {
                ($0.name, Value.map(["path": .string($0.path), "shape": .string($0.shape.rawValue)]))
            }, uniquingKeysWith: { a, _ in a })),
            "cache": .bool(step.cache),
        ]
        var inputs: [String: Value] = [:]
        for (field, source) in InputSources.of(step) {
            var input: [String: Value]
            switch source {
            case .artifact(let a): input = ["step": .string(a.step), "output": .string(a.output)]
            case .path(let p): input = ["path": .string(p)]
            }
            if let digest = record?.components?.inputs[field] { input["digest"] = .string(digest.hex) }
            inputs[field] = .map(input)
        }
        value["inputs"] = .map(inputs)
        if let recipe = step.recipe { value["recipe"] = .string(recipe) }
        if !step.matrix.isEmpty {
            value["matrix"] = .map(Dictionary(step.matrix.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a }))
        }
        if let fingerprint = record?.fingerprint { value["fingerprint"] = .string(fingerprint.hex) }
        if let components = record?.components { value["components"] = components.value }
        return .map(value)
    }

    /// The workspace's git state as run.json holds it.
    static func gitValue(_ state: WorkspaceGitState?, problem: String?) -> Value {
        if let problem { return .map(["error": .string(problem)]) }
        guard let state else { return .null }
        let shownPaths = 100
        var value: [String: Value] = [
            "head": state.head.map { .string($0.hex) } ?? .null,
            "branch": state.branch.map { .string($0) } ?? .null,
            "dirty": .bool(state.isDirty),
            "changed_paths": .list(state.changedPaths.prefix(shownPaths).map { .string($0) }),
        ]
        if state.changedPaths.count > shownPaths { value["changed_paths_total"] = .int(state.changedPaths.count) }
        return .map(value)
    }

    /// `path` relative to the workspace when it lies inside it; otherwise as given,
    /// without a leading `/` and with `..` spelled `up`, so it is a valid path in a git tree.
    static func relativePath(_ path: String, workspaceRoot: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        let standard = (absolute as NSString).standardizingPath
        if standard.hasPrefix(workspaceRoot + "/") { return String(standard.dropFirst(workspaceRoot.count + 1)) }
        return path.split(separator: "/").filter { $0 != "." }.map { $0 == ".." ? "up" : String($0) }.joined(separator: "/")
    }
}

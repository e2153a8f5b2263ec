import AnnealSpec

/// Where an artifact or step of one run came from (upstream: the steps, inputs,
/// source files and recipes it was made from) or what was made from it
/// (downstream: every step and output derived from it), as a graph whose edges
/// point the way data flows: source → step, recipe → step, artifact → step,
/// step → artifact.
public struct LineageGraph: Sendable {
    /// Which way to follow the edges from the subject.
    public enum Direction: String, Sendable, CaseIterable {
        case upstream, downstream
    }

    /// A step, a step's output, a workspace source file or a recipe file.
    public struct Node: Sendable, Equatable {
        public enum Kind: String, Sendable {
            case step, artifact, source, recipe
        }

        /// Unique within the graph: `step:words`, `artifact:words.text`, `source:data/a.txt`, `recipe:recipes/x.yaml`.
        public var id: String
        public var kind: Kind
        /// The step name, `step.output`, or the file's path.
        public var label: String
        /// sha256 of an artifact or source file, git blob id of a recipe, fingerprint of a step.
        public var digest: String?
        /// `shell v1, ran`, `file, 162 B`: what a person wants to know next.
        public var detail: String
    }

    /// A data-flow edge; `label` is the input field or `output`/`recipe`.
    public struct Edge: Sendable, Equatable {
        public var from: String
        public var to: String
        public var label: String
    }

    /// The run the graph was read from.
    public let run: RecordedRun
    /// The step or artifact the graph starts from.
    public let subject: LineageSubject
    /// Which way it was followed.
    public let direction: Direction
    /// Nodes in the order they were reached from the subject.
    public private(set) var nodes: [Node] = []
    public private(set) var edges: [Edge] = []
    /// The git blob id of the pipeline file in the run's commit, when known.
    public let pipelineBlob: String?
    /// The id of the subject's node.
    public var rootID: String {
        switch subject {
        case .step(let name): return "step:\(name)"
        case .artifact(let a): return "artifact:\(a)"
        }
    }

    private var index: [String: Int] = [:]
    private var edgeKeys: Set<String> = []
    private let recipeBlobs: [String: String]

    /// Follows `direction` from `subject` in `run`; `recipeBlobs` gives the git blob
    /// id of each recipe file (by the path the plan names) in the run's commit, and
    /// `pipelineBlob` that of the pipeline file.
    public init(run: RecordedRun, subject: LineageSubject, direction: Direction, recipeBlobs: [String: String] = [:],
                pipelineBlob: String? = nil) {
        self.run = run
        self.pipelineBlob = pipelineBlob
        self.subject = subject
        self.direction = direction
        self.recipeBlobs = recipeBlobs
        switch (subject, direction) {
        case (.step(let name), .upstream): addUpstream(ofStep: name)
        case (.step(let name), .downstream): addDownstream(ofStep: name)
        case (.artifact(let a), .upstream):
            addArtifact(a, digest: run.output(a)?.digest)
            addUpstream(ofStep: a.step)
            addEdge(from: "step:\(a.step)", to: "artifact:\(a)", label: "output")
        case (.artifact(let a), .downstream): addDownstream(ofArtifact: a)
        }
    }

    /// The node with this id.
    public func node(_ id: String) -> Node? { index[id].map { nodes[$0] } }

    /// The nodes one step further from the subject than `id`, with the edge's label.
    public func next(after id: String) -> [(node: Node, label: String)] {
        switch direction {
        case .upstream: return edges.filter { $0.to == id }.compactMap { e in node(e.from).map { ($0, e.label) } }
        case .downstream: return edges.filter { $0.from == id }.compactMap { e in node(e.to).map { ($0, e.label) } }
        }
    }

    // MARK: Building

    private mutating func addUpstream(ofStep name: String) {
        guard index["step:\(name)"] == nil, let step = run.step(named: name) else { return }
        addStep(step)
        if let recipe = step.recipe {
            add(Node(id: "recipe:\(recipe)", kind: .recipe, label: recipe, digest: recipeBlobs[recipe], detail: "recipe"))
            addEdge(from: "recipe:\(recipe)", to: "step:\(name)", label: "recipe")
        }
        for input in step.inputs {
            switch input.source {
            case .artifact(let a):
                addArtifact(a, digest: input.digest ?? run.output(a)?.digest)
                addEdge(from: "artifact:\(a)", to: "step:\(name)", label: input.field)
                addUpstream(ofStep: a.step)
                addEdge(from: "step:\(a.step)", to: "artifact:\(a)", label: "output")
            case .path(let path):
                add(Node(id: "source:\(path)", kind: .source, label: path, digest: input.digest?.hex, detail: "source"))
                addEdge(from: "source:\(path)", to: "step:\(name)", label: input.field)
            }
        }
    }

    private mutating func addDownstream(ofStep name: String) {
        guard index["step:\(name)"] == nil, let step = run.step(named: name) else { return }
        addStep(step)
        for output in Set(step.declaredOutputs.keys).union(step.record.outputs.keys).sorted() {
            let artifact = ArtifactReference(step: name, output: output)
            addEdge(from: "step:\(name)", to: "artifact:\(artifact)", label: "output")
            addDownstream(ofArtifact: artifact)
        }
    }

    private mutating func addDownstream(ofArtifact artifact: ArtifactReference) {
        guard index["artifact:\(artifact)"] == nil else { return }
        addArtifact(artifact, digest: run.output(artifact)?.digest)
        for step in run.steps where step.reads(artifact) {
            for input in step.inputs where input.source == .artifact(artifact) {
                addEdge(from: "artifact:\(artifact)", to: "step:\(step.name)", label: input.field)
            }
            addDownstream(ofStep: step.name)
        }
    }

    private mutating func addStep(_ step: RecordedStep) {
        add(Node(id: "step:\(step.name)", kind: .step, label: step.name, digest: step.record.fingerprint?.hex,
                 detail: "\(step.kind) v\(step.kindVersion), \(step.record.outcome.rawValue)"))
    }

    private mutating func addArtifact(_ artifact: ArtifactReference, digest: Digest?) {
        let stored = run.output(artifact)
        let detail = stored.map { "\($0.shape == .directory ? "folder" : "file"), \(ProgressDisplay.bytes(Int($0.size)))" } ?? "not produced in this run"
        add(Node(id: "artifact:\(artifact)", kind: .artifact, label: artifact.description, digest: digest?.hex, detail: detail))
    }

    private mutating func add(_ node: Node) {
        guard index[node.id] == nil else { return }
        index[node.id] = nodes.count
        nodes.append(node)
    }

    private mutating func addEdge(from: String, to: String, label: String) {
        guard edgeKeys.insert("\(from)\u{0}\(to)\u{0}\(label)").inserted else { return }
        edges.append(Edge(from: from, to: to, label: label))
    }
}

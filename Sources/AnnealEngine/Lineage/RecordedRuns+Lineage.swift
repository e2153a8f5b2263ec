import AnnealLineage

extension RecordedRuns {
    /// The lineage graph of `subject` in `run`, with the git blob ids of the
    /// pipeline file and of every recipe as that run's commit holds them.
    public func lineage(of subject: LineageSubject, in run: RecordedRun,
                        direction: LineageGraph.Direction) throws -> LineageGraph {
        var recipes: [String: String] = [:]
        for recipe in run.recipes {
            if let data = try repository.readFile(commit: run.commit.id, path: recipe.tree) {
                recipes[recipe.path] = GitBlobID.of(data)
            }
        }
        let pipeline = try run.pipelineFile.flatMap { try repository.readFile(commit: run.commit.id, path: $0.tree) }.map(GitBlobID.of)
        return LineageGraph(run: run, subject: subject, direction: direction, recipeBlobs: recipes, pipelineBlob: pipeline)
    }
}

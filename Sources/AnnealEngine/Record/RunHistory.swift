import AnnealSpec
import Foundation

/// The run records kept in the workspace: `.anneal/runs/<pipeline>/<n>.json`.
public struct RunHistory: Sendable {
    public let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    public var pipelines: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "\(workspace.dot)/runs")) ?? []).sorted()
    }

    /// Run numbers of a pipeline, oldest first.
    public func numbers(_ pipeline: String) -> [Int] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "\(workspace.dot)/runs/\(pipeline)")) ?? [])
            .compactMap { $0.hasSuffix(".json") ? Int($0.dropLast(5)) : nil }.sorted()
    }

    public func load(_ pipeline: String, _ number: Int) -> Value? {
        guard let text = try? String(contentsOfFile: "\(workspace.dot)/runs/\(pipeline)/\(number).json", encoding: .utf8) else { return nil }
        return try? JSONReader.parse(text)
    }

    public func remove(_ pipeline: String, _ number: Int) {
        unlink("\(workspace.dot)/runs/\(pipeline)/\(number).json")
    }
}

import AnnealEngine
import AnnealSpec
import Foundation

/// The step of `anneal run` that records the finished run in the lineage
/// repository. A run whose outputs are safely stored is not failed because git
/// could not record it: the problem is reported as a warning instead.
enum RunLineageRecording {
    /// Records `record` and returns the commit's short id; nil (after a warning) when it could not be recorded.
    static func record(_ record: RunRecord, plan: Plan, workspace: Workspace) -> String? {
        do {
            return try LineageRecorder(workspace: workspace).record(record, plan: plan).abbreviated()
        } catch {
            DiagnosticPrinter.write("warning: \(record.id) ran but is not in the lineage history (\(workspace.lineagePath)): \(error)\n"
                                    + "  its outputs and cache entries are kept; check that the folder is writable and `git fsck` finds it sound\n")
            return nil
        }
    }
}

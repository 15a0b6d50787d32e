import EKSInput
import EKSModel
import EKSReport

/// `ekscost diff OLD NEW`: what changed between two estimate reports, and why.
package enum DiffJob {
    package enum Format: String, CaseIterable, Sendable {
        case markdown = "md", csv
    }

    package static func run(old oldPath: String, new newPath: String, format: Format) -> CommandResult {
        let (old, oldProblems) = EstimateCSVFile.read(path: oldPath)
        let (new, newProblems) = EstimateCSVFile.read(path: newPath)
        guard let old, let new else { return .stopped(by: oldProblems + newProblems, "nothing compared") }
        let diff = ReportDiff.compare(old, new)
        var result = CommandResult()
        switch format {
        case .markdown: result.stdout = DiffMarkdown.text(diff)
        case .csv: result.stdout = String(decoding: DiffCSV.format(diff), as: UTF8.self)
        }
        return result
    }
}

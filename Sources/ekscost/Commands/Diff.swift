import ArgumentParser
import EKSCost

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show what changed between two estimate reports, and why: price or usage.",
        discussion: """
            OLD and NEW are estimate.csv files or the report folders that hold them. Lines are matched \
            by cluster, component, node group and resource. Each changed line's change is split into \
            a price effect (its old quantity and hours at the new price, minus its old cost) and a \
            usage effect (the rest: quantity and hours); lines only in one report are added or \
            removed. The parts add up to the change of the total to the cent. The result goes to \
            stdout; nothing is written.

            Examples:
              ekscost diff Reports.yesterday/web-shop Reports/web-shop
              ekscost diff Reports/eks-workshop-2019 Reports/eks-workshop-today
              ekscost diff old/estimate.csv new/estimate.csv --format csv > changes.csv
            """)

    @Option(name: .long, help: ArgumentHelp("md or csv.", valueName: "format"))
    var format: String = "md"

    @Argument(help: ArgumentHelp("The earlier report: its folder or its estimate.csv.", valueName: "old"))
    var old: String

    @Argument(help: ArgumentHelp("The later report: its folder or its estimate.csv.", valueName: "new"))
    var new: String

    func validate() throws {
        guard DiffJob.Format(rawValue: format == "markdown" ? "md" : format) != nil else {
            throw ValidationError("--format takes md or csv, found '\(format)'")
        }
    }

    func run() throws {
        try finish(
            DiffJob.run(old: old, new: new, format: DiffJob.Format(rawValue: format == "markdown" ? "md" : format)!))
    }
}

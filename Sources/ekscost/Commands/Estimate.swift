import ArgumentParser
import EKSCost
import EKSModel
import EKSReport
import Foundation

struct Estimate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Price each scenario for a month and write its reports.",
        discussion: """
            Writes OUT/<scenario>/estimate.csv and estimate.md (OUT/<scenario>/<yyyy-mm>/ with --month) \
            atomically, and prints a Markdown summary on stdout. If any input has a problem, every \
            problem is reported as file:line:column and nothing is written.

            Examples:
              ekscost estimate Examples/eks-workshop-2019.yaml
              ekscost estimate Examples/*.yaml --out /srv/reports --format csv,md,json
              ekscost estimate cluster.yaml --month 2026-12 --budget 500 --quiet
              ekscost estimate --eksctl cluster.yaml --manifests k8s/
            """)

    @OptionGroup var scenario: ScenarioOptions

    @Option(name: .long, help: ArgumentHelp("Folder the reports go into.", valueName: "dir"))
    var out = "Reports"

    @Option(name: .long, help: ArgumentHelp("Report formats, comma-separated: csv, md, json.", valueName: "list"))
    var format = "csv,md"

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Exit with status 3 when a scenario's monthly total is above this many USD.", valueName: "usd"))
    var budget: String?

    @OptionGroup var output: QuietOptions

    @Argument(help: ArgumentHelp("Scenario YAML files (none with --eksctl).", valueName: "scenario"))
    var scenarios: [String] = []

    func validate() throws {
        try scenario.checkInputs(scenarios, command: "estimate")
        _ = try formats()
        if let budget, DecimalText.parse(budget).map({ $0 >= 0 }) != true {
            throw ValidationError("--budget must be a number of USD such as 500 or 1250.50, found '\(budget)'")
        }
    }

    func formats() throws -> [ReportFormat] {
        // `--format ""` or `csv,` would write fewer reports than asked for: an error, not nothing.
        try format.split(separator: ",", omittingEmptySubsequences: false).map { name in
            guard let format = ReportFormat(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("--format takes csv, md and json, comma-separated; '\(name)' is not one of them")
            }
            return format
        }
    }

    func run() async throws {
        var options = RunOptions()
        scenario.apply(to: &options)
        options.outDirectory = out
        options.formats = try formats()
        options.budget = budget.flatMap(DecimalText.parse)
        options.quiet = output.quiet
        try finish(
            await EstimateJob.run(scenarios: options.scenarioInputs(scenarios), options: options),
            errorsOnly: output.errorsOnly)
    }
}

struct Validate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check scenarios without writing anything: every problem in every file, at once.",
        discussion: """
            Checks the YAML, instance types, the price snapshot and that every price the estimate needs \
            is there. Prints '<file>: ok' for each good scenario; problems go to stderr as \
            file:line:column: error: message, and the exit status is 1.

            Examples:
              ekscost validate Examples/eks-workshop-2019.yaml
              ekscost validate clusters/*.yaml --pricing aws-2026-11
              ekscost validate --eksctl cluster.yaml --manifests k8s/
            """)

    @OptionGroup var scenario: ScenarioOptions

    @Argument(help: ArgumentHelp("Scenario YAML files (none with --eksctl).", valueName: "scenario"))
    var scenarios: [String] = []

    func validate() throws {
        try scenario.checkInputs(scenarios, command: "validate")
    }

    func run() async throws {
        var options = RunOptions()
        scenario.apply(to: &options)
        try finish(await ValidateJob.run(scenarios: options.scenarioInputs(scenarios), options: options))
    }
}

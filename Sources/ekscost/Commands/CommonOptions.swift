import ArgumentParser
import EKSCost
import EKSModel
import EKSReport
import Foundation

/// `--quiet` and `--warnings`: what a command run from cron prints.
struct QuietOptions: ParsableArguments {
    @Flag(
        name: .long,
        help:
            "Print nothing but errors: no results on stdout, no progress, no notes or warnings on stderr (estimate puts them in its report; see --warnings)."
    )
    var quiet = false

    @Flag(
        name: .long,
        help:
            "With --quiet, still print warnings and notes on stderr. Example: ekscost estimate cluster.yaml --quiet --warnings"
    )
    var warnings = false

    /// Whether notes and warnings are left off stderr.
    var errorsOnly: Bool { quiet && !warnings }
}

/// Options every scenario command takes.
struct ScenarioOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Price snapshot id, snapshot file, or Pricing folder to use instead of the scenario's.",
            valueName: "snapshot|dir"))
    var pricing: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Hours in a month (default 730, AWS's convention; the scenario's own value if it sets one).", valueName: "n"
        ))
    var hoursPerMonth: String?

    @Option(name: .long, help: ArgumentHelp("Price a calendar month: its days × 24 hours.", valueName: "yyyy-mm"))
    var month: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The day anything date-dependent (extended support) is decided for (default: the scenario's asOf, else today, UTC).",
            valueName: "yyyy-mm-dd"))
    var asOf: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Read the cluster from this eksctl ClusterConfig instead of a scenario file (default snapshot, 730-hour month).",
            valueName: "file"))
    var eksctl: String?

    @Option(
        name: .long, parsing: .upToNextOption,
        help: ArgumentHelp(
            "Kubernetes manifest files or folders (read recursively) whose workloads run in the --eksctl cluster.",
            valueName: "path"))
    var manifests: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Price the scenario or eksctl file as if it stood in this region (said in the report), such as us-east-1.",
            valueName: "region"))
    var region: String?

    func validate() throws {
        if hoursPerMonth != nil && month != nil {
            throw ValidationError("give either --hours-per-month or --month, not both")
        }
        if let hoursPerMonth, DecimalText.parse(hoursPerMonth).map({ $0 > 0 && $0 <= 744 }) != true {
            throw ValidationError(
                "--hours-per-month must be a number of hours from 1 to 744, such as 730, found '\(hoursPerMonth)'")
        }
        if let month, CalendarMonth(month) == nil {
            throw ValidationError("--month must be written YYYY-MM, such as 2026-11, found '\(month)'")
        }
        if let asOf, CalendarDate(asOf) == nil {
            throw ValidationError("--as-of must be a date written YYYY-MM-DD, found '\(asOf)'")
        }
        if let region, !RegionCode.isValid(region) {
            throw ValidationError("--region takes an AWS region code such as us-east-1, found '\(region)'")
        }
    }

    /// Either scenario files or `--eksctl` / `--manifests`.
    func checkInputs(_ scenarios: [String], command: String) throws {
        let sources = eksctl != nil || !manifests.isEmpty
        if scenarios.isEmpty && !sources {
            throw ValidationError(
                "name a scenario file, such as Examples/eks-workshop-2019.yaml, or an eksctl file and manifests: ekscost \(command) --eksctl cluster.yaml --manifests k8s/"
            )
        }
        if !scenarios.isEmpty && sources {
            throw ValidationError(
                "give scenario files or --eksctl/--manifests, not both; a scenario names its eksctl file and manifests in spec.sources"
            )
        }
        if !manifests.isEmpty && eksctl == nil {
            throw ValidationError(
                "--manifests needs --eksctl (the cluster's region and node groups), or a scenario whose spec.sources names the manifests"
            )
        }
    }

    func apply(to options: inout RunOptions) {
        options.eksctl = eksctl
        options.manifests = manifests
        options.pricing = pricing
        options.hoursPerMonth = hoursPerMonth.flatMap(DecimalText.parse)
        options.month = month.flatMap(CalendarMonth.init)
        options.asOf = asOf.flatMap(CalendarDate.init)
        options.region = region
    }
}

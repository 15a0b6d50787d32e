import ArgumentParser
import EKSCost
import EKSModel
import Foundation

struct Compare: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Price the same workloads on EC2 on-demand, spot, the cheapest family and Fargate, ranked.",
        discussion: """
            Strategies: as written (node groups and Fargate profiles); every workload on the node \
            groups on-demand; the same on spot (the snapshot's observed Spot prices, or on-demand less \
            --spot-discount); every node group on the cheapest instance family the snapshot prices \
            (Graviton only where every workload lists arm64 in imageArchitectures); and everything \
            Fargate can run on Fargate. Each is ranked by monthly cost, with each workload's share \
            and, per workload, the replica count at which Fargate and EC2 cost the same. Writes \
            OUT/<scenario>/compare.csv and compare.md; the Markdown also goes to stdout.

            Examples:
              ekscost compare Examples/fargate-mix.yaml
              ekscost compare Examples/web-shop.yaml --spot-discount 0.6 --out /tmp/compare
              ekscost compare --eksctl cluster.yaml --manifests k8s/
            """)

    @OptionGroup var scenario: ScenarioOptions

    @Option(name: .long, help: ArgumentHelp("Folder compare.csv and compare.md go into.", valueName: "dir"))
    var out = "Reports"

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Assume Spot is this fraction off on-demand (0.6 = 60 % off) where the snapshot has no Spot price.",
            valueName: "fraction"))
    var spotDiscount: String?

    @OptionGroup var output: QuietOptions

    @Argument(help: ArgumentHelp("Scenario YAML file (none with --eksctl).", valueName: "scenario"))
    var file: String?

    func validate() throws {
        try scenario.checkInputs(file.map { [$0] } ?? [], command: "compare")
        if let spotDiscount, DecimalText.parse(spotDiscount).map({ $0 > 0 && $0 < 1 }) != true {
            throw ValidationError(
                "--spot-discount must be a fraction between 0 and 1, such as 0.6 for 60 % off, found '\(spotDiscount)'")
        }
    }

    func run() async throws {
        var options = RunOptions()
        scenario.apply(to: &options)
        options.outDirectory = out
        options.quiet = output.quiet
        try finish(
            await CompareJob.run(
                scenario: options.scenarioInputs(file.map { [$0] } ?? [])[0], options: options,
                compare: CompareOptions(spotDiscount: spotDiscount.flatMap(DecimalText.parse))),
            errorsOnly: output.errorsOnly)
    }
}

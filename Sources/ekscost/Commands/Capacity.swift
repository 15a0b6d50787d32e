import ArgumentParser
import EKSCost

struct Capacity: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Place each scenario's pods on nodes; print nodes, pods, allocatable and subnet use.",
        discussion: """
            Pods go on nodes as EKS's autoscalers would place them: first-fit decreasing as the Cluster \
            Autoscaler estimates (pods by CPU/allocatable + memory/allocatable), the least-waste group \
            first; a managed or self-managed group with several instance types is sized from its first \
            type, a Karpenter or Auto Mode group launches the cheapest type that fits. GPUs and other \
            extended resources are capacity, and pods binding the same host port never share a node. \
            Max pods come from the VPC CNI rules, allocatable from the EKS AMI, minus DaemonSets. \
            Writes OUT/<scenario>/capacity.csv. Pods that fit nowhere are listed with the reason, and \
            the exit status is then 2.

            Examples:
              ekscost capacity Examples/web-shop.yaml
              ekscost capacity Examples/web-shop.yaml --out /tmp/plans --quiet
              ekscost capacity --eksctl cluster.yaml --manifests k8s/
            """)

    @OptionGroup var scenario: ScenarioOptions

    @Option(name: .long, help: ArgumentHelp("Folder capacity.csv goes into.", valueName: "dir"))
    var out = "Reports"

    @OptionGroup var output: QuietOptions

    @Argument(help: ArgumentHelp("Scenario YAML files (none with --eksctl).", valueName: "scenario"))
    var scenarios: [String] = []

    func validate() throws {
        try scenario.checkInputs(scenarios, command: "capacity")
    }

    func run() throws {
        var options = RunOptions()
        scenario.apply(to: &options)
        options.outDirectory = out
        options.quiet = output.quiet
        try finish(
            CapacityJob.run(scenarios: options.scenarioInputs(scenarios), options: options),
            errorsOnly: output.errorsOnly)
    }
}

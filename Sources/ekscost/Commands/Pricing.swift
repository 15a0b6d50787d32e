import ArgumentParser
import EKSCost

struct Pricing: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Price snapshots: list them.",
        subcommands: [List.self],
        defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the price snapshots with their date, regions and sources.",
            discussion: """
            The default snapshot, used when a scenario names none, is marked with '*'.

            Examples:
              ekscost pricing list
              ekscost pricing list --sources --pricing /srv/ekscost/Pricing
            """)

        @Option(name: .long, help: ArgumentHelp("Pricing folder.", valueName: "dir"))
        var pricing: String?

        @Flag(name: .long, help: "Also list every snapshot's sources.")
        var sources = false

        func run() throws {
            try finish(PricingListJob.run(pricing: pricing, showSources: sources))
        }
    }
}

import ArgumentParser
import EKSCost
import EKSModel
import Foundation

@main
struct EKSCostCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ekscost",
        abstract: "Estimate what an Amazon EKS setup costs per month and how much capacity it needs.",
        discussion: """
            Works offline from the price snapshots and instance catalog in Pricing/.

            Examples:
              ekscost estimate Examples/eks-workshop-2019.yaml
              ekscost instances m5.large t3.medium --format csv
              ekscost pricing list

            Exit status: 0 done; 1 input errors (nothing written); 2 some pods fit on no node; 3 over --budget;
            64 bad command line;
            74 reports could not be written.
            """,
        subcommands: [
            Estimate.self, Capacity.self, Compare.self, Validate.self, Diff.self, Instances.self, Pricing.self,
        ])

    // Not CommandConfiguration's `version:`, a fixed text: the default snapshot is found at run time.
    @Flag(
        name: .long, help: "Show the version and the default price snapshot's id and date (example: ekscost --version)."
    )
    var version = false

    func run() throws {
        guard version else { throw CleanExit.helpRequest(self) }
        try finish(VersionJob.run())
    }
}

/// Prints a command's results and ends with its exit status. `errorsOnly` (`--quiet` without
/// `--warnings`) leaves notes and warnings off stderr: a cron job prints nothing unless
/// something failed.
func finish(_ result: CommandResult, errorsOnly: Bool = false) throws {
    if !result.stdout.isEmpty { print(result.stdout, terminator: "") }
    var shown = result
    if errorsOnly { shown.diagnostics = result.diagnostics.errors }
    for line in shown.stderrLines { printError(line) }
    if result.status != .success { throw ExitCode(result.status.rawValue) }
}

func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

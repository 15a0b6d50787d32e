import ArgumentParser
import EKSCost
import EKSModel
import Foundation

struct Pricing: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Price snapshots: list them, or import AWS Price List offer files into a new one.",
        subcommands: [List.self, Import.self],
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

        @Flag(name: .long, help: "Also list every snapshot's regions and sources.")
        var sources = false

        func run() throws {
            try finish(PricingListJob.run(pricing: pricing, showSources: sources))
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Turn AWS Price List offer files (CSV) into a price snapshot under Pricing/.",
            discussion: """
            Reads AmazonEC2, AmazonEKS, AmazonECS and AmazonVPC offer files (index.csv, all regions \
            or one), finds their columns by name and takes: EC2 On-Demand Linux list prices per \
            instance type (Shared tenancy, no pre-installed software, capacity status Used), the \
            twelve Reserved terms of the same products (hourly rate and upfront fee), EBS volume \
            prices, NAT gateway prices, the EKS cluster fee and extended-support surcharge, Fargate \
            vCPU-hour, GB-hour and ephemeral storage, and the public IPv4 address hour. It prints \
            what it found per region and file and what it skipped and why.

            The snapshot is written atomically, only once every file has been read without a \
            problem: a truncated, corrupt or wrong file is reported as file:line: error: record N: \
            reason, and no snapshot is written or changed.

            An EC2 file alone has no EKS or VPC prices: start from a snapshot that has them with \
            --base, so that 'ekscost estimate' finds every price it needs. AWS publishes the files \
            under https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/<OfferCode>/current/ \
            (index.csv for all regions, <region>/index.csv for one).

            Examples:
              ekscost pricing import index.csv --snapshot ec2-use1 --base aws-2026-11
              ekscost pricing import AmazonEC2.csv AmazonEKS.csv AmazonVPC.csv \\
                  --snapshot aws-2026-12 --region us-east-1 eu-west-1 --make-default
            """)

        @Option(name: .long, help: ArgumentHelp("Id of the snapshot to write: Pricing/<snapshot>.csv.", valueName: "snapshot"))
        var snapshot: String

        @Option(name: .long, parsing: .upToNextOption,
                help: ArgumentHelp("Only these regions (default: every region in the files).", valueName: "region"))
        var region: [String] = []

        @Option(name: .long, help: ArgumentHelp("Start from this snapshot's rows (id or file); imported prices replace or add to them.", valueName: "snapshot"))
        var base: String?

        @Option(name: .long, help: ArgumentHelp("Pricing folder to write into (default: the one ekscost finds).", valueName: "dir"))
        var pricing: String?

        @Option(name: .long, help: ArgumentHelp("The snapshot's date (default: the files' latest publication day).", valueName: "yyyy-mm-dd"))
        var date: String?

        @Flag(name: .long, help: "Make the new snapshot the default one (Pricing/default-snapshot).")
        var makeDefault = false

        @Flag(name: .long, help: "Overwrite a snapshot of the same id.")
        var replace = false

        @Option(name: .long, help: ArgumentHelp("Threads reading each file (default: one per core).", valueName: "n"))
        var threads: Int?

        @Flag(name: .long, help: "Print nothing on stdout and no progress bar; errors still go to stderr.")
        var quiet = false

        @Argument(help: ArgumentHelp("Offer files (CSV).", valueName: "file"))
        var files: [String] = []

        func regions() -> [String] {
            region.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }.filter { !$0.isEmpty }
        }

        func validate() throws {
            if files.isEmpty { throw ValidationError("name at least one offer file, such as AmazonEC2's index.csv") }
            for name in regions() {
                let parts = name.split(separator: "-")
                guard parts.count >= 3, Int(parts.last!) != nil, name == name.lowercased() else {
                    throw ValidationError("--region takes region codes such as us-east-1, found '\(name)' (put the files before --region)")
                }
            }
            if let date, CalendarDate(date) == nil {
                throw ValidationError("--date must be a date written YYYY-MM-DD, found '\(date)'")
            }
            if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        }

        func run() throws {
            var settings = PricingImportJob.Settings()
            settings.files = files
            settings.snapshot = snapshot
            settings.regions = regions()
            settings.base = base
            settings.pricing = pricing
            settings.date = date.flatMap(CalendarDate.init)
            settings.makeDefault = makeDefault
            settings.replace = replace
            settings.workers = threads
            settings.quiet = quiet
            let bar = !quiet && isatty(2) != 0 ? TerminalProgress() : nil
            try finish(PricingImportJob.run(settings, progress: bar.map { bar in { bar.update(file: $0, done: $1, total: $2) } }))
        }
    }
}

/// Draws `ProgressLine` on stderr, in place, when stderr is a terminal.
final class TerminalProgress {
    private var file = ""
    private var started = Date()

    func update(file: String, done: Int, total: Int) {
        if file != self.file {
            self.file = file
            started = Date()
        }
        if done >= total {
            printErrorRaw("\r\u{1B}[K")
            self.file = ""
            return
        }
        var size = winsize()
        let width = ioctl(2, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 20 ? Int(size.ws_col) - 1 : 79
        let line = ProgressLine.render(file: file, done: done, total: total, seconds: Date().timeIntervalSince(started), width: width)
        printErrorRaw("\r" + line + "\u{1B}[K")
    }
}

func printErrorRaw(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
}

import ArgumentParser
import EKSCost
import EKSModel
import Foundation

struct Pricing: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Price snapshots: list them, fetch AWS's current prices, or import offer files into a new one.",
        subcommands: [List.self, Fetch.self, Import.self],
        defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the price snapshots with their date, regions, offers, prices and sources.",
            discussion: """
                Lists the snapshots of the user's pricing folder (fetched and imported ones: \
                $EKSCOST_PRICING_DIR, else $XDG_DATA_HOME/ekscost/Pricing, else \
                ~/.local/share/ekscost/Pricing) and of the bundled Pricing/ folder. A scenario that names \
                no snapshot uses the newest that covers its region; the default snapshot is marked with '*'.

                Examples:
                  ekscost pricing list
                  ekscost pricing list --sources --pricing /srv/ekscost/Pricing
                """)

        @Option(
            name: .long,
            help: ArgumentHelp("Pricing folder (instead of the user's and the bundled one).", valueName: "dir"))
        var pricing: String?

        @Flag(name: .long, help: "Also list every snapshot's regions and sources.")
        var sources = false

        func run() throws {
            try finish(PricingListJob.run(pricing: pricing, showSources: sources))
        }
    }

    struct Fetch: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download AWS's current Price List files for some regions into a new snapshot.",
            discussion: """
                Reads AWS's public Price List (no account, no credentials): the offer index at \
                <endpoint>/offers/v1.0/aws/index.json, each offer's region index, and per region the \
                current CSV file of AmazonEC2, AmazonEKS, AmazonVPC, AWSELB and AmazonECS. Each file is \
                spooled to a temporary file in the pricing folder, read as 'pricing import' reads it, \
                and removed. The prices of all the regions go into one new snapshot, \
                aws-<today>, written atomically into the user's pricing folder ($EKSCOST_PRICING_DIR, \
                else $XDG_DATA_HOME/ekscost/Pricing, else ~/.local/share/ekscost/Pricing). A scenario \
                that names no snapshot then uses the newest that covers its region.

                A region whose files AWS has not changed since an earlier fetch is not downloaded \
                again. Any failure (offline, a region AWS does not publish, a download cut short, a \
                corrupt file) stops the command with the URL and what to do, and writes nothing. \
                HTTPS_PROXY, https_proxy and NO_PROXY are honoured. One region's AmazonEC2 file is \
                several hundred MB; the others are small.

                The Price List has no Spot prices. Each fetch that writes a snapshot also reads the \
                data of AWS's EC2 Spot pricing page (--spot-url; a few MB for all regions) and stores \
                its current Linux and Windows Spot prices as observed prices (term spot, the page and \
                the time in their source). If that file cannot be had, the fetch says so and goes on \
                without Spot prices.

                Examples:
                  ekscost pricing fetch eu-west-1
                  ekscost pricing fetch --for cluster.yaml Examples/web-shop.yaml
                  ekscost pricing fetch us-west-2 --endpoint http://127.0.0.1:8080 --quiet
                  ekscost pricing fetch --for cluster.yaml --quiet --warnings   # from cron: errors and warnings only
                  ekscost pricing fetch eu-west-1 --spot-url https://website.spot.ec2.aws.a2z.com/spot.js
                """)

        @Argument(
            help: ArgumentHelp(
                "Region codes (default: those of --for files, else the default snapshot's).", valueName: "region"))
        var regions: [String] = []

        @Option(
            name: .customLong("for"), parsing: .upToNextOption,
            help: ArgumentHelp("Scenario or eksctl files whose regions to fetch.", valueName: "file"))
        var forFiles: [String] = []

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Where the Price List is served (a mirror or proxy; default https://pricing.us-east-1.amazonaws.com).",
                valueName: "url"))
        var endpoint: String?

        @Option(
            name: .customLong("spot-url"),
            help: ArgumentHelp(
                "The Spot pricing page's data (default https://website.spot.ec2.aws.a2z.com/spot.js, or <endpoint>/spot.js with --endpoint).",
                valueName: "url"))
        var spotURL: String?

        @Option(
            name: .long,
            help: ArgumentHelp("Pricing folder to write into (default: the user's pricing folder).", valueName: "dir"))
        var pricing: String?

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Seconds without a byte before a download is given up (default 20).", valueName: "seconds"))
        var timeout: Int?

        @OptionGroup var output: QuietOptions

        func validate() throws {
            if let timeout, timeout < 1 { throw ValidationError("--timeout must be at least 1 second") }
        }

        func run() throws {
            var settings = PricingFetchJob.Settings()
            settings.regions = regions.flatMap { $0.split(separator: ",").map(String.init) }
            settings.forFiles = forFiles
            if let endpoint { settings.endpoint = endpoint }
            settings.spotURL = spotURL
            settings.pricing = pricing
            settings.quiet = output.quiet
            if let timeout { settings.timeout = TimeInterval(timeout) }
            let bar = !output.quiet && isatty(2) != 0 ? TerminalProgress() : nil
            try finish(
                PricingFetchJob.run(
                    settings, progress: bar.map { bar in { bar.update(file: $0, done: $1, total: $2) } }),
                errorsOnly: output.errorsOnly)
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Turn AWS Price List offer files (CSV) into a price snapshot under Pricing/.",
            discussion: """
                Reads AmazonEC2, AmazonEKS, AmazonECS, AmazonVPC and AWSELB offer files (index.csv, all \
                regions or one), finds their columns by name and takes: EC2 On-Demand Linux and Windows \
                (License Included) list prices per instance type (Shared tenancy, no pre-installed \
                software, capacity status Used), the twelve Reserved terms of the Linux products (hourly \
                rate and upfront fee), EBS volume, IOPS and throughput prices, NAT gateway prices, the \
                EKS cluster fee, extended-support surcharge, provisioned control plane tiers and Auto \
                Mode fees, Fargate vCPU-hour, GB-hour and ephemeral storage, the public IPv4 address \
                hour, and load balancer hours and capacity units. It prints what it found per region \
                and file and what it skipped and why. The snapshot goes to the user's pricing folder \
                (see 'ekscost pricing list --help') unless --pricing names another.

                The snapshot is written atomically, only once every file has been read without a \
                problem: a truncated, corrupt or wrong file is reported as file:line: error: record N: \
                reason, and no snapshot is written or changed.

                Savings Plans price lists (AWSComputeSavingsPlan's index.csv, one per region, under \
                https://pricing.us-east-1.amazonaws.com/savingsPlan/v1.0/aws/AWSComputeSavingsPlan/current/region_index.json) \
                are read too: the Compute and EC2 Instance Savings Plans rates of EC2 instances (Linux, \
                Windows, shared tenancy) and Fargate vCPU and memory, for every term and payment, which \
                spec.commitments and the commitment recommendation need. 'ekscost pricing fetch' gets them \
                with the other files.

                An EC2 file alone has no EKS or VPC prices: start from a snapshot that has them with \
                --base, so that 'ekscost estimate' finds every price it needs. AWS publishes the files \
                under https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/<OfferCode>/current/ \
                (index.csv for all regions, <region>/index.csv for one).

                Examples:
                  ekscost pricing import index.csv --snapshot ec2-use1 --base aws-2026-11
                  ekscost pricing import AWSComputeSavingsPlan-us-east-1.csv --snapshot sp-use1 --base aws-2026-11
                  ekscost pricing import AmazonEC2.csv AmazonEKS.csv AmazonVPC.csv \\
                      --snapshot aws-2026-12 --region us-east-1 eu-west-1 --make-default
                """)

        @Option(
            name: .long,
            help: ArgumentHelp("Id of the snapshot to write: Pricing/<snapshot>.csv.", valueName: "snapshot"))
        var snapshot: String

        @Option(
            name: .long, parsing: .upToNextOption,
            help: ArgumentHelp("Only these regions (default: every region in the files).", valueName: "region"))
        var region: [String] = []

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Start from this snapshot's rows (id or file); imported prices replace or add to them.",
                valueName: "snapshot"))
        var base: String?

        @Option(
            name: .long,
            help: ArgumentHelp("Pricing folder to write into (default: the user's pricing folder).", valueName: "dir"))
        var pricing: String?

        @Option(
            name: .long,
            help: ArgumentHelp(
                "The snapshot's date (default: the files' latest publication day).", valueName: "yyyy-mm-dd"))
        var date: String?

        @Flag(name: .long, help: "Make the new snapshot the default one (Pricing/default-snapshot).")
        var makeDefault = false

        @Flag(name: .long, help: "Overwrite a snapshot of the same id.")
        var replace = false

        @Option(name: .long, help: ArgumentHelp("Threads reading each file (default: one per core).", valueName: "n"))
        var threads: Int?

        @OptionGroup var output: QuietOptions

        @Argument(help: ArgumentHelp("Offer files (CSV).", valueName: "file"))
        var files: [String] = []

        func regions() -> [String] {
            region.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }.filter {
                !$0.isEmpty
            }
        }

        func validate() throws {
            if files.isEmpty { throw ValidationError("name at least one offer file, such as AmazonEC2's index.csv") }
            for name in regions() {
                guard RegionCode.isValid(name) else {
                    throw ValidationError(
                        "--region takes region codes such as us-east-1, found '\(name)' (put the files before --region)"
                    )
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
            settings.quiet = output.quiet
            let bar = !output.quiet && isatty(2) != 0 ? TerminalProgress() : nil
            try finish(
                PricingImportJob.run(
                    settings, progress: bar.map { bar in { bar.update(file: $0, done: $1, total: $2) } }),
                errorsOnly: output.errorsOnly)
        }
    }
}

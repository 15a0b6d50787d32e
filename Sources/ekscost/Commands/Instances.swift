import ArgumentParser
import EKSCost
import EKSModel
import Foundation

struct Instances: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Instance facts: vCPU, memory, ENIs, max pods and allocatable; or rebuild the catalog.",
        subcommands: [Show.self, Import.self],
        defaultSubcommand: Show.self)

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract:
                "Show instance types (the default: 'ekscost instances m5.large' is 'ekscost instances show m5.large').",
            discussion: """
                max_pods is the VPC CNI's secondary-IP count, ENIs × (IPv4 per ENI − 1) + 2; max_pods_prefix \
                the prefix-delegation count (Nitro only), ENIs × (IPv4 per ENI − 1) × 16 + 2; the \
                *_recommended columns cap them at 110 (≤ 30 vCPU) or 250 as EKS recommends. Allocatable \
                follows the EKS AMI: kube-reserved CPU by range, 11 × maxPods + 255 MiB, 100 MiB eviction \
                threshold, and a memory overhead of 7.5 % for what the kubelet does not see.

                Examples:
                  ekscost instances m5.large t3.medium
                  ekscost instances 'm5.*' --format csv
                  ekscost instances m5.large --prefix-delegation --max-pods-cap recommended
                """)

        @Option(name: .long, help: "Output: table or csv.")
        var format: InstancesJob.Format = .table

        @Flag(name: .long, help: "Compute node_max_pods and allocatable with VPC CNI prefix delegation.")
        var prefixDelegation = false

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Cap on pods per node: none (the bootstrap default), recommended (110 / 250) or a number.",
                valueName: "cap"))
        var maxPodsCap = "none"

        @Option(
            name: .long,
            help: ArgumentHelp("Share of memory the kubelet does not see (default 0.075).", valueName: "fraction"))
        var memoryOverhead = "0.075"

        @Option(name: .long, help: ArgumentHelp("Pricing folder holding instance-types.csv.", valueName: "dir"))
        var pricing: String?

        @Argument(help: ArgumentHelp("Instance types; '*' matches any text ('m5.*'). None: all.", valueName: "type"))
        var types: [String] = []

        func validate() throws {
            _ = try cap()
            guard let overhead = DecimalText.parse(memoryOverhead), overhead >= 0, overhead < 1 else {
                throw ValidationError("--memory-overhead must be a fraction from 0 to below 1, such as 0.075")
            }
        }

        func cap() throws -> MaxPodsCap {
            switch maxPodsCap {
            case "none": return .none
            case "recommended": return .recommended
            default:
                guard let value = Int(maxPodsCap), value > 0 else {
                    throw ValidationError(
                        "--max-pods-cap takes none, recommended or a number of pods, found '\(maxPodsCap)'")
                }
                return .fixed(value)
            }
        }

        func run() throws {
            var settings = InstancesJob.Settings()
            settings.pricing = pricing
            settings.format = format
            settings.mode = prefixDelegation ? .prefixDelegation : .secondaryIP
            settings.cap = try cap()
            settings.memoryOverhead = DecimalText.parse(memoryOverhead)!
            try finish(InstancesJob.run(patterns: types, settings: settings))
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rebuild Pricing/instance-types.csv from describe-instance-types output.",
            discussion: """
                Reads 'aws ec2 describe-instance-types' JSON ({"InstanceTypes": [...]}, one page or several) \
                and moto's keyed copy of the same data (instance_types.json.gz), gzipped or not. A type \
                in a later file replaces the same type from an earlier one. With --merge the catalog \
                already there is kept and the files' types are added to it (or replace the same types), \
                each row keeping its own source. The file is replaced atomically.

                Examples:
                  aws ec2 describe-instance-types --output json > types.json
                  ekscost instances import types.json --source "aws ec2 describe-instance-types, us-east-1, 2026-11-23"
                  ekscost instances import "$(python3 -c 'import moto,os;print(os.path.dirname(moto.__file__))')/ec2/resources/instance_types.json.gz" --source "moto 5.2.1"
                  ekscost instances import p3.json --merge --source "aws ec2 describe-instance-types --instance-types p3.8xlarge"
                """)

        @Option(name: .long, help: ArgumentHelp("Where the data comes from, written on every row.", valueName: "text"))
        var source: String?

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Catalog file to write (default: instance-types.csv in the Pricing folder).", valueName: "file"))
        var output: String?

        @Option(name: .long, help: ArgumentHelp("Pricing folder.", valueName: "dir"))
        var pricing: String?

        @Flag(name: .long, help: "Keep the catalog already there and add the files' types to it.")
        var merge = false

        @Argument(help: ArgumentHelp("JSON files, gzipped or not.", valueName: "file"))
        var files: [String]

        func validate() throws {
            if files.isEmpty { throw ValidationError("name at least one describe-instance-types JSON file") }
        }

        func run() throws {
            try finish(
                InstancesImportJob.run(files: files, source: source, output: output, pricing: pricing, merge: merge))
        }
    }
}

extension InstancesJob.Format: ExpressibleByArgument {}

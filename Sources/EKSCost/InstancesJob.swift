import EKSInput
package import EKSModel
import EKSReport
package import Foundation

/// `ekscost instances`: the facts, pods per node and allocatable of instance types.
package enum InstancesJob {
    package enum Format: String, Sendable, CaseIterable {
        case table, csv
    }

    package struct Settings: Sendable {
        package var pricing: String?
        package var format: Format = .table
        package var mode: IPAddressMode = .secondaryIP
        package var cap: MaxPodsCap = .none
        package var memoryOverhead: Decimal = EKSNodeReservation.defaultMemoryOverhead

        package init() {}
    }

    package static func run(patterns: [String], settings: Settings) -> CommandResult {
        let catalog: InstanceCatalog
        switch loadCatalog(pricing: settings.pricing) {
        case .success(let loaded): catalog = loaded
        case .failure(let failure): return failure.result
        }
        var selected: [InstanceType] = []
        var diagnostics: [Diagnostic] = []
        let wanted = patterns.isEmpty ? ["*"] : patterns
        for pattern in wanted {
            let matches = catalog.names.filter { matchesGlob($0, pattern) }
            if matches.isEmpty {
                var message = "unknown instance type '\(pattern)'"
                let hints = catalog.suggestions(for: pattern)
                if !hints.isEmpty { message += "; did you mean \(hints.joined(separator: ", "))?" }
                diagnostics.append(.error(message))
            }
            for name in matches where !selected.contains(where: { $0.name == name }) { selected.append(catalog[name]!) }
        }
        guard !diagnostics.hasErrors else { return .failure(diagnostics) }

        let rows = selected.map { row(for: $0, settings: settings) }
        var result = CommandResult()
        switch settings.format {
        case .csv: result.stdout = InstancesFormatter.csv(rows: rows)
        case .table: result.stdout = InstancesFormatter.table(rows: rows, mode: settings.mode, cap: settings.cap)
        }
        return result
    }

    static func row(for type: InstanceType, settings: Settings) -> [String] {
        let nodeMaxPods = PodsPerNode.maxPods(type, mode: settings.mode, cap: settings.cap)
        let allocatable = EKSNodeReservation.allocatable(
            type, maxPods: nodeMaxPods, memoryOverhead: settings.memoryOverhead)
        return [
            type.name, String(type.vcpu), String(type.memoryMiB), type.architecture,
            type.hypervisor.isEmpty ? "none" : type.hypervisor,
            String(type.enis), String(type.ipv4PerENI),
            String(PodsPerNode.secondaryIP(type)), String(PodsPerNode.prefixDelegation(type)),
            String(PodsPerNode.maxPods(type, mode: .secondaryIP, cap: .recommended)),
            String(PodsPerNode.maxPods(type, mode: .prefixDelegation, cap: .recommended)),
            String(nodeMaxPods), String(allocatable.cpu), String(allocatable.memoryMiB),
        ]
    }

    /// `*` matches any run of characters: `m5.*`, `*.large`.
    static func matchesGlob(_ name: String, _ pattern: String) -> Bool {
        guard pattern.contains("*") else { return name == pattern }
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        var rest = Substring(name)
        for (index, part) in parts.enumerated() {
            if index == 0 {
                guard rest.hasPrefix(part) else { return false }
                rest = rest.dropFirst(part.count)
            } else if index == parts.count - 1 {
                return rest.hasSuffix(part)
            } else if let range = rest.range(of: part) {
                rest = rest[range.upperBound...]
            } else {
                return false
            }
        }
        return rest.isEmpty
    }

    struct Failure: Error { let result: CommandResult }

    static func loadCatalog(pricing: String?) -> Result<InstanceCatalog, Failure> {
        let folders: PricingFolders
        switch PricingFolders.locate(explicit: pricing) {
        case .success(let found): folders = found
        case .failure(let diagnostic): return .failure(Failure(result: .failure([diagnostic])))
        }
        let (catalog, diagnostics) = PricingStore(folders: folders).catalog()
        guard let catalog else { return .failure(Failure(result: .failure(diagnostics))) }
        return .success(catalog)
    }
}

/// `ekscost instances import`: rebuild the instance catalog from describe-instance-types output.
package enum InstancesImportJob {
    /// `merge`: start from the catalog already at the target (its rows and sources), so that
    /// types from another source can be added without losing the first source's.
    package static func run(files: [String], source: String?, output: String?, pricing: String?, merge: Bool = false)
        -> CommandResult
    {
        var inputs: [[SourcedInstanceType]] = []
        var diagnostics: [Diagnostic] = []
        for file in files {
            let name = (file as NSString).lastPathComponent
            do {
                inputs.append(
                    try InstanceTypesImporter.read(
                        path: file, source: source ?? "aws ec2 describe-instance-types (\(name))"))
            } catch let error as InstanceTypesImporter.ImportError {
                diagnostics.append(.error(error.message, at: SourceLocation(file: error.file, line: 1)))
            } catch {
                diagnostics.append(.error("\(error)", at: SourceLocation(file: file, line: 1)))
            }
        }
        guard !diagnostics.hasErrors else { return .failure(diagnostics, "ekscost: catalog not written") }
        let target: String
        if let output {
            target = output
        } else {
            switch PricingFolders.locate(explicit: pricing) {
            case .success(let folders): target = (folders.bundled ?? folders.user).catalogPath
            case .failure(let diagnostic): return .failure([diagnostic])
            }
        }
        if merge, FileManager.default.fileExists(atPath: target) {
            let (existing, problems) = InstanceCatalogFile.readEntries(path: target)
            guard let existing else { return .failure(problems, "ekscost: catalog not written") }
            inputs.insert(existing, at: 0)
        }
        let merged = InstanceTypesImporter.merge(inputs)
        var result = CommandResult()
        guard result.writeFiles([(target, .bytes(InstanceCatalogFile.bytes(of: merged)))]) else { return result }
        result.stdout = "wrote \(merged.count) instance types to \(target)\n"
        return result
    }
}

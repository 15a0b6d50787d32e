import EKSInput
import EKSModel
import Foundation

/// Savings Plans price lists given to `pricing import` (and fetched by `pricing fetch`): read
/// apart from the offer files, their rates go into the snapshot beside the offers' prices.
enum SavingsPlanImport {
    struct Read {
        var prices: [Price] = []
        var diagnostics: [Diagnostic] = []
        /// One line per file, for the import summary.
        var summary = ""
        /// The files that are not Savings Plans price lists, for the offer importer.
        var otherFiles: [String] = []
        var latestDay: CalendarDate?
    }

    static func read(_ files: [String], regions: [String], label: (String) -> String? = { _ in nil }) -> Read {
        var read = Read()
        for file in files {
            guard SavingsPlanOfferFile.isSavingsPlanFile(path: file) else {
                read.otherFiles.append(file)
                continue
            }
            switch SavingsPlanOfferFile.read(path: file, regions: regions, label: label(file)) {
            case .success(let imported):
                read.prices += imported.prices
                if let day = CalendarDate(String(imported.publicationDate.prefix(10))),
                    read.latestDay.map({ day > $0 }) ?? true
                {
                    read.latestDay = day
                }
                let regionsFound = Set(imported.prices.map(\.key.region)).sorted()
                read.summary +=
                    "AWSComputeSavingsPlan \(file) (version \(imported.version), published \(imported.publicationDate)): \(imported.records) rows, \(imported.prices.count) Savings Plans rates\(regionsFound.isEmpty ? "" : " in \(regionsFound.joined(separator: ", "))"); \(imported.skipped) rows for other usage\n"
                if imported.prices.isEmpty {
                    read.diagnostics.append(
                        .warning(
                            "no Savings Plans rates for EC2 instances or Fargate found in this file\(regions.isEmpty ? "" : " for \(regions.joined(separator: ", "))")",
                            at: SourceLocation(file: file, line: 1)))
                }
            case .failure(let diagnostic):
                read.diagnostics.append(diagnostic)
            }
        }
        return read
    }

    /// `base` with the rates added (a rate for a key already there replaces it).
    static func adding(_ prices: [Price], to base: PriceSnapshot?, id: String, date: CalendarDate) -> PriceSnapshot {
        PriceSnapshot(id: base?.id ?? id, date: base?.date ?? date, prices: (base?.allPrices ?? []) + prices)
    }
}

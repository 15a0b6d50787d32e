import EKSInput
package import EKSModel
package import EKSReport
package import Foundation

/// Options shared by the commands that read scenarios.
package struct RunOptions: Sendable {
    /// `--pricing`: a snapshot id, a snapshot file or a Pricing folder.
    package var pricing: String?
    package var outDirectory = "Reports"
    package var formats: [ReportFormat] = [.csv, .md]
    package var hoursPerMonth: Decimal?
    package var month: CalendarMonth?
    package var asOf: CalendarDate?
    package var budget: Decimal?
    package var quiet = false
    /// `--eksctl`: an eksctl ClusterConfig to build the scenario from, instead of scenario files.
    package var eksctl: String?
    /// `--manifests`: Kubernetes manifest files and folders whose workloads run in that cluster.
    package var manifests: [String] = []
    /// `--region`: price the scenario as if it stood in this region.
    package var region: String?

    package init() {}

    /// Whether the run's one scenario comes from `--eksctl` / `--manifests`.
    package var readsKubernetesSources: Bool { eksctl != nil || !manifests.isEmpty }

    /// What a command reads: the scenario files named, or one entry standing for `--eksctl` and
    /// `--manifests` (its text names them in messages such as "…: ok").
    package func scenarioInputs(_ paths: [String]) -> [String] {
        readsKubernetesSources ? [([eksctl].compactMap { $0 } + manifests).joined(separator: " + ")] : paths
    }
}

extension CalendarDate {
    /// Today in UTC.
    package static func today() -> CalendarDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: Date())
        return CalendarDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    }
}

/// AWS region codes (`us-east-1`), for the command line's checks.
package enum RegionCode {
    package static func isValid(_ text: String) -> Bool { ScenarioLoader.isRegionCode(text) }
}

import EKSInput
import EKSModel
import EKSReport
import Foundation

/// Options shared by the commands that read scenarios.
public struct RunOptions: Sendable {
    /// `--pricing`: a snapshot id, a snapshot file or a Pricing folder.
    public var pricing: String?
    public var outDirectory = "Reports"
    public var formats: [ReportFormat] = [.csv, .md]
    public var hoursPerMonth: Decimal?
    public var month: CalendarMonth?
    public var asOf: CalendarDate?
    public var budget: Decimal?
    public var quiet = false
    /// `--eksctl`: an eksctl ClusterConfig to build the scenario from, instead of scenario files.
    public var eksctl: String?
    /// `--manifests`: Kubernetes manifest files and folders whose workloads run in that cluster.
    public var manifests: [String] = []
    /// `--region`: price the scenario as if it stood in this region.
    public var region: String?

    public init() {}

    /// Whether the run's one scenario comes from `--eksctl` / `--manifests`.
    public var readsKubernetesSources: Bool { eksctl != nil || !manifests.isEmpty }

    /// What a command reads: the scenario files named, or one entry standing for `--eksctl` and
    /// `--manifests` (its text names them in messages such as "…: ok").
    public func scenarioInputs(_ paths: [String]) -> [String] {
        readsKubernetesSources ? [([eksctl].compactMap { $0 } + manifests).joined(separator: " + ")] : paths
    }
}

extension CalendarDate {
    /// Today in UTC.
    public static func today() -> CalendarDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: Date())
        return CalendarDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    }
}

/// AWS region codes (`us-east-1`), for the command line's checks.
public enum RegionCode {
    public static func isValid(_ text: String) -> Bool { ScenarioLoader.isRegionCode(text) }
}

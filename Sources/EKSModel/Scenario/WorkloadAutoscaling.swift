import Foundation

/// A VerticalPodAutoscaler's settings.
public struct VPASettings: Sendable, Hashable {
    /// `updatePolicy.updateMode`: Off only recommends; Initial, Recreate and Auto apply the
    /// recommendation to pods.
    public enum UpdateMode: String, Sendable, Hashable, CaseIterable {
        case off = "Off"
        case initial = "Initial"
        case recreate = "Recreate"
        case auto = "Auto"
        case inPlaceOrRecreate = "InPlaceOrRecreate"

        /// Whether pods get the recommended requests.
        public var appliesRequests: Bool { self != .off }
    }

    public var updateMode: UpdateMode
    /// `resourcePolicy.containerPolicies[].minAllowed` / `maxAllowed` per container name ("*" for all).
    public var minAllowed: [String: ResourceRequests]
    public var maxAllowed: [String: ResourceRequests]

    public init(
        updateMode: UpdateMode = .auto, minAllowed: [String: ResourceRequests] = [:],
        maxAllowed: [String: ResourceRequests] = [:]
    ) {
        self.updateMode = updateMode
        self.minAllowed = minAllowed
        self.maxAllowed = maxAllowed
    }
}

/// A column of a load curve: `curve` is the name in `spec.loadCurves`, `column` the CSV
/// column (nil for a parametric shape, which has one).
public struct CurveReference: Sendable, Hashable, CustomStringConvertible {
    public var curve: String
    public var column: String?

    public init(curve: String, column: String? = nil) {
        self.curve = curve
        self.column = column
    }

    /// `curve/column` or `curve`.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let curve = parts.first, !curve.isEmpty else { return nil }
        self.curve = curve
        self.column = parts.count == 2 ? (parts[1].isEmpty ? nil : parts[1]) : nil
    }

    public var description: String { column.map { "\(curve)/\($0)" } ?? curve }
}

/// What a workload's usage is over time, from load curves.
public struct WorkloadLoad: Sendable, Hashable {
    /// Total CPU the workload's pods use, millicores.
    public var cpu: CurveReference?
    /// Total memory the workload's pods use, MiB.
    public var memory: CurveReference?
    /// Other metrics by the name an HPA `Pods`, `Object` or `External` metric uses (a `Pods`
    /// metric's curve is the total over the pods, e.g. requests per second).
    public var metrics: [String: CurveReference]

    public init(cpu: CurveReference? = nil, memory: CurveReference? = nil, metrics: [String: CurveReference] = [:]) {
        self.cpu = cpu
        self.memory = memory
        self.metrics = metrics
    }
}

// The HPA controller's configuration, results and the history it keeps (horizontal.go).

/// The kube-controller-manager settings the HPA controller reads
/// (kubernetes pkg/controller/podautoscaler/config/v1alpha1/defaults.go
/// `RecommendedDefaultHPAControllerConfiguration`).
public struct HPAControllerConfiguration: Sendable, Equatable {
    /// `--horizontal-pod-autoscaler-sync-period`, 15 s. The controller does not read it: the caller
    /// calls `sync` once per period, at the instants it chooses.
    public var syncPeriodSeconds: Double
    /// `--horizontal-pod-autoscaler-downscale-stabilization`, 5 minutes: the legacy scale-down window,
    /// and the scale-down window of a `behavior` that leaves it unset.
    public var downscaleStabilizationWindowSeconds: Int
    /// `--horizontal-pod-autoscaler-tolerance`, 0.1.
    public var tolerance: Double
    /// Feature gate `HPAConfigurableTolerance` (KEP-4951): alpha and off in Kubernetes 1.33 and 1.34,
    /// beta and on by default since 1.35 (pkg/features/kube_features.go), hence on here. When on,
    /// `behavior.scaleUp.tolerance` / `scaleDown.tolerance` replace `tolerance` for that direction
    /// (horizontal.go `tolerancesForHpa`; replica_calculator.go `Tolerances.isWithin`).
    public var configurableToleranceEnabled: Bool
    /// Feature gate `HPAScaleToZero` (alpha, off): whether validation accepts `minReplicas: 0`.
    public var scaleToZeroEnabled: Bool
    /// How an entry exactly a window or period old is treated; see `WindowEdge`.
    public var windowEdge: WindowEdge

    public init(
        syncPeriodSeconds: Double = 15, downscaleStabilizationWindowSeconds: Int = 300,
        tolerance: Double = 0.1, configurableToleranceEnabled: Bool = true,
        scaleToZeroEnabled: Bool = false, windowEdge: WindowEdge = .excluded
    ) {
        self.syncPeriodSeconds = syncPeriodSeconds
        self.downscaleStabilizationWindowSeconds = downscaleStabilizationWindowSeconds
        self.tolerance = tolerance
        self.configurableToleranceEnabled = configurableToleranceEnabled
        self.scaleToZeroEnabled = scaleToZeroEnabled
        self.windowEdge = windowEdge
    }
}

/// What happens to a recommendation or scale event exactly `window` (or policy `period`) seconds old.
///
/// horizontal.go counts a recommendation in a behavior window with `timestamp.After(cutoff)` and a
/// scale event in a policy period with `After(cutoff)`, but drops a legacy-window recommendation, or
/// marks a scale event outdated, with `timestamp.Before(cutoff)`. On a running controller the tie never
/// happens: every timestamp is `time.Now()`, and each sync starts a little later than the nominal
/// period because the work queue re-adds the key only after processing (horizontal.go
/// `processNextWorkItem`), so an entry from the sync one window earlier is always slightly more than a
/// window old. With exact sync instants (0, 15, 30 … s) the literal comparisons would keep a legacy
/// recommendation one sync longer than a real controller does.
public enum WindowEdge: Sendable, Equatable {
    /// An entry exactly a window or period old is outside it everywhere, as on a running controller
    /// (`After(cutoff)` as upstream; `Before(cutoff)` read as "at or before"). The default.
    case excluded
    /// Go's `Before` / `After` applied to the given instants, ties and all.
    case literal
}

/// Why `sync` returned its count; the names are upstream's condition reasons.
public enum HPAScalingReason: String, Sendable, Equatable {
    /// The target has zero replicas and `minReplicas` is not zero: autoscaling is off (`ScalingDisabled`).
    case scalingDisabled = "ScalingDisabled"
    /// "Current number of replicas above Spec.MaxReplicas": scaled to `maxReplicas`.
    case aboveMaxReplicas = "AboveMaxReplicas"
    /// "Current number of replicas below Spec.MinReplicas": scaled to `minReplicas`.
    case belowMinReplicas = "BelowMinReplicas"
    /// All metrics, or some while the others ask to scale down, failed: no change (`FailedComputeMetricsReplicas`).
    case invalidMetrics = "InvalidMetrics"
    case desiredWithinRange = "DesiredWithinRange"
    case tooFewReplicas = "TooFewReplicas"
    case tooManyReplicas = "TooManyReplicas"
    case scaleUpLimit = "ScaleUpLimit"
    case scaleDownLimit = "ScaleDownLimit"
}

/// What one `sync` decided.
public struct HPASyncResult: Sendable, Equatable {
    /// The replica count to run from now on (the current count when nothing changes).
    public var replicas: Int
    /// The largest per-metric proposal, before stabilization and limits; `nil` when metrics were not read.
    public var metricReplicas: Int?
    /// The stabilized recommendation, before rate limits and bounds; `nil` when metrics were not read.
    public var stabilizedReplicas: Int?
    public var reason: HPAScalingReason

    public init(replicas: Int, metricReplicas: Int?, stabilizedReplicas: Int?, reason: HPAScalingReason) {
        self.replicas = replicas
        self.metricReplicas = metricReplicas
        self.stabilizedReplicas = stabilizedReplicas
        self.reason = reason
    }
}

/// horizontal.go `timestampedRecommendation`.
struct TimestampedRecommendation: Sendable, Equatable {
    var recommendation: Int
    var timestamp: Double
}

/// horizontal.go `timestampedScaleEvent`; `replicaChange` is the absolute change.
struct ScaleEvent: Sendable, Equatable {
    var replicaChange: Int
    var timestamp: Double
    var outdated: Bool
}

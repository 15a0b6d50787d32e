/// How a period is simulated.
public struct SimulationSettings: Sendable, Hashable {
    /// Seconds between HPA syncs (`--horizontal-pod-autoscaler-sync-period`, 15 s upstream).
    public var hpaSyncSeconds: Int
    /// Seconds per row of the per-step report (hourly by default).
    public var reportStepSeconds: Int
    /// Cluster Autoscaler `--scale-down-utilization-threshold` (0.5) and
    /// `--scale-down-unneeded-time` (10 minutes).
    public var scaleDownUtilizationThreshold: Double
    public var scaleDownUnneededSeconds: Int
    /// Feature gate `HPAConfigurableTolerance` (KEP-4951): whether an HPA's
    /// `behavior.scaleUp/scaleDown.tolerance` replaces the controller's 0.1 for that direction.
    public var hpaConfigurableTolerance: Bool
    /// Whether the node simulation, once its state repeats from one day (or week) to the next with
    /// every trajectory repeating too, adds the repeated periods at once instead of simulating them:
    /// the result is the same (`PeriodicFastForward.swift`); off only to check that.
    public var fastForwardCycles: Bool

    public init(
        hpaSyncSeconds: Int = 15, reportStepSeconds: Int = 3600, scaleDownUtilizationThreshold: Double = 0.5,
        scaleDownUnneededSeconds: Int = 600, hpaConfigurableTolerance: Bool = true, fastForwardCycles: Bool = true
    ) {
        self.hpaSyncSeconds = hpaSyncSeconds
        self.reportStepSeconds = reportStepSeconds
        self.scaleDownUtilizationThreshold = scaleDownUtilizationThreshold
        self.scaleDownUnneededSeconds = scaleDownUnneededSeconds
        self.hpaConfigurableTolerance = hpaConfigurableTolerance
        self.fastForwardCycles = fastForwardCycles
    }

    /// The first Kubernetes minor version whose kube-controller-manager has `HPAConfigurableTolerance`
    /// on by default: alpha (off) in 1.33 and 1.34, beta (on) from 1.35 (kubernetes
    /// pkg/features/kube_features.go; KEP-4951).
    public static let configurableToleranceSinceMinor = 35

    /// Whether a cluster of `version` honours per-HPA tolerances; a cluster without a version is
    /// taken to run a current release.
    public static func honoursHPATolerance(kubernetesVersion version: String?) -> Bool {
        guard let version, let minor = EKSVersionCalendar.minorVersion(version), let number = Int(minor.dropFirst(2))
        else { return true }
        return number >= configurableToleranceSinceMinor
    }

    /// These settings for a cluster: the tolerance gate follows its Kubernetes version.
    public func forCluster(_ cluster: Cluster) -> SimulationSettings {
        var settings = self
        settings.hpaConfigurableTolerance =
            hpaConfigurableTolerance
            && Self.honoursHPATolerance(kubernetesVersion: cluster.kubernetesVersion)
        return settings
    }
}

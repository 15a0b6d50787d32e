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

    public init(hpaSyncSeconds: Int = 15, reportStepSeconds: Int = 3600, scaleDownUtilizationThreshold: Double = 0.5,
                scaleDownUnneededSeconds: Int = 600) {
        self.hpaSyncSeconds = hpaSyncSeconds
        self.reportStepSeconds = reportStepSeconds
        self.scaleDownUtilizationThreshold = scaleDownUtilizationThreshold
        self.scaleDownUnneededSeconds = scaleDownUnneededSeconds
    }
}

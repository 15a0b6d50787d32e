public import Foundation

/// Pods of one workload on Fargate, each sized by Fargate's rule.
public struct FargatePlacement: Sendable, Hashable {
    public var workload: String
    public var profile: String
    /// Pods running at once (replicas, or a Job run's parallel pods).
    public var pods: Int
    public var size: FargateSize
    /// Ephemeral storage billed above the 20 GB included, per pod.
    public var extraStorageGB: Int
    /// For Jobs and CronJobs: runs in the period and billed seconds per pod per run (per-second
    /// billing with a one-minute minimum). Nil for pods that run all month.
    public var runs: Decimal?
    public var billedSecondsPerPod: Int?
    /// Pods per run in total (completions); equals `pods` for long-running workloads.
    public var podsPerRun: Int

    /// Hours each pod is billed in a period of `periodHours`: all of them for long-running pods,
    /// else runs × billed seconds ÷ 3600.
    public func billedHours(periodHours: Decimal) -> Decimal {
        guard let runs, let seconds = billedSecondsPerPod else { return periodHours }
        return runs * Decimal(seconds) / 3600
    }

    /// Pods billed for those hours: the replicas, or a run's completions.
    public var billedPods: Int { runs == nil ? pods : podsPerRun }
}

/// How a Job or CronJob runs on EC2 nodes.
public struct JobOnNodes: Sendable, Hashable {
    public var workload: String
    public var runs: Decimal
    /// Every run fits in room the month's nodes leave free: no extra cost.
    public var onSpareCapacity: Bool
    /// Otherwise: the group and type of the nodes launched for each run, how many, and for how
    /// long each is billed per run (the run, plus the time before the autoscaler removes it).
    public var groupName: String?
    public var type: InstanceType?
    public var nodesPerRun: Int
    public var billedSecondsPerNode: Int
    public var hourlyPrice: Decimal?
}

/// Billing and scale-down constants for short-lived capacity.
public enum ShortLivedBilling {
    /// Fargate and EC2 (Linux) bill per second with a one-minute minimum.
    public static let minimumSeconds = 60
    /// The Cluster Autoscaler removes a node unneeded for 10 minutes (--scale-down-unneeded-time).
    public static let clusterAutoscalerScaleDownSeconds = 600
    /// Karpenter consolidates an empty node right away (consolidateAfter 0s by default).
    public static let karpenterScaleDownSeconds = 0

    public static func billedSeconds(_ seconds: Int) -> Int { max(minimumSeconds, seconds) }
}

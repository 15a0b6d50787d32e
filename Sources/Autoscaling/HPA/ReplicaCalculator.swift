/// What the metrics APIs returned for one metric on one sync, in the same order as the spec's metrics.
///
/// All pods are assumed running, ready and reporting metrics (see `ReplicaCalculator`), so totals
/// over "the pods" are totals over `currentReplicas` pods.
public enum MetricObservation: Sendable, Equatable {
    /// A `Resource` metric: usage summed over the pods, and their requests summed likewise,
    /// e.g. `.millicores(2400)` of `.millicores(3000)`, or bytes. A `Utilization` target reads both;
    /// an `AverageValue` target reads only the usage.
    case resource(totalUsage: MetricQuantity, totalRequests: MetricQuantity)
    /// A `Pods` metric: the per-pod values summed over the pods.
    case pods(total: MetricQuantity)
    /// An `Object` metric: the object's value.
    case object(MetricQuantity)
    /// An `External` metric: the values of every series the selector matched (upstream sums them).
    case external([MetricQuantity])
    /// The metric could not be read this sync (upstream: an error from the metrics client).
    case unavailable
}

/// `Tolerances` in replica_calculator.go: the band of usage ratios that keeps the current count.
public struct Tolerances: Sendable, Equatable {
    public var scaleDown: Double
    public var scaleUp: Double

    public init(scaleDown: Double, scaleUp: Double) {
        self.scaleDown = scaleDown
        self.scaleUp = scaleUp
    }

    public init(_ both: Double) {
        self.init(scaleDown: both, scaleUp: both)
    }

    /// replica_calculator.go `Tolerances.isWithin`: `(1 − down) ≤ ratio ≤ (1 + up)`, both ends included.
    public func isWithin(_ usageRatio: Double) -> Bool {
        (1.0 - scaleDown) <= usageRatio && usageRatio <= (1.0 + scaleUp)
    }
}

/// The per-metric replica proposals of kubernetes pkg/controller/podautoscaler/replica_calculator.go.
///
/// Simplification: every pod is running, ready and has metrics, so upstream's `groupPods` finds no
/// unready, missing or ignored pods, `readyPodCount` and `len(metrics)` are the pod count, and the
/// second pass of `GetResourceReplicas` / `calcPlainMetricReplicas` (filling in missing and unready
/// pods) never runs. The pod counts are still separate parameters so that a caller can pass a ready
/// count below the replica count where upstream reads it (`getReadyPodsCount`).
/// A `nil` result is upstream's error: the metric is invalid this sync.
public enum ReplicaCalculator {
    /// `Resource` metric with a `Utilization` target: replica_calculator.go `GetResourceReplicas` with
    /// metrics/utilization.go `GetResourceUtilizationRatio`.
    /// `utilization = int32(Σusage × 100 / Σrequests)` in integer (truncating) arithmetic,
    /// `ratio = utilization / target`; inside the tolerance the current count stays, else
    /// `ceil(ratio × readyPods)`.
    public static func resourceUtilization(
        currentReplicas: Int, readyPods: Int, targetPercent: Int,
        totalUsage: MetricQuantity, totalRequests: MetricQuantity,
        tolerances: Tolerances
    ) -> Int? {
        // "no pods returned by selector while calculating replica count"
        guard readyPods > 0 else { return nil }
        // utilization.go: "no metrics returned matched known pods" when the requests total is zero.
        guard totalRequests.milliValue > 0 else { return nil }
        let (product, overflow) = totalUsage.milliValue.multipliedReportingOverflow(by: 100)
        guard !overflow else { return nil }
        let utilization = product / totalRequests.milliValue
        let usageRatio = Double(utilization) / Double(targetPercent)
        if tolerances.isWithin(usageRatio) {
            return currentReplicas
        }
        return ceilToReplicas(usageRatio * Double(readyPods))
    }

    /// `Resource` metric with an `AverageValue` target (`GetRawResourceReplicas`) and `Pods` metrics
    /// (`GetMetricReplicas`): both go through replica_calculator.go `calcPlainMetricReplicas` with
    /// utilization.go `GetMetricUsageRatio`: `average = Σvalues / podsWithMetrics` in integer milli-units,
    /// `ratio = average / target`; inside the tolerance the current count stays, else `ceil(ratio × readyPods)`.
    public static func averageValue(
        currentReplicas: Int, readyPods: Int, target: MetricQuantity,
        total: MetricQuantity, tolerances: Tolerances
    ) -> Int? {
        guard readyPods > 0 else { return nil }
        let average = total.milliValue / Int64(readyPods)
        let usageRatio = Double(average) / Double(target.milliValue)
        if tolerances.isWithin(usageRatio) {
            return currentReplicas
        }
        return ceilToReplicas(usageRatio * Double(readyPods))
    }

    /// `Object` and `External` metrics with a `Value` target: `GetObjectMetricReplicas` and
    /// `GetExternalMetricReplicas` (External sums its series first), then `getUsageRatioReplicaCount`:
    /// `ratio = value / target`; with replicas, the tolerance applies and the proposal is
    /// `ceil(ratio × readyPods)`; at zero replicas it is `ceil(ratio)`, which lets the target scale
    /// from and to zero.
    public static func value(
        currentReplicas: Int, readyPods: Int, target: MetricQuantity,
        value: MetricQuantity, tolerances: Tolerances
    ) -> Int? {
        let usageRatio = Double(value.milliValue) / Double(target.milliValue)
        if currentReplicas != 0 {
            if tolerances.isWithin(usageRatio) {
                return currentReplicas
            }
            // getReadyPodsCount: "no pods returned by selector" is an error.
            guard readyPods > 0 else { return nil }
            return ceilToReplicas(usageRatio * Double(readyPods))
        }
        return ceilToReplicas(usageRatio)
    }

    /// `Object` and `External` metrics with an `AverageValue` target: `GetObjectPerPodMetricReplicas`
    /// and `GetExternalPerPodMetricReplicas`: `ratio = value / (target × statusReplicas)`; outside the
    /// tolerance the proposal is `ceil(value / target)`, independent of the current count.
    public static func perPodValue(
        statusReplicas: Int, target: MetricQuantity,
        value: MetricQuantity, tolerances: Tolerances
    ) -> Int {
        let usageRatio = Double(value.milliValue) / (Double(target.milliValue) * Double(statusReplicas))
        if !tolerances.isWithin(usageRatio) {
            return ceilToReplicas(Double(value.milliValue) / Double(target.milliValue))
        }
        return statusReplicas
    }

    /// `int32(math.Ceil(x))`, capped at `MaxInt32` as upstream does in `getUsageRatioReplicaCount`
    /// and `GetExternalPerPodMetricReplicas` (elsewhere Go's conversion would be undefined there).
    static func ceilToReplicas(_ proposal: Double) -> Int {
        let ceiling = proposal.rounded(.up)
        if ceiling.isNaN { return 0 }
        if ceiling >= Double(Int32.max) { return Int(Int32.max) }
        if ceiling <= 0 { return 0 }
        return Int(ceiling)
    }
}

/// A metric value as the HPA controller sees it: a Kubernetes quantity's milli-value.
///
/// Upstream hands every metric to the replica calculator as `Quantity.MilliValue()`
/// (kubernetes pkg/controller/podautoscaler/metrics/client.go, horizontal.go
/// `computeStatusFor*Metric`), and averages those with integer division
/// (metrics/utilization.go `GetMetricUsageRatio`). Keeping the milli-value here keeps that
/// truncation exact: 1 millicore is 1, 1 byte is 1000, a plain count of 1 is 1000.
public struct MetricQuantity: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The quantity times 1000, as `resource.Quantity.MilliValue()`.
    public var milliValue: Int64

    public init(milliValue: Int64) {
        self.milliValue = milliValue
    }

    /// CPU in millicores (the milli-value of a CPU quantity is its millicores).
    public static func millicores(_ millicores: Int64) -> MetricQuantity {
        MetricQuantity(milliValue: millicores)
    }

    /// Memory or any other byte count.
    public static func bytes(_ bytes: Int64) -> MetricQuantity {
        MetricQuantity(milliValue: bytes * 1000)
    }

    /// A plain number, e.g. 100 requests per second or 30 queued messages.
    public static func units(_ units: Int64) -> MetricQuantity {
        MetricQuantity(milliValue: units * 1000)
    }

    public static let zero = MetricQuantity(milliValue: 0)

    public static func < (lhs: MetricQuantity, rhs: MetricQuantity) -> Bool {
        lhs.milliValue < rhs.milliValue
    }

    public var description: String { "\(milliValue)m" }
}

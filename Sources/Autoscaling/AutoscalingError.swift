/// What the autoscaling module rejects: an invalid spec, or observations that do not fit it.
public enum AutoscalingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The HPA spec breaks a rule the API server enforces
    /// (kubernetes pkg/apis/autoscaling/validation/validation.go); one message per broken rule.
    case invalidSpec([String])
    /// `sync` was given a different number of observations than the spec has metrics.
    case observationCount(expected: Int, got: Int)
    /// The observation at `index` is not of the kind the metric at `index` needs.
    case observationKind(index: Int, expected: String)
    /// `sync` was called with a time earlier than the previous sync.
    case timeWentBackwards(previous: Double, now: Double)
    /// A replica count below zero.
    case negativeReplicas(Int)

    public var description: String {
        switch self {
        case .invalidSpec(let problems):
            return "invalid horizontal pod autoscaler spec: " + problems.joined(separator: "; ")
        case .observationCount(let expected, let got):
            return "expected \(expected) metric observation(s), one per metric, got \(got)"
        case .observationKind(let index, let expected):
            return "metric \(index) needs \(expected)"
        case .timeWentBackwards(let previous, let now):
            return "sync at \(now) s is earlier than the previous sync at \(previous) s"
        case .negativeReplicas(let replicas):
            return "replica count \(replicas) is negative"
        }
    }
}

/// The resource a `Resource` metric reads from the metrics server.
public enum ResourceName: String, Sendable, Hashable {
    case cpu
    case memory
}

/// An `autoscaling/v2` HorizontalPodAutoscaler spec, as far as the controller's arithmetic needs it.
///
/// Defaults follow kubernetes pkg/apis/autoscaling/v2/defaults.go `SetDefaults_HorizontalPodAutoscaler`:
/// `minReplicas` 1, and one CPU `Utilization` metric at 80 % when `metrics` is empty.
/// `behavior` stays `nil` when absent: the API server does not fill it in, and the controller
/// then takes its legacy path (see `HorizontalPodAutoscalerController`).
public struct HorizontalPodAutoscalerSpec: Sendable, Equatable {
    /// `nil` means 1 (defaults.go). Zero needs the `HPAScaleToZero` feature gate and an Object or
    /// External metric (validation.go `validateMetrics`).
    public var minReplicas: Int?
    public var maxReplicas: Int
    /// Empty means one CPU `Utilization` metric with an 80 % target (defaults.go).
    public var metrics: [MetricSpec]
    /// `nil`: the controller's legacy rules. Non-nil, even empty: the behavior rules, with every
    /// unset field defaulted (defaults.go `SetDefaults_HorizontalPodAutoscalerBehavior`).
    public var behavior: Behavior?

    public init(minReplicas: Int? = nil, maxReplicas: Int, metrics: [MetricSpec] = [], behavior: Behavior? = nil) {
        self.minReplicas = minReplicas
        self.maxReplicas = maxReplicas
        self.metrics = metrics
        self.behavior = behavior
    }

    /// `autoscaling.DefaultCPUUtilization` (kubernetes pkg/apis/autoscaling/types.go).
    public static let defaultCPUUtilizationPercent = 80

    /// The minimum after defaulting (defaults.go; horizontal.go `reconcileAutoscaler` also uses 1 when unset).
    public var effectiveMinReplicas: Int { minReplicas ?? 1 }

    /// The metrics after defaulting (defaults.go `SetDefaults_HorizontalPodAutoscaler`).
    public var effectiveMetrics: [MetricSpec] {
        metrics.isEmpty ? [.resource(.cpu, .utilization(percent: Self.defaultCPUUtilizationPercent))] : metrics
    }

    /// The rules the API server enforces on this spec (kubernetes pkg/apis/autoscaling/validation/validation.go
    /// `validateHorizontalPodAutoscalerSpec`, `validateMetrics`, `validateBehavior`, `validateScalingRules`,
    /// `validateScalingPolicy`, `validateMetricTarget`). Empty when the spec is valid.
    public func problems(scaleToZeroEnabled: Bool = false) -> [String] {
        var problems: [String] = []
        let lowerBound = scaleToZeroEnabled ? 0 : 1
        if let minReplicas, minReplicas < lowerBound {
            problems.append("minReplicas must be greater than or equal to \(lowerBound)")
        }
        if maxReplicas < 1 {
            problems.append("maxReplicas must be greater than 0")
        }
        if let minReplicas, maxReplicas < minReplicas {
            problems.append("maxReplicas must be greater than or equal to minReplicas")
        }
        for (index, metric) in metrics.enumerated() {
            if let problem = metric.targetProblem {
                problems.append("metrics[\(index)]: \(problem)")
            }
        }
        if minReplicas == 0 && !metrics.contains(where: \.isObjectOrExternal) {
            problems.append("must specify at least one Object or External metric to support scaling to zero replicas")
        }
        if let behavior {
            problems += behavior.scaleUp?.problems(path: "behavior.scaleUp") ?? []
            problems += behavior.scaleDown?.problems(path: "behavior.scaleDown") ?? []
        }
        return problems
    }
}

/// One entry of `spec.metrics`.
public enum MetricSpec: Sendable, Equatable {
    /// A `Resource` metric: CPU or memory of the pods, from the metrics server.
    case resource(ResourceName, ResourceTarget)
    /// A `Pods` metric: a custom metric per pod, averaged over the pods; the target is an `AverageValue`.
    case pods(name: String, averageValue: MetricQuantity)
    /// An `Object` metric: one value describing another object (an Ingress's requests per second).
    case object(name: String, target: ValueTarget)
    /// An `External` metric: the sum of the series an external metrics API returns (a queue length).
    case external(name: String, target: ValueTarget)

    var isObjectOrExternal: Bool {
        switch self {
        case .object, .external: return true
        case .resource, .pods: return false
        }
    }

    /// validation.go `validateMetricTarget`: utilization, value and averageValue must be positive.
    var targetProblem: String? {
        switch self {
        case .resource(_, .utilization(let percent)):
            return percent > 0 ? nil : "target.averageUtilization must be greater than 0"
        case .resource(_, .averageValue(let value)), .pods(_, let value):
            return value.milliValue > 0 ? nil : "target.averageValue must be positive"
        case .object(_, let target), .external(_, let target):
            switch target {
            case .value(let value):
                return value.milliValue > 0 ? nil : "target.value must be positive"
            case .averageValue(let value):
                return value.milliValue > 0 ? nil : "target.averageValue must be positive"
            }
        }
    }

    /// What `sync` expects at this metric's index, for error messages.
    var observationName: String {
        switch self {
        case .resource: return "a resource observation (total usage and total requests)"
        case .pods: return "a pods observation (the metric summed over the pods)"
        case .object: return "an object observation (its value)"
        case .external: return "an external observation (the series values)"
        }
    }
}

/// The target of a `Resource` metric.
public enum ResourceTarget: Sendable, Equatable {
    /// `type: Utilization`: the average usage as a percentage of the pods' requests.
    case utilization(percent: Int)
    /// `type: AverageValue`: the average usage per pod, e.g. `.millicores(500)` or `.bytes(...)`.
    case averageValue(MetricQuantity)
}

/// The target of an `Object` or `External` metric.
public enum ValueTarget: Sendable, Equatable {
    /// `type: Value`: the metric itself compared with the target.
    case value(MetricQuantity)
    /// `type: AverageValue`: the metric divided by the pod count compared with the target.
    case averageValue(MetricQuantity)
}

/// `spec.behavior` (`HorizontalPodAutoscalerBehavior`). Every field may be left out.
public struct Behavior: Sendable, Equatable {
    public var scaleUp: ScalingRules?
    public var scaleDown: ScalingRules?

    public init(scaleUp: ScalingRules? = nil, scaleDown: ScalingRules? = nil) {
        self.scaleUp = scaleUp
        self.scaleDown = scaleDown
    }

    /// The rules the controller applies, after the API server's defaulting
    /// (defaults.go `GenerateHPAScaleUpRules`, `GenerateHPAScaleDownRules`, `copyHPAScalingRules`) and the
    /// controller filling an unset scale-down window with its `--horizontal-pod-autoscaler-downscale-stabilization`
    /// (horizontal.go `maybeInitScaleDownStabilizationWindow`).
    public func resolved(downscaleStabilizationWindowSeconds: Int) -> ResolvedBehavior {
        ResolvedBehavior(
            scaleUp: ScalingRules.defaultScaleUp.overridden(
                by: scaleUp,
                window: ScalingRules.defaultScaleUpStabilizationWindowSeconds),
            scaleDown: ScalingRules.defaultScaleDown.overridden(
                by: scaleDown,
                window: downscaleStabilizationWindowSeconds))
    }
}

/// `HPAScalingRules`: one direction's stabilization window, policies and policy selection.
public struct ScalingRules: Sendable, Equatable {
    /// 0...3600. Unset: 0 for scale-up, the controller's 300 s for scale-down.
    public var stabilizationWindowSeconds: Int?
    /// Unset: `.max`.
    public var selectPolicy: SelectPolicy?
    /// Unset: the default policies of the direction. When set, at least one.
    public var policies: [ScalingPolicy]?
    /// `tolerance` (KEP-4951, feature gate `HPAConfigurableTolerance`): used only when the controller
    /// configuration enables it; unset means the controller's tolerance.
    public var tolerance: Double?

    public init(
        stabilizationWindowSeconds: Int? = nil, selectPolicy: SelectPolicy? = nil,
        policies: [ScalingPolicy]? = nil, tolerance: Double? = nil
    ) {
        self.stabilizationWindowSeconds = stabilizationWindowSeconds
        self.selectPolicy = selectPolicy
        self.policies = policies
        self.tolerance = tolerance
    }

    /// defaults.go `scaleUpStabilizationSeconds` (zero).
    public static let defaultScaleUpStabilizationWindowSeconds = 0

    /// defaults.go `defaultHPAScaleUpRules`: 0 s window, Max of 4 pods / 15 s and 100 % / 15 s.
    public static let defaultScaleUp = ScalingRules(
        stabilizationWindowSeconds: defaultScaleUpStabilizationWindowSeconds, selectPolicy: .max,
        policies: [
            ScalingPolicy(type: .pods, value: 4, periodSeconds: 15),
            ScalingPolicy(type: .percent, value: 100, periodSeconds: 15),
        ])

    /// defaults.go `defaultHPAScaleDownRules`: Max of 100 % / 15 s; the window stays unset, for the
    /// controller to fill from its command line (300 s by default).
    public static let defaultScaleDown = ScalingRules(
        stabilizationWindowSeconds: nil, selectPolicy: .max,
        policies: [ScalingPolicy(type: .percent, value: 100, periodSeconds: 15)])

    /// defaults.go `copyHPAScalingRules`: every set field of `rules` replaces the default's.
    func overridden(by rules: ScalingRules?, window: Int) -> ResolvedScalingRules {
        ResolvedScalingRules(
            stabilizationWindowSeconds: rules?.stabilizationWindowSeconds ?? stabilizationWindowSeconds ?? window,
            selectPolicy: rules?.selectPolicy ?? selectPolicy ?? .max,
            policies: rules?.policies ?? policies ?? [],
            tolerance: rules?.tolerance ?? tolerance)
    }

    /// validation.go `validateScalingRules` and `validateScalingPolicy`.
    func problems(path: String) -> [String] {
        var problems: [String] = []
        if let window = stabilizationWindowSeconds {
            if window < 0 {
                problems.append("\(path).stabilizationWindowSeconds must be greater than or equal to zero")
            }
            if window > 3600 {
                problems.append("\(path).stabilizationWindowSeconds must be less than or equal to 3600")
            }
        }
        // The API server defaults before it validates: unset policies become the direction's
        // defaults, an empty list stays empty and is rejected.
        if let policies, policies.isEmpty {
            problems.append("\(path).policies must specify at least one Policy")
        }
        for (index, policy) in (policies ?? []).enumerated() {
            if policy.value <= 0 { problems.append("\(path).policies[\(index)].value must be greater than zero") }
            if policy.periodSeconds <= 0 {
                problems.append("\(path).policies[\(index)].periodSeconds must be greater than zero")
            }
            if policy.periodSeconds > 1800 {
                problems.append("\(path).policies[\(index)].periodSeconds must be less than or equal to 1800")
            }
        }
        if let tolerance, tolerance < 0 {
            problems.append("\(path).tolerance must be greater than or equal to zero")
        }
        return problems
    }
}

/// `HPAScalingPolicy`: at most `value` pods, or `value` percent, of change per `periodSeconds`.
public struct ScalingPolicy: Sendable, Equatable {
    public enum PolicyType: String, Sendable, Equatable {
        case pods = "Pods"
        case percent = "Percent"
    }

    public var type: PolicyType
    /// Greater than zero.
    public var value: Int
    /// 1...1800.
    public var periodSeconds: Int

    public init(type: PolicyType, value: Int, periodSeconds: Int) {
        self.type = type
        self.value = value
        self.periodSeconds = periodSeconds
    }

    public static func pods(_ value: Int, perSeconds periodSeconds: Int) -> ScalingPolicy {
        ScalingPolicy(type: .pods, value: value, periodSeconds: periodSeconds)
    }

    public static func percent(_ value: Int, perSeconds periodSeconds: Int) -> ScalingPolicy {
        ScalingPolicy(type: .percent, value: value, periodSeconds: periodSeconds)
    }
}

/// `ScalingPolicySelect`.
public enum SelectPolicy: String, Sendable, Equatable {
    /// The policy allowing the largest change.
    case max = "Max"
    /// The policy allowing the smallest change.
    case min = "Min"
    /// No scaling in this direction.
    case disabled = "Disabled"
}

/// One direction's rules with every default filled in.
public struct ResolvedScalingRules: Sendable, Equatable {
    public var stabilizationWindowSeconds: Int
    public var selectPolicy: SelectPolicy
    public var policies: [ScalingPolicy]
    /// Only read when the controller enables configurable tolerance.
    public var tolerance: Double?

    public init(
        stabilizationWindowSeconds: Int, selectPolicy: SelectPolicy, policies: [ScalingPolicy], tolerance: Double? = nil
    ) {
        self.stabilizationWindowSeconds = stabilizationWindowSeconds
        self.selectPolicy = selectPolicy
        self.policies = policies
        self.tolerance = tolerance
    }

    /// horizontal.go `getLongestPolicyPeriod`.
    var longestPolicyPeriodSeconds: Int {
        policies.reduce(0) { max($0, $1.periodSeconds) }
    }
}

/// Both directions' rules with every default filled in.
public struct ResolvedBehavior: Sendable, Equatable {
    public var scaleUp: ResolvedScalingRules
    public var scaleDown: ResolvedScalingRules
}

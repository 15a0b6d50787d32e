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

    public init(syncPeriodSeconds: Double = 15, downscaleStabilizationWindowSeconds: Int = 300,
                tolerance: Double = 0.1, configurableToleranceEnabled: Bool = true,
                scaleToZeroEnabled: Bool = false, windowEdge: WindowEdge = .excluded) {
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

/// One HorizontalPodAutoscaler's controller: kubernetes pkg/controller/podautoscaler/horizontal.go
/// `reconcileAutoscaler` and everything it calls, for one HPA, as a value.
///
/// Call `sync` once per sync period (15 s by default) with the time in seconds, the target's current
/// replica count (`scale.spec.replicas`) and one observation per metric; it returns the new count and
/// keeps the recommendation and scale-event history that upstream keeps per HPA key.
///
/// Assumption: every pod is running, ready and reports metrics (see `ReplicaCalculator`); the ready pod
/// count and `scale.status.replicas` are the current count.
///
/// Legacy or behavior path (horizontal.go `reconcileAutoscaler`): upstream branches on
/// `hpa.Spec.Behavior == nil`. The API server leaves an absent `behavior` absent
/// (defaults.go `SetDefaults_HorizontalPodAutoscalerBehavior` fills only a non-nil one), so an HPA
/// written without `behavior` takes `normalizeDesiredReplicas`: the legacy 5-minute scale-down
/// stabilization (`stabilizeRecommendation`, maximum of the window) and at most `max(2 × current, 4)`
/// replicas after a scale-up (`convertDesiredReplicasWithRules`), with no scale-down rate limit and no
/// scale-event history. Any `behavior`, even `{}`, takes `normalizeDesiredReplicasWithBehaviors` with
/// the defaulted rules.
public struct HorizontalPodAutoscalerController: Sendable {
    public let spec: HorizontalPodAutoscalerSpec
    public let configuration: HPAControllerConfiguration
    /// The behavior rules in force, `nil` on the legacy path.
    public let behavior: ResolvedBehavior?

    /// `spec.effectiveMetrics`, kept so that a sync does not build the array again.
    let metrics: [MetricSpec]

    /// horizontal.go `recommendations[key]`; `nil` until the first sync records the initial one.
    /// Changed in place (the oldest entry's slot is reused, as upstream does), so a sync allocates
    /// nothing once the window is full.
    var recommendations: [TimestampedRecommendation]?
    /// horizontal.go `scaleUpEvents[key]` / `scaleDownEvents[key]`.
    var scaleUpEvents: [ScaleEvent] = []
    var scaleDownEvents: [ScaleEvent] = []
    var lastSyncTime: Double?
    /// What the last sync did, for `steadyUntil()` and `skipSteadySyncs(through:)`.
    var lastSync = SyncRecord()

    /// Validates the spec as the API server would, then defaults it.
    public init(spec: HorizontalPodAutoscalerSpec, configuration: HPAControllerConfiguration = HPAControllerConfiguration()) throws {
        let problems = spec.problems(scaleToZeroEnabled: configuration.scaleToZeroEnabled)
        guard problems.isEmpty else { throw AutoscalingError.invalidSpec(problems) }
        self.spec = spec
        self.configuration = configuration
        self.behavior = spec.behavior?.resolved(
            downscaleStabilizationWindowSeconds: configuration.downscaleStabilizationWindowSeconds)
        self.metrics = spec.effectiveMetrics
    }

    /// The tolerances of this HPA (horizontal.go `tolerancesForHpa`).
    public var tolerances: Tolerances {
        var tolerances = Tolerances(configuration.tolerance)
        guard configuration.configurableToleranceEnabled, let behavior else { return tolerances }
        if let down = behavior.scaleDown.tolerance { tolerances.scaleDown = down }
        if let up = behavior.scaleUp.tolerance { tolerances.scaleUp = up }
        return tolerances
    }

    /// One reconciliation (horizontal.go `reconcileAutoscaler`).
    ///
    /// - Parameters:
    ///   - now: seconds on the simulation clock; never earlier than the previous sync.
    ///   - currentReplicas: the target's replica count now (`scale.spec.replicas`).
    ///   - observations: one per metric of `spec.effectiveMetrics`, in order.
    public mutating func sync(at now: Double, currentReplicas: Int, observations: [MetricObservation]) throws -> HPASyncResult {
        let result = try reconcile(at: now, currentReplicas: currentReplicas, observations: observations)
        lastSync.currentReplicas = currentReplicas
        lastSync.keptCount = result.replicas == currentReplicas
        lastSync.stabilized = result.stabilizedReplicas
        return result
    }

    mutating func reconcile(at now: Double, currentReplicas: Int, observations: [MetricObservation]) throws -> HPASyncResult {
        let metrics = self.metrics
        lastSync.recorded = nil
        guard currentReplicas >= 0 else { throw AutoscalingError.negativeReplicas(currentReplicas) }
        guard observations.count == metrics.count else {
            throw AutoscalingError.observationCount(expected: metrics.count, got: observations.count)
        }
        for (index, (metric, observation)) in zip(metrics, observations).enumerated()
        where !Self.observation(observation, fits: metric) {
            throw AutoscalingError.observationKind(index: index, expected: metric.observationName)
        }
        if let previous = lastSyncTime, now < previous {
            throw AutoscalingError.timeWentBackwards(previous: previous, now: now)
        }
        lastSyncTime = now

        // recordInitialRecommendation: the current count, once, before anything else.
        if recommendations == nil {
            recommendations = [TimestampedRecommendation(recommendation: currentReplicas, timestamp: now)]
        }
        let minReplicas = spec.effectiveMinReplicas
        let desired: Int
        let result: HPASyncResult
        if currentReplicas == 0 && minReplicas != 0 {
            // "scaling is disabled since the replica count of the target is zero"
            return HPASyncResult(replicas: 0, metricReplicas: nil, stabilizedReplicas: nil, reason: .scalingDisabled)
        } else if currentReplicas > spec.maxReplicas {
            desired = spec.maxReplicas
            result = HPASyncResult(replicas: desired, metricReplicas: nil, stabilizedReplicas: nil, reason: .aboveMaxReplicas)
        } else if currentReplicas < minReplicas {
            desired = minReplicas
            result = HPASyncResult(replicas: desired, metricReplicas: nil, stabilizedReplicas: nil, reason: .belowMinReplicas)
        } else {
            guard let metricReplicas = try computeReplicasForMetrics(metrics: metrics, observations: observations,
                                                                     currentReplicas: currentReplicas) else {
                return HPASyncResult(replicas: currentReplicas, metricReplicas: nil, stabilizedReplicas: nil,
                                     reason: .invalidMetrics)
            }
            // desiredReplicas starts at 0 and takes the metric proposal when larger.
            let proposal = max(0, metricReplicas)
            let normalized: (replicas: Int, stabilized: Int, reason: HPAScalingReason)
            if let behavior {
                normalized = normalizeDesiredReplicasWithBehaviors(behavior, now: now, currentReplicas: currentReplicas,
                                                                   prenormalized: proposal, minReplicas: minReplicas)
            } else {
                normalized = normalizeDesiredReplicas(now: now, currentReplicas: currentReplicas,
                                                      prenormalized: proposal, minReplicas: minReplicas)
            }
            desired = normalized.replicas
            result = HPASyncResult(replicas: desired, metricReplicas: metricReplicas,
                                   stabilizedReplicas: normalized.stabilized, reason: normalized.reason)
        }
        if desired != currentReplicas {
            storeScaleEvent(now: now, previousReplicas: currentReplicas, newReplicas: desired)
        }
        return result
    }

    // MARK: - Metrics

    /// horizontal.go `computeReplicasForMetrics`: the largest proposal of the valid metrics. `nil` (upstream
    /// returns -1 and an error, and the HPA does not scale) when every metric is invalid, or when some are
    /// invalid and the valid ones would scale below the current count.
    func computeReplicasForMetrics(metrics: [MetricSpec], observations: [MetricObservation],
                                   currentReplicas: Int) throws -> Int? {
        var replicas = 0
        var invalid = 0
        for (index, (metric, observation)) in zip(metrics, observations).enumerated() {
            guard let proposal = try replicasForMetric(metric, observation, index: index,
                                                       currentReplicas: currentReplicas) else {
                invalid += 1
                continue
            }
            if replicas == 0 || proposal > replicas {
                replicas = proposal
            }
        }
        if invalid >= metrics.count || (invalid > 0 && replicas < currentReplicas) {
            return nil
        }
        return replicas
    }

    /// horizontal.go `computeReplicasForMetric` and the `computeStatusFor*Metric` functions: which replica
    /// calculator each metric type and target type uses. `specReplicas`, `statusReplicas` and the ready
    /// pod count are all `currentReplicas` under the all-pods-ready assumption.
    func replicasForMetric(_ metric: MetricSpec, _ observation: MetricObservation, index: Int,
                           currentReplicas: Int) throws -> Int? {
        if observation == .unavailable { return nil }
        let tolerances = self.tolerances
        switch (metric, observation) {
        case (.resource(_, .utilization(let percent)), .resource(let usage, let requests)):
            return ReplicaCalculator.resourceUtilization(currentReplicas: currentReplicas, readyPods: currentReplicas,
                                                         targetPercent: percent, totalUsage: usage,
                                                         totalRequests: requests, tolerances: tolerances)
        case (.resource(_, .averageValue(let target)), .resource(let usage, _)):
            return ReplicaCalculator.averageValue(currentReplicas: currentReplicas, readyPods: currentReplicas,
                                                  target: target, total: usage, tolerances: tolerances)
        case (.pods(_, let target), .pods(let total)):
            return ReplicaCalculator.averageValue(currentReplicas: currentReplicas, readyPods: currentReplicas,
                                                  target: target, total: total, tolerances: tolerances)
        case (.object(_, .value(let target)), .object(let value)):
            return ReplicaCalculator.value(currentReplicas: currentReplicas, readyPods: currentReplicas,
                                           target: target, value: value, tolerances: tolerances)
        case (.object(_, .averageValue(let target)), .object(let value)):
            return ReplicaCalculator.perPodValue(statusReplicas: currentReplicas, target: target, value: value,
                                                 tolerances: tolerances)
        case (.external(_, .value(let target)), .external(let values)):
            return ReplicaCalculator.value(currentReplicas: currentReplicas, readyPods: currentReplicas,
                                           target: target, value: Self.sum(values), tolerances: tolerances)
        case (.external(_, .averageValue(let target)), .external(let values)):
            return ReplicaCalculator.perPodValue(statusReplicas: currentReplicas, target: target,
                                                 value: Self.sum(values), tolerances: tolerances)
        default:
            // `sync` checked every observation against its metric before getting here.
            throw AutoscalingError.observationKind(index: index, expected: metric.observationName)
        }
    }

    /// Whether `observation` is the kind `metric` reads (`.unavailable` fits every metric).
    static func observation(_ observation: MetricObservation, fits metric: MetricSpec) -> Bool {
        switch (metric, observation) {
        case (_, .unavailable), (.resource, .resource), (.pods, .pods), (.object, .object), (.external, .external):
            return true
        default:
            return false
        }
    }

    /// replica_calculator.go `GetExternalMetricReplicas`: the series' sum, capped at `MaxInt64`.
    static func sum(_ values: [MetricQuantity]) -> MetricQuantity {
        var total: Int64 = 0
        for value in values {
            let (sum, overflow) = total.addingReportingOverflow(value.milliValue)
            if overflow { return MetricQuantity(milliValue: .max) }
            total = sum
        }
        return MetricQuantity(milliValue: total)
    }

    // MARK: - Legacy path (no behavior)

    /// horizontal.go `normalizeDesiredReplicas`.
    mutating func normalizeDesiredReplicas(now: Double, currentReplicas: Int, prenormalized: Int,
                                           minReplicas: Int) -> (replicas: Int, stabilized: Int, reason: HPAScalingReason) {
        let stabilized = stabilizeRecommendation(now: now, prenormalized: prenormalized)
        let (replicas, reason) = Self.convertDesiredReplicasWithRules(currentReplicas: currentReplicas,
                                                                      desiredReplicas: stabilized,
                                                                      minReplicas: minReplicas,
                                                                      maxReplicas: spec.maxReplicas)
        return (replicas, stabilized, reason)
    }

    /// horizontal.go `stabilizeRecommendation`: the maximum of this recommendation and those not older
    /// than the downscale stabilization window; this one then replaces the last too-old entry, or is appended.
    mutating func stabilizeRecommendation(now: Double, prenormalized: Int) -> Int {
        var maxRecommendation = prenormalized
        var oldSampleIndex: Int?
        let cutoff = now - Double(configuration.downscaleStabilizationWindowSeconds)
        for index in 0..<(recommendations?.count ?? 0) {
            let record = recommendations![index]
            if isBefore(record.timestamp, cutoff) {
                oldSampleIndex = index
            } else if record.recommendation > maxRecommendation {
                maxRecommendation = record.recommendation
            }
        }
        storeRecommendation(prenormalized, at: now, replacing: oldSampleIndex)
        return maxRecommendation
    }

    /// Puts a recommendation in the slot of `index` (an entry too old to count), or appends it; in
    /// place, so that the log is not copied.
    mutating func storeRecommendation(_ recommendation: Int, at now: Double, replacing index: Int?) {
        let record = TimestampedRecommendation(recommendation: recommendation, timestamp: now)
        if recommendations == nil { recommendations = [] }
        if let index {
            recommendations![index] = record
        } else {
            recommendations!.append(record)
        }
        lastSync.recorded = recommendation
    }

    /// horizontal.go `convertDesiredReplicasWithRules`: below `min` → `min`; above the smaller of `max` and
    /// `calculateScaleUpLimit(current)` → that.
    static func convertDesiredReplicasWithRules(currentReplicas: Int, desiredReplicas: Int, minReplicas: Int,
                                                maxReplicas: Int) -> (Int, HPAScalingReason) {
        let scaleUpLimit = calculateScaleUpLimit(currentReplicas: currentReplicas)
        let maximumAllowed: Int
        var limitingReason: HPAScalingReason
        if maxReplicas > scaleUpLimit {
            maximumAllowed = scaleUpLimit
            limitingReason = .scaleUpLimit
        } else {
            maximumAllowed = maxReplicas
            limitingReason = .tooManyReplicas
        }
        if desiredReplicas < minReplicas {
            limitingReason = .tooFewReplicas
            return (minReplicas, limitingReason)
        } else if desiredReplicas > maximumAllowed {
            return (maximumAllowed, limitingReason)
        }
        return (desiredReplicas, .desiredWithinRange)
    }

    /// horizontal.go `calculateScaleUpLimit`: `int32(max(scaleUpLimitFactor × current, scaleUpLimitMinimum))`
    /// with factor 2.0 and minimum 4.0.
    static func calculateScaleUpLimit(currentReplicas: Int) -> Int {
        Int(max(2.0 * Double(currentReplicas), 4.0))
    }

    // MARK: - Behavior path

    /// horizontal.go `normalizeDesiredReplicasWithBehaviors`: stabilize, then apply the rate limits and bounds.
    mutating func normalizeDesiredReplicasWithBehaviors(_ behavior: ResolvedBehavior, now: Double, currentReplicas: Int,
                                                        prenormalized: Int, minReplicas: Int)
        -> (replicas: Int, stabilized: Int, reason: HPAScalingReason) {
        let stabilized = stabilizeRecommendationWithBehaviors(behavior, now: now, currentReplicas: currentReplicas,
                                                              desiredReplicas: prenormalized)
        let (replicas, reason) = convertDesiredReplicasWithBehaviorRate(behavior, now: now,
                                                                        currentReplicas: currentReplicas,
                                                                        desiredReplicas: stabilized,
                                                                        minReplicas: minReplicas,
                                                                        maxReplicas: spec.maxReplicas)
        return (replicas, stabilized, reason)
    }

    /// horizontal.go `stabilizeRecommendationWithBehaviors`: the up-recommendation is the minimum of the
    /// recommendations inside the scale-up window, the down-recommendation the maximum inside the
    /// scale-down window (both include this one); the current count moves toward them, no further.
    /// This recommendation replaces the last entry older than both windows, or is appended.
    mutating func stabilizeRecommendationWithBehaviors(_ behavior: ResolvedBehavior, now: Double, currentReplicas: Int,
                                                       desiredReplicas: Int) -> Int {
        var upRecommendation = desiredReplicas
        let upCutoff = now - Double(behavior.scaleUp.stabilizationWindowSeconds)
        var downRecommendation = desiredReplicas
        let downCutoff = now - Double(behavior.scaleDown.stabilizationWindowSeconds)
        var oldSampleIndex: Int?
        for index in 0..<(recommendations?.count ?? 0) {
            let record = recommendations![index]
            if record.timestamp > upCutoff {
                upRecommendation = min(record.recommendation, upRecommendation)
            }
            if record.timestamp > downCutoff {
                downRecommendation = max(record.recommendation, downRecommendation)
            }
            if isBefore(record.timestamp, upCutoff) && isBefore(record.timestamp, downCutoff) {
                oldSampleIndex = index
            }
        }
        var recommendation = currentReplicas
        if recommendation < upRecommendation {
            recommendation = upRecommendation
        }
        if recommendation > downRecommendation {
            recommendation = downRecommendation
        }
        storeRecommendation(desiredReplicas, at: now, replacing: oldSampleIndex)
        return recommendation
    }

    /// horizontal.go `convertDesiredReplicasWithBehaviorRate`: the policies' limit, never past the current
    /// count the wrong way, then `maxReplicas` / `minReplicas`.
    func convertDesiredReplicasWithBehaviorRate(_ behavior: ResolvedBehavior, now: Double, currentReplicas: Int,
                                                desiredReplicas: Int, minReplicas: Int,
                                                maxReplicas: Int) -> (Int, HPAScalingReason) {
        if desiredReplicas > currentReplicas {
            var scaleUpLimit = calculateScaleUpLimitWithScalingRules(currentReplicas: currentReplicas, now: now,
                                                                     rules: behavior.scaleUp)
            if scaleUpLimit < currentReplicas {
                // "We shouldn't scale up further until the scaleUpEvents will be cleaned up"
                scaleUpLimit = currentReplicas
            }
            var maximumAllowed = maxReplicas
            let reason: HPAScalingReason
            if maximumAllowed > scaleUpLimit {
                maximumAllowed = scaleUpLimit
                reason = .scaleUpLimit
            } else {
                reason = .tooManyReplicas
            }
            if desiredReplicas > maximumAllowed {
                return (maximumAllowed, reason)
            }
        } else if desiredReplicas < currentReplicas {
            var scaleDownLimit = calculateScaleDownLimitWithBehaviors(currentReplicas: currentReplicas, now: now,
                                                                      rules: behavior.scaleDown)
            if scaleDownLimit > currentReplicas {
                // "We shouldn't scale down further until the scaleDownEvents will be cleaned up"
                scaleDownLimit = currentReplicas
            }
            var minimumAllowed = minReplicas
            let reason: HPAScalingReason
            if minimumAllowed < scaleDownLimit {
                minimumAllowed = scaleDownLimit
                reason = .scaleDownLimit
            } else {
                reason = .tooFewReplicas
            }
            if desiredReplicas < minimumAllowed {
                return (minimumAllowed, reason)
            }
        }
        return (desiredReplicas, .desiredWithinRange)
    }

    /// horizontal.go `calculateScaleUpLimitWithScalingRules`: per policy, the count at the start of its
    /// period (`current − added + deleted` within the period) plus `value` pods, or times
    /// `1 + value/100` rounded up; `Max` takes the largest, `Min` the smallest, `Disabled` the current count.
    func calculateScaleUpLimitWithScalingRules(currentReplicas: Int, now: Double, rules: ResolvedScalingRules) -> Int {
        let select: (Int, Int) -> Int
        var result: Int
        switch rules.selectPolicy {
        case .disabled:
            return currentReplicas
        case .min:
            result = Int(Int32.max)
            select = { Swift.min($0, $1) }
        case .max:
            result = Int(Int32.min)
            select = { Swift.max($0, $1) }
        }
        for policy in rules.policies {
            let periodStartReplicas = replicasAtPeriodStart(currentReplicas, periodSeconds: policy.periodSeconds, now: now)
            let proposed: Int
            switch policy.type {
            case .pods:
                proposed = periodStartReplicas + policy.value
            case .percent:
                // "rounded up because the proposed change might not increase the replica count"
                proposed = Self.truncatingToInt32(
                    (Double(periodStartReplicas) * (1 + Double(policy.value) / 100)).rounded(.up))
            }
            result = select(result, proposed)
        }
        return result
    }

    /// The replica count at the start of a policy's period: the current count less the pods
    /// added and plus the pods removed within it (horizontal.go, both limit functions).
    func replicasAtPeriodStart(_ currentReplicas: Int, periodSeconds: Int, now: Double) -> Int {
        let added = replicasChangePerPeriod(periodSeconds: periodSeconds, events: scaleUpEvents, now: now)
        let deleted = replicasChangePerPeriod(periodSeconds: periodSeconds, events: scaleDownEvents, now: now)
        return currentReplicas - added + deleted
    }

    /// horizontal.go `calculateScaleDownLimitWithBehaviors`: per policy, the count at the start of its
    /// period minus `value` pods, or times `1 − value/100` truncated; `Max` takes the smallest count
    /// (largest change), `Min` the largest, `Disabled` the current count.
    func calculateScaleDownLimitWithBehaviors(currentReplicas: Int, now: Double, rules: ResolvedScalingRules) -> Int {
        let select: (Int, Int) -> Int
        var result: Int
        switch rules.selectPolicy {
        case .disabled:
            return currentReplicas
        case .min:
            result = Int(Int32.min)
            select = { Swift.max($0, $1) }
        case .max:
            result = Int(Int32.max)
            select = { Swift.min($0, $1) }
        }
        for policy in rules.policies {
            let periodStartReplicas = replicasAtPeriodStart(currentReplicas, periodSeconds: policy.periodSeconds, now: now)
            let proposed: Int
            switch policy.type {
            case .pods:
                proposed = periodStartReplicas - policy.value
            case .percent:
                proposed = Self.truncatingToInt32(Double(periodStartReplicas) * (1 - Double(policy.value) / 100))
            }
            result = select(result, proposed)
        }
        return result
    }

    /// horizontal.go `getReplicasChangePerPeriod`: the changes of events strictly newer than `now − period`.
    func replicasChangePerPeriod(periodSeconds: Int, events: [ScaleEvent], now: Double) -> Int {
        let cutoff = now - Double(periodSeconds)
        return events.reduce(0) { $1.timestamp > cutoff ? $0 + $1.replicaChange : $0 }
    }

    /// horizontal.go `storeScaleEvent` (only with a behavior): mark events older than the direction's
    /// longest policy period outdated (`markScaleEventsOutdated`), then put the new event in the last
    /// outdated slot, or append it.
    mutating func storeScaleEvent(now: Double, previousReplicas: Int, newReplicas: Int) {
        guard let behavior else { return }
        if newReplicas > previousReplicas {
            Self.store(ScaleEvent(replicaChange: newReplicas - previousReplicas, timestamp: now, outdated: false),
                       in: &scaleUpEvents, longestPeriod: behavior.scaleUp.longestPolicyPeriodSeconds,
                       now: now, edge: configuration.windowEdge)
        } else {
            Self.store(ScaleEvent(replicaChange: previousReplicas - newReplicas, timestamp: now, outdated: false),
                       in: &scaleDownEvents, longestPeriod: behavior.scaleDown.longestPolicyPeriodSeconds,
                       now: now, edge: configuration.windowEdge)
        }
    }

    static func store(_ event: ScaleEvent, in events: inout [ScaleEvent], longestPeriod: Int, now: Double,
                      edge: WindowEdge) {
        let cutoff = now - Double(longestPeriod)
        var oldSampleIndex: Int?
        for index in events.indices {
            if isBefore(events[index].timestamp, cutoff, edge: edge) {
                events[index].outdated = true
            }
            if events[index].outdated {
                oldSampleIndex = index
            }
        }
        if let oldSampleIndex {
            events[oldSampleIndex] = event
        } else {
            events.append(event)
        }
    }

    /// Go's `timestamp.Before(cutoff)` under `configuration.windowEdge`.
    func isBefore(_ timestamp: Double, _ cutoff: Double) -> Bool {
        Self.isBefore(timestamp, cutoff, edge: configuration.windowEdge)
    }

    static func isBefore(_ timestamp: Double, _ cutoff: Double, edge: WindowEdge) -> Bool {
        switch edge {
        case .excluded: return timestamp <= cutoff
        case .literal: return timestamp < cutoff
        }
    }

    /// Go's `int32(f)` for the values these limits produce: truncation toward zero.
    static func truncatingToInt32(_ value: Double) -> Int {
        if value.isNaN { return 0 }
        if value >= Double(Int32.max) { return Int(Int32.max) }
        if value <= Double(Int32.min) { return Int(Int32.min) }
        return Int(value)
    }
}

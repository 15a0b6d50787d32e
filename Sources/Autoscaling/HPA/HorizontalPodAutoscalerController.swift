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
    public init(
        spec: HorizontalPodAutoscalerSpec, configuration: HPAControllerConfiguration = HPAControllerConfiguration()
    ) throws {
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
    public mutating func sync(at now: Double, currentReplicas: Int, observations: [MetricObservation]) throws
        -> HPASyncResult
    {
        let result = try reconcile(at: now, currentReplicas: currentReplicas, observations: observations)
        lastSync.currentReplicas = currentReplicas
        lastSync.keptCount = result.replicas == currentReplicas
        lastSync.stabilized = result.stabilizedReplicas
        return result
    }

    mutating func reconcile(at now: Double, currentReplicas: Int, observations: [MetricObservation]) throws
        -> HPASyncResult
    {
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
            result = HPASyncResult(
                replicas: desired, metricReplicas: nil, stabilizedReplicas: nil, reason: .aboveMaxReplicas)
        } else if currentReplicas < minReplicas {
            desired = minReplicas
            result = HPASyncResult(
                replicas: desired, metricReplicas: nil, stabilizedReplicas: nil, reason: .belowMinReplicas)
        } else {
            guard
                let metricReplicas = try computeReplicasForMetrics(
                    metrics: metrics, observations: observations,
                    currentReplicas: currentReplicas)
            else {
                return HPASyncResult(
                    replicas: currentReplicas, metricReplicas: nil, stabilizedReplicas: nil,
                    reason: .invalidMetrics)
            }
            // desiredReplicas starts at 0 and takes the metric proposal when larger.
            let proposal = max(0, metricReplicas)
            let normalized: (replicas: Int, stabilized: Int, reason: HPAScalingReason)
            if let behavior {
                normalized = normalizeDesiredReplicasWithBehaviors(
                    behavior, now: now, currentReplicas: currentReplicas,
                    prenormalized: proposal, minReplicas: minReplicas)
            } else {
                normalized = normalizeDesiredReplicas(
                    now: now, currentReplicas: currentReplicas,
                    prenormalized: proposal, minReplicas: minReplicas)
            }
            desired = normalized.replicas
            result = HPASyncResult(
                replicas: desired, metricReplicas: metricReplicas,
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
    func computeReplicasForMetrics(
        metrics: [MetricSpec], observations: [MetricObservation],
        currentReplicas: Int
    ) throws -> Int? {
        var replicas = 0
        var invalid = 0
        for (index, (metric, observation)) in zip(metrics, observations).enumerated() {
            guard
                let proposal = try replicasForMetric(
                    metric, observation, index: index,
                    currentReplicas: currentReplicas)
            else {
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
    func replicasForMetric(
        _ metric: MetricSpec, _ observation: MetricObservation, index: Int,
        currentReplicas: Int
    ) throws -> Int? {
        if observation == .unavailable { return nil }
        let tolerances = self.tolerances
        switch (metric, observation) {
        case (.resource(_, .utilization(let percent)), .resource(let usage, let requests)):
            return ReplicaCalculator.resourceUtilization(
                currentReplicas: currentReplicas, readyPods: currentReplicas,
                targetPercent: percent, totalUsage: usage,
                totalRequests: requests, tolerances: tolerances)
        case (.resource(_, .averageValue(let target)), .resource(let usage, _)):
            return ReplicaCalculator.averageValue(
                currentReplicas: currentReplicas, readyPods: currentReplicas,
                target: target, total: usage, tolerances: tolerances)
        case (.pods(_, let target), .pods(let total)):
            return ReplicaCalculator.averageValue(
                currentReplicas: currentReplicas, readyPods: currentReplicas,
                target: target, total: total, tolerances: tolerances)
        case (.object(_, .value(let target)), .object(let value)):
            return ReplicaCalculator.value(
                currentReplicas: currentReplicas, readyPods: currentReplicas,
                target: target, value: value, tolerances: tolerances)
        case (.object(_, .averageValue(let target)), .object(let value)):
            return ReplicaCalculator.perPodValue(
                statusReplicas: currentReplicas, target: target, value: value,
                tolerances: tolerances)
        case (.external(_, .value(let target)), .external(let values)):
            return ReplicaCalculator.value(
                currentReplicas: currentReplicas, readyPods: currentReplicas,
                target: target, value: Self.sum(values), tolerances: tolerances)
        case (.external(_, .averageValue(let target)), .external(let values)):
            return ReplicaCalculator.perPodValue(
                statusReplicas: currentReplicas, target: target,
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
    mutating func normalizeDesiredReplicas(
        now: Double, currentReplicas: Int, prenormalized: Int,
        minReplicas: Int
    ) -> (replicas: Int, stabilized: Int, reason: HPAScalingReason) {
        let stabilized = stabilizeRecommendation(now: now, prenormalized: prenormalized)
        let (replicas, reason) = Self.convertDesiredReplicasWithRules(
            currentReplicas: currentReplicas,
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
    static func convertDesiredReplicasWithRules(
        currentReplicas: Int, desiredReplicas: Int, minReplicas: Int,
        maxReplicas: Int
    ) -> (Int, HPAScalingReason) {
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
}

/// The behavior path of `reconcileAutoscaler` (horizontal.go `normalizeDesiredReplicasWithBehaviors`
/// and what it calls): stabilization windows, scaling policies and the scale events they count.
extension HorizontalPodAutoscalerController {
    /// horizontal.go `normalizeDesiredReplicasWithBehaviors`: stabilize, then apply the rate limits and bounds.
    mutating func normalizeDesiredReplicasWithBehaviors(
        _ behavior: ResolvedBehavior, now: Double, currentReplicas: Int,
        prenormalized: Int, minReplicas: Int
    )
        -> (replicas: Int, stabilized: Int, reason: HPAScalingReason)
    {
        let stabilized = stabilizeRecommendationWithBehaviors(
            behavior, now: now, currentReplicas: currentReplicas,
            desiredReplicas: prenormalized)
        let (replicas, reason) = convertDesiredReplicasWithBehaviorRate(
            behavior, now: now,
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
    mutating func stabilizeRecommendationWithBehaviors(
        _ behavior: ResolvedBehavior, now: Double, currentReplicas: Int,
        desiredReplicas: Int
    ) -> Int {
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
    func convertDesiredReplicasWithBehaviorRate(
        _ behavior: ResolvedBehavior, now: Double, currentReplicas: Int,
        desiredReplicas: Int, minReplicas: Int,
        maxReplicas: Int
    ) -> (Int, HPAScalingReason) {
        if desiredReplicas > currentReplicas {
            var scaleUpLimit = calculateScaleUpLimitWithScalingRules(
                currentReplicas: currentReplicas, now: now,
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
            var scaleDownLimit = calculateScaleDownLimitWithBehaviors(
                currentReplicas: currentReplicas, now: now,
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
            let periodStartReplicas = replicasAtPeriodStart(
                currentReplicas, periodSeconds: policy.periodSeconds, now: now)
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
            let periodStartReplicas = replicasAtPeriodStart(
                currentReplicas, periodSeconds: policy.periodSeconds, now: now)
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
            Self.store(
                ScaleEvent(replicaChange: newReplicas - previousReplicas, timestamp: now, outdated: false),
                in: &scaleUpEvents, longestPeriod: behavior.scaleUp.longestPolicyPeriodSeconds,
                now: now, edge: configuration.windowEdge)
        } else {
            Self.store(
                ScaleEvent(replicaChange: previousReplicas - newReplicas, timestamp: now, outdated: false),
                in: &scaleDownEvents, longestPeriod: behavior.scaleDown.longestPolicyPeriodSeconds,
                now: now, edge: configuration.windowEdge)
        }
    }

    static func store(
        _ event: ScaleEvent, in events: inout [ScaleEvent], longestPeriod: Int, now: Double,
        edge: WindowEdge
    ) {
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

/// What one sync did, as far as later syncs with the same inputs depend on it.
struct SyncRecord: Sendable, Equatable {
    /// The count the sync was given, and whether it returned that count.
    var currentReplicas = 0
    var keptCount = false
    /// The recommendation it put in the log; nil when it returned before stabilizing (scaling
    /// disabled, metrics invalid, outside the bounds).
    var recorded: Int?
    /// The stabilized recommendation, before rate limits and bounds.
    var stabilized: Int?
}

/// Skipping syncs whose answer is known.
///
/// A sync's answer depends on the current count, the observations, the recommendations inside the
/// stabilization windows (only through their minimum and maximum) and the scale events inside the
/// policy periods. When a sync keeps the count, a later sync given the same count and the same
/// observations records the same recommendation and computes the same proposal, so it can only
/// answer differently once an entry that differs from that recommendation leaves its window, or a
/// scale event leaves a policy period (which matters only when the stabilized count differs from
/// the current one, that is when a rate limit or bound held it). Entries too old for every window
/// never count again, so recording one entry for a run of skipped syncs, at the last one, leaves
/// the same values in every window as recording each.
extension HorizontalPodAutoscalerController {
    /// After a sync that kept the count: the earliest time at which a sync given the same count and
    /// the same observations could answer differently (`.infinity` when none can). After a sync that
    /// changed the count, or before any: the last sync's time (nothing may be skipped).
    public func steadyUntil() -> Double {
        guard let now = lastSyncTime else { return -.infinity }
        guard lastSync.keptCount else { return now }
        guard let recorded = lastSync.recorded else { return .infinity }
        var until = Double.infinity
        let log = recommendations ?? []
        if let behavior {
            // The up-recommendation is the minimum of the up window, the down-recommendation the
            // maximum of the down window: only smaller entries of the one and larger of the other count.
            let up = Double(behavior.scaleUp.stabilizationWindowSeconds)
            let down = Double(behavior.scaleDown.stabilizationWindowSeconds)
            for record in log {
                if record.recommendation < recorded && record.timestamp > now - up {
                    until = min(until, record.timestamp + up)
                }
                if record.recommendation > recorded && record.timestamp > now - down {
                    until = min(until, record.timestamp + down)
                }
            }
            if lastSync.stabilized != lastSync.currentReplicas {
                until = min(
                    until, Self.firstExpiry(of: scaleUpEvents, in: behavior.scaleUp, after: now),
                    Self.firstExpiry(of: scaleDownEvents, in: behavior.scaleDown, after: now))
            }
        } else {
            // The legacy window's maximum: only larger entries count.
            let window = Double(configuration.downscaleStabilizationWindowSeconds)
            for record in log where record.recommendation > recorded && !isBefore(record.timestamp, now - window) {
                until = min(until, record.timestamp + window)
            }
        }
        return until
    }

    /// When the first of `events` leaves one of the policy periods it still counts in.
    static func firstExpiry(of events: [ScaleEvent], in rules: ResolvedScalingRules, after now: Double) -> Double {
        var first = Double.infinity
        for event in events {
            for policy in rules.policies where event.timestamp + Double(policy.periodSeconds) > now {
                first = min(first, event.timestamp + Double(policy.periodSeconds))
            }
        }
        return first
    }

    /// Records the syncs after the last one, up to and including `time`, as if each had been given the
    /// same count and observations (so each kept the count): one log entry at `time`. Call it only for
    /// syncs before `steadyUntil()`.
    public mutating func skipSteadySyncs(through time: Double) {
        guard let now = lastSyncTime, time > now, lastSync.keptCount else { return }
        if let recorded = lastSync.recorded {
            // The slot a sync at `time` would take: the last entry too old for every window.
            let upCutoff: Double
            let downCutoff: Double
            if let behavior {
                upCutoff = time - Double(behavior.scaleUp.stabilizationWindowSeconds)
                downCutoff = time - Double(behavior.scaleDown.stabilizationWindowSeconds)
            } else {
                upCutoff = time - Double(configuration.downscaleStabilizationWindowSeconds)
                downCutoff = upCutoff
            }
            var oldSampleIndex: Int?
            for index in 0..<(recommendations?.count ?? 0) {
                let timestamp = recommendations![index].timestamp
                if isBefore(timestamp, upCutoff) && isBefore(timestamp, downCutoff) { oldSampleIndex = index }
            }
            storeRecommendation(recorded, at: time, replacing: oldSampleIndex)
        }
        lastSyncTime = time
    }
}

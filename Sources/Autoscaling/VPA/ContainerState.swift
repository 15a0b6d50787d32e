/// How CPU usage samples are weighted in the CPU histogram (before decay).
public enum CPUSampleWeighting: Sendable, Equatable {
    /// Every sample weighs `minSampleWeight` (0.1): what the upstream recommender does in practice.
    /// model/aggregate_container_state.go `addCPUSample` weighs by `max(sample.Request, minSampleWeight)`,
    /// but the cluster feeder never sets `Request`, so it is always 0 (kubernetes/autoscaler issue #7818,
    /// reported on VPA 1.3.0); later versions dropped the field from `ContainerUsageSample`.
    case minimumWeight
    /// `max(request in cores, 0.1)`, as aggregate_container_state.go's comment intends ("whenever the
    /// request is increased, the history accumulated so far effectively decays").
    case request
}

/// model/aggregate_container_state.go `AggregateContainerState`: the CPU histogram, the memory-peak
/// histogram, and the CPU sample count and first/last sample times that confidence is measured on.
struct AggregateContainerState: Sendable, Equatable {
    var cpuUsage: DecayingHistogram
    var memoryPeaks: DecayingHistogram
    /// First and last CPU sample start, and the CPU sample count ("based only on CPU samples").
    var firstSampleStart: Double?
    var lastSampleStart: Double?
    var totalSamplesCount = 0
    var creationTime: Double

    init(configuration: VPARecommenderConfiguration, creationTime: Double) {
        self.cpuUsage = DecayingHistogram(
            options: configuration.cpuHistogramOptions,
            halfLifeSeconds: configuration.cpuHistogramDecayHalfLifeSeconds)
        self.memoryPeaks = DecayingHistogram(
            options: configuration.memoryHistogramOptions,
            halfLifeSeconds: configuration.memoryHistogramDecayHalfLifeSeconds)
        self.creationTime = creationTime
    }

    /// aggregate_container_state.go `addCPUSample`.
    mutating func addCPUSample(
        at time: Double, usageMillicores: Int64, requestMillicores: Int64,
        weighting: CPUSampleWeighting
    ) {
        addCPUSample(
            at: time, bucket: cpuBucket(usageMillicores), requestMillicores: requestMillicores, weighting: weighting)
    }

    /// The CPU histogram's bucket of a usage in millicores.
    func cpuBucket(_ usageMillicores: Int64) -> Int {
        cpuUsage.histogram.options.findBucket(Double(usageMillicores) / 1000.0)
    }

    /// `addCPUSample` for a usage whose bucket is known.
    mutating func addCPUSample(at time: Double, bucket: Int, requestMillicores: Int64, weighting: CPUSampleWeighting) {
        addCPUSamples(
            from: time, every: 1, count: 1, bucket: bucket, requestMillicores: requestMillicores, weighting: weighting)
    }

    /// `addCPUSample(at:bucket:…)` at `start + k × interval` for `k` in `0..<count`, times growing
    /// (`interval > 0`): the same histogram, count and first and last times.
    mutating func addCPUSamples(
        from start: Double, every interval: Double, count: Int, bucket: Int, requestMillicores: Int64,
        weighting: CPUSampleWeighting
    ) {
        guard count > 0 else { return }
        precondition(interval > 0, "samples in time order")
        let requestCores: Double
        switch weighting {
        case .minimumWeight: requestCores = 0
        case .request: requestCores = Double(requestMillicores) / 1000.0
        }
        cpuUsage.addSamples(
            bucket: bucket, weight: max(requestCores, VPARecommenderConfiguration.minSampleWeight), from: start,
            every: interval, count: count)
        let last = start + Double(count - 1) * interval
        if lastSampleStart.map({ last > $0 }) ?? true {
            lastSampleStart = last
        }
        if firstSampleStart.map({ start < $0 }) ?? true {
            firstSampleStart = start
        }
        totalSamplesCount += count
    }

    /// aggregate_container_state.go `AddSample` for memory: weight 1.
    mutating func addMemoryPeak(_ bytes: Int64, at time: Double) {
        memoryPeaks.addSample(Double(bytes), weight: 1.0, at: time)
    }

    /// aggregate_container_state.go `SubtractSample` (memory only).
    mutating func subtractMemoryPeak(_ bytes: Int64, at time: Double) {
        memoryPeaks.subtractSample(Double(bytes), weight: 1.0, at: time)
    }

    /// aggregate_container_state.go `isExpired`: no CPU sample (or, never having had one, no creation)
    /// within the memory aggregation window (8 × 24 h); the recommender's garbage collection then drops it.
    func isExpired(at now: Double, windowSeconds: Double) -> Bool {
        if totalSamplesCount == 0 {
            return now - creationTime >= windowSeconds
        }
        return now - (lastSampleStart ?? creationTime) >= windowSeconds
    }

    /// logic/estimator.go `getConfidence`: `min(days between the first and last CPU sample,
    /// CPU samples / minutes per day)`; a steady sample a minute for N days gives N.
    func confidence(intervalSeconds: Double) -> Double {
        let lifespan = (lastSampleStart ?? 0) - (firstSampleStart ?? 0)
        let lifespanInIntervals = lifespan / intervalSeconds
        let samplesAmount = Double(totalSamplesCount) / (intervalSeconds / 60)
        return min(lifespanInIntervals, samplesAmount)
    }
}

/// model/container.go `ContainerState`: one pod's container, which feeds the aggregate: deduplicates
/// CPU samples and keeps its memory peak for the current aggregation interval.
struct ContainerState: Sendable, Equatable {
    var lastCPUSampleStart: Double?
    /// The largest usage in the current interval, and the largest OOM-derived sample in it.
    var memoryPeak: Int64 = 0
    var oomPeak: Int64 = 0
    /// End (exclusive) of the current memory aggregation interval.
    var windowEnd: Double?
    var lastMemorySampleStart: Double?

    /// container.go `addCPUSample`: discard negative usage and samples not after the last one.
    /// `bucket`, when given, is the CPU histogram's bucket of `usageMillicores`.
    mutating func addCPUSample(
        at time: Double, usageMillicores: Int64, requestMillicores: Int64,
        into aggregate: inout AggregateContainerState, weighting: CPUSampleWeighting,
        bucket: Int? = nil
    ) -> Bool {
        guard usageMillicores >= 0, lastCPUSampleStart.map({ time > $0 }) ?? true else {
            return false
        }
        aggregate.addCPUSample(
            at: time, bucket: bucket ?? aggregate.cpuBucket(usageMillicores), requestMillicores: requestMillicores,
            weighting: weighting)
        lastCPUSampleStart = time
        return true
    }

    var maxMemoryPeak: Int64 { max(memoryPeak, oomPeak) }

    /// `addMemorySample` (not an OOM) of the same usage at `start + k × interval` for `k` in
    /// `0..<count`, times growing (`interval > 0`), none before this pod's previous memory sample. Only
    /// the first sample of each aggregation interval can change a peak: after it the interval's peak is
    /// at least this usage (or 0, which upstream never replaces within the interval), so the samples
    /// after it in the same interval only move the last sample's time, which is all they do here.
    mutating func addSteadyMemorySamples(
        from start: Double, every interval: Double, count: Int, usageBytes: Int64,
        intervalSeconds: Double, into aggregate: inout AggregateContainerState
    ) {
        precondition(interval > 0 && lastMemorySampleStart.map({ start >= $0 }) ?? true, "samples in time order")
        var k = 0
        while k < count {
            _ = addMemorySample(
                at: start + Double(k) * interval, usageBytes: usageBytes, isOOM: false,
                intervalSeconds: intervalSeconds,
                into: &aggregate)
            k += 1
            guard let end = windowEnd, k < count else { continue }
            // The first sample at or after the interval's end, or the stretch's end.
            var next = count
            if start + Double(count - 1) * interval >= end {
                next = Int(Swift.max(Double(k), Swift.min(Double(count - 1), ((end - start) / interval).rounded(.up))))
                while next > k && start + Double(next - 1) * interval >= end { next -= 1 }
                while next < count && start + Double(next) * interval < end { next += 1 }
            }
            if next > k { lastMemorySampleStart = start + Double(next - 1) * interval }
            k = next
        }
    }

    /// container.go `addMemorySample`: one peak per aggregation interval. The first sample opens an
    /// interval `[t, t + interval)`; a larger sample inside it replaces the interval's peak in the
    /// histogram (subtract the old, add the new); a sample past it opens the interval containing it.
    /// Peaks enter the histogram at the interval's end time, weight 1.
    mutating func addMemorySample(
        at time: Double, usageBytes: Int64, isOOM: Bool, intervalSeconds: Double,
        into aggregate: inout AggregateContainerState
    ) -> Bool {
        guard usageBytes >= 0 else { return false }
        if !isOOM, let last = lastMemorySampleStart, time < last {
            return false  // outdated
        }
        lastMemorySampleStart = time
        if windowEnd == nil {
            windowEnd = time
        }
        var addNewPeak = false
        if time < windowEnd! {
            let oldMaxMemory = maxMemoryPeak
            if oldMaxMemory != 0 && usageBytes > oldMaxMemory {
                aggregate.subtractMemoryPeak(oldMaxMemory, at: windowEnd!)
                addNewPeak = true
            }
        } else {
            // shift := ts.Sub(WindowEnd).Truncate(interval) + interval
            let elapsed = time - windowEnd!
            let shift = elapsed - elapsed.truncatingRemainder(dividingBy: intervalSeconds) + intervalSeconds
            windowEnd! += shift
            memoryPeak = 0
            oomPeak = 0
            addNewPeak = true
        }
        if addNewPeak {
            aggregate.addMemoryPeak(usageBytes, at: windowEnd!)
            if isOOM {
                oomPeak = usageBytes
            } else {
                memoryPeak = usageBytes
            }
        }
        return true
    }

    /// container.go `RecordOOM`: an artificial memory sample of
    /// `max(memoryUsed + OOMMinBumpUp, int(memoryUsed × OOMBumpUpRatio))` with
    /// `memoryUsed = max(request, this interval's usage peak)` (the OOM peak is left out on purpose, against
    /// runaway on repeated OOMs). Rejected when older than the interval before the current one.
    mutating func recordOOM(
        at time: Double, memoryRequestBytes: Int64, configuration: VPARecommenderConfiguration,
        into aggregate: inout AggregateContainerState
    ) -> Bool {
        if let windowEnd, time < windowEnd - configuration.memoryAggregationIntervalSeconds {
            return false  // "OOM event will be discarded - it is too old"
        }
        let memoryUsed = max(memoryRequestBytes, memoryPeak)
        let memoryNeeded = max(
            memoryUsed + ResourceAmount.fromFloat(configuration.oomMinBumpUpBytes),
            ResourceAmount.scale(memoryUsed, by: configuration.oomBumpUpRatio))
        return addMemorySample(
            at: time, usageBytes: memoryNeeded, isOOM: true,
            intervalSeconds: configuration.memoryAggregationIntervalSeconds, into: &aggregate)
    }
}

/// model/types.go `ResourceAmount` conversions: millicores or bytes as `Int64`, clamped to
/// `[0, MaxResourceAmount = 1e14]`, fractions truncated.
enum ResourceAmount {
    static let max: Int64 = 100_000_000_000_000

    /// types.go `resourceAmountFromFloat`. Go converts NaN to an undefined int64 (the minimum on amd64,
    /// 0 on arm64); both end up at the per-pod minimum after `WithMinResource`, so NaN maps to 0 here.
    static func fromFloat(_ value: Double) -> Int64 {
        if value.isNaN { return 0 }
        if value < 0 { return 0 }
        if value > Double(max) { return max }
        return Int64(value)
    }

    /// types.go `ScaleResource`.
    static func scale(_ quantity: Int64, by factor: Double) -> Int64 {
        fromFloat(Double(quantity) * factor)
    }

    /// types.go `CPUAmountFromCores`.
    static func cpuFromCores(_ cores: Double) -> Int64 {
        fromFloat(cores * 1000.0)
    }
}

import Foundation

/// The VPA recommender's settings, upstream defaults throughout.
///
/// Sources: kubernetes/autoscaler vertical-pod-autoscaler/pkg/recommender/model/aggregations_config.go
/// (histograms, decay, memory aggregation, OOM bump), logic/recommender.go and the recommender's flags
/// (`--recommendation-margin-fraction`, `--pod-recommendation-min-cpu-millicores`,
/// `--pod-recommendation-min-memory-mb`, `--target-cpu-percentile` …, confidence interval 24 h).
public struct VPARecommenderConfiguration: Sendable, Equatable {
    /// `--recommendation-margin-fraction`, 0.15.
    public var safetyMarginFraction: Double = 0.15
    /// `--pod-recommendation-min-cpu-millicores`, 25, split equally over the pod's containers.
    public var podMinCPUMillicores: Double = 25
    /// `--pod-recommendation-min-memory-mb`, 250 (MiB: upstream multiplies by 1024 × 1024).
    public var podMinMemoryMb: Double = 250
    public var targetCPUPercentile: Double = 0.9
    public var lowerBoundCPUPercentile: Double = 0.5
    public var upperBoundCPUPercentile: Double = 0.95
    public var targetMemoryPercentile: Double = 0.9
    public var lowerBoundMemoryPercentile: Double = 0.5
    public var upperBoundMemoryPercentile: Double = 0.95
    /// The unit confidence is counted in (24 h): one sample a minute for one interval gives confidence 1.
    public var confidenceIntervalCPUSeconds: Double = 86_400
    public var confidenceIntervalMemorySeconds: Double = 86_400
    /// aggregations_config.go `DefaultMemoryAggregationInterval`, 24 h: one memory peak per interval.
    public var memoryAggregationIntervalSeconds: Double = 86_400
    /// aggregations_config.go `DefaultMemoryAggregationIntervalCount`, 8: the window after which an
    /// aggregate without CPU samples expires. Peaks are not dropped after 8 intervals; they decay.
    public var memoryAggregationIntervalCount: Int = 8
    /// `DefaultCPUHistogramDecayHalfLife` and `DefaultMemoryHistogramDecayHalfLife`, 24 h.
    public var cpuHistogramDecayHalfLifeSeconds: Double = 86_400
    public var memoryHistogramDecayHalfLifeSeconds: Double = 86_400
    /// `DefaultOOMBumpUpRatio`, 1.2.
    public var oomBumpUpRatio: Double = 1.2
    /// `DefaultOOMMinBumpUp`, 100 MiB.
    public var oomMinBumpUpBytes: Double = 100 * 1024 * 1024
    /// `DefaultHistogramBucketSizeGrowth`, 5 %.
    public var histogramBucketSizeGrowth: Double = 0.05
    /// See `CPUSampleWeighting`; upstream's effective behaviour by default.
    public var cpuSampleWeighting: CPUSampleWeighting = .minimumWeight

    public init() {}

    /// aggregations_config.go `minSampleWeight`.
    public static let minSampleWeight = 0.1
    /// aggregations_config.go `epsilon = 0.001 × minSampleWeight`: the smallest weight a bucket keeps.
    public static let epsilon = 0.001 * minSampleWeight

    /// aggregations_config.go `cpuHistogramOptions` on kubernetes/autoscaler master:
    /// `NewExponentialHistogramOptions(1000.0, 0.01, 1 + growth, epsilon)`. The first bucket is 0.01 core
    /// (10 millicores), as the code's comment says; the last starts at or above 1000 cores; 176 buckets with
    /// the default growth. (A 0.001-core first bucket exists only on an unmerged branch; it would also have
    /// needed a new `SupportedCheckpointVersion`, which master still has at v3.)
    var cpuHistogramOptions: ExponentialHistogramOptions {
        ExponentialHistogramOptions(
            maxValue: 1000.0, firstBucketSize: 0.01, ratio: 1 + histogramBucketSizeGrowth,
            epsilon: Self.epsilon)
    }

    /// aggregations_config.go `memoryHistogramOptions`: `NewExponentialHistogramOptions(1e12, 1e7, 1 + growth, epsilon)`:
    /// first bucket 10 MB, last at or above 1 TB; 176 buckets with the default growth.
    var memoryHistogramOptions: ExponentialHistogramOptions {
        ExponentialHistogramOptions(
            maxValue: 1e12, firstBucketSize: 1e7, ratio: 1 + histogramBucketSizeGrowth,
            epsilon: Self.epsilon)
    }

    /// aggregations_config.go `GetMemoryAggregationWindowLength`: 8 × 24 h.
    var memoryAggregationWindowSeconds: Double {
        memoryAggregationIntervalSeconds * Double(memoryAggregationIntervalCount)
    }
}

/// CPU in millicores and memory in bytes, as the recommender's `model.Resources`.
public struct ResourceAmounts: Sendable, Equatable, CustomStringConvertible {
    public var cpuMillicores: Int64
    public var memoryBytes: Int64

    public init(cpuMillicores: Int64, memoryBytes: Int64) {
        self.cpuMillicores = cpuMillicores
        self.memoryBytes = memoryBytes
    }

    public var description: String { "\(cpuMillicores)m, \(memoryBytes) B" }
}

/// One container's recommendation (logic/recommender.go `RecommendedContainerResources`).
public struct ContainerRecommendation: Sendable, Equatable {
    /// The request to set.
    public var target: ResourceAmounts
    /// Below this the updater would evict to raise the request.
    public var lowerBound: ResourceAmounts
    /// Above this the updater would evict to lower the request.
    public var upperBound: ResourceAmounts
    /// The confidence the bounds were widened with (logic/estimator.go `getConfidence`), in confidence
    /// intervals (days by default). Not part of upstream's output; kept for reports.
    public var confidence: Double
}

/// The VPA recommender for the containers of one workload (one VPA object), as a value.
///
/// Containers are told apart by name, and within a name by pod: the recommender keeps one aggregate per
/// container name (all pods' samples go into the same histograms, as upstream aggregates containers of
/// the same name under one VPA) and, per pod, the memory-peak interval and CPU de-duplication of
/// model/container.go. Times are seconds since an epoch at a UTC midnight.
///
/// Out of scope: the VPA's container policies (`minAllowed` / `maxAllowed`, controlled resources, the
/// capping post-processors), checkpoints, and the `MaxMemory` cap of newer container.go.
public struct VerticalPodAutoscalerRecommender: Sendable {
    public let configuration: VPARecommenderConfiguration
    /// Per container name (at its index in `names`): its aggregate, and its per-pod states. Kept in
    /// arrays and changed in place, so that a sample costs one lookup of the name.
    private var names: [String] = []
    private var nameIndex: [String: Int] = [:]
    private var aggregateStates: [AggregateContainerState?] = []
    /// Per container: the state of its pod named "" (a workload's pods taken as one), then of the others.
    private var unnamedPodStates: [ContainerState?] = []
    private var podStates: [[String: ContainerState]] = []
    /// The last container name looked up, which the next sample mostly names again.
    private var lastName = "", lastIndex = -1

    public init(configuration: VPARecommenderConfiguration = VPARecommenderConfiguration()) {
        self.configuration = configuration
    }

    /// Each container's aggregate, by name.
    var aggregates: [String: AggregateContainerState] {
        var result: [String: AggregateContainerState] = [:]
        for (index, name) in names.enumerated() { result[name] = aggregateStates[index] }
        return result
    }

    /// Each container's per-pod states, by name and pod.
    var containers: [String: [String: ContainerState]] {
        Dictionary(
            uniqueKeysWithValues: names.enumerated().map { index, name in
                var pods = podStates[index]
                if let unnamed = unnamedPodStates[index] { pods[""] = unnamed }
                return (name, pods)
            })
    }

    /// Runs `change` on the state of `pod` of the container at `index`, made new when there is none.
    mutating func withPodState<Result>(
        _ index: Int, _ pod: String,
        _ change: (inout ContainerState, inout AggregateContainerState) -> Result
    ) -> Result {
        if pod.isEmpty {
            if unnamedPodStates[index] == nil { unnamedPodStates[index] = ContainerState() }
            return change(&unnamedPodStates[index]!, &aggregateStates[index]!)
        }
        return change(&podStates[index][pod, default: ContainerState()], &aggregateStates[index]!)
    }

    /// The container names the recommender has seen, sorted.
    public var containerNames: [String] {
        names.indices.filter { aggregateStates[$0] != nil }.map { names[$0] }.sorted()
    }

    /// A CPU usage sample (model/container.go `addCPUSample`, aggregate_container_state.go `addCPUSample`).
    /// - Parameters:
    ///   - time: start of the measurement, in seconds.
    ///   - usageMillicores: average usage over the measurement.
    ///   - requestMillicores: the container's CPU request; read only with `CPUSampleWeighting.request`.
    /// - Returns: `false` when discarded (negative, or not after this pod's previous CPU sample).
    @discardableResult
    public mutating func addCPUSample(
        container: String, pod: String = "", at time: Double,
        usageMillicores: Int64, requestMillicores: Int64
    ) -> Bool {
        let index = liveAggregate(container, at: time)
        let weighting = configuration.cpuSampleWeighting
        return withPodState(index, pod) { state, aggregate in
            state.addCPUSample(
                at: time, usageMillicores: usageMillicores, requestMillicores: requestMillicores, into: &aggregate,
                weighting: weighting)
        }
    }

    /// A memory usage sample (model/container.go `addMemorySample`). Only the interval's peak reaches the
    /// histogram. Returns `false` when discarded (negative, or older than this pod's previous memory sample).
    @discardableResult
    public mutating func addMemorySample(container: String, pod: String = "", at time: Double, usageBytes: Int64)
        -> Bool
    {
        let index = liveAggregate(container, at: time)
        let interval = configuration.memoryAggregationIntervalSeconds
        return withPodState(index, pod) { state, aggregate in
            state.addMemorySample(
                at: time, usageBytes: usageBytes, isOOM: false, intervalSeconds: interval, into: &aggregate)
        }
    }

    /// An OOM kill (model/container.go `RecordOOM`): adds a memory sample of
    /// `max(max(request, peak) + 100 MiB, max(request, peak) × 1.2)`. Returns `false` when too old.
    @discardableResult
    public mutating func recordOOM(container: String, pod: String = "", at time: Double, memoryRequestBytes: Int64)
        -> Bool
    {
        let index = liveAggregate(container, at: time)
        let configuration = self.configuration
        return withPodState(index, pod) { state, aggregate in
            state.recordOOM(
                at: time, memoryRequestBytes: memoryRequestBytes, configuration: configuration, into: &aggregate)
        }
    }

    /// The index of the container's aggregate, made new when there is none. An expired aggregate is
    /// replaced by a new one, as if the cluster state's garbage collection had deleted it before this
    /// sample (model/cluster.go `garbageCollectAggregateCollectionStates`; upstream runs it hourly, here
    /// it happens at once). The pods' `ContainerState`s survive, as upstream's do.
    mutating func liveAggregate(_ container: String, at time: Double) -> Int {
        let index: Int
        if lastIndex >= 0 && container == lastName {
            index = lastIndex
        } else if let known = nameIndex[container] {
            index = known
        } else {
            index = names.count
            names.append(container)
            nameIndex[container] = index
            aggregateStates.append(nil)
            unnamedPodStates.append(nil)
            podStates.append([:])
        }
        (lastName, lastIndex) = (container, index)
        if aggregateStates[index]?.isExpired(at: time, windowSeconds: configuration.memoryAggregationWindowSeconds)
            ?? true
        {
            aggregateStates[index] = AggregateContainerState(configuration: configuration, creationTime: time)
        }
        return index
    }

    /// The recommendation for every container not yet expired at `now`
    /// (logic/recommender.go `GetRecommendedPodResources`).
    ///
    /// Per container, from its histograms (logic/estimator.go, each step on integer millicores / bytes):
    /// - target = `P90 + int(P90 × 0.15)`;
    /// - lower bound = `int((P50 + int(P50 × 0.15)) × (1 + 0.001/confidence)^−2)`;
    /// - upper bound = `int((P95 + int(P95 × 0.15)) × (1 + 1/confidence))`;
    /// - each at least the pod minimum over the container count: `int(25 m / n)`, `int(250 MiB / n)`.
    ///
    /// A container expires (model/aggregate_container_state.go `isExpired`, dropped by the cluster state's
    /// garbage collection) when its last CPU sample is 8 × 24 h old or more.
    public func recommendation(at now: Double) -> [String: ContainerRecommendation] {
        let live = aggregates.filter {
            !$0.value.isExpired(at: now, windowSeconds: configuration.memoryAggregationWindowSeconds)
        }
        guard !live.isEmpty else { return [:] }
        let fraction = 1.0 / Double(live.count)
        let minCPU = ResourceAmount.scale(
            ResourceAmount.cpuFromCores(configuration.podMinCPUMillicores * 0.001), by: fraction)
        let minMemory = ResourceAmount.scale(
            ResourceAmount.fromFloat(configuration.podMinMemoryMb * 1024 * 1024), by: fraction)
        var result: [String: ContainerRecommendation] = [:]
        for (name, aggregate) in live {
            result[name] = estimate(aggregate, minCPU: minCPU, minMemory: minMemory)
        }
        return result
    }

    /// logic/recommender.go `CreatePodResourceRecommender` and `estimateContainerResources`: percentile,
    /// then margin, then (bounds only) the confidence multiplier, then the per-pod minimum.
    func estimate(_ aggregate: AggregateContainerState, minCPU: Int64, minMemory: Int64) -> ContainerRecommendation {
        let c = configuration
        let cpuConfidence = aggregate.confidence(intervalSeconds: c.confidenceIntervalCPUSeconds)
        let memoryConfidence = aggregate.confidence(intervalSeconds: c.confidenceIntervalMemorySeconds)

        func cpu(_ percentile: Double) -> Int64 {
            withMargin(ResourceAmount.cpuFromCores(aggregate.cpuUsage.percentile(percentile)))
        }
        func memory(_ percentile: Double) -> Int64 {
            withMargin(ResourceAmount.fromFloat(aggregate.memoryPeaks.percentile(percentile)))
        }
        // Upper bound: multiplier 1, exponent +1. Lower bound: multiplier 0.001, exponent −2.
        let target = ResourceAmounts(
            cpuMillicores: max(cpu(c.targetCPUPercentile), minCPU),
            memoryBytes: max(memory(c.targetMemoryPercentile), minMemory))
        let lower = ResourceAmounts(
            cpuMillicores: max(
                Self.confidenceScaled(
                    cpu(c.lowerBoundCPUPercentile), multiplier: 0.001, exponent: -2,
                    confidence: cpuConfidence), minCPU),
            memoryBytes: max(
                Self.confidenceScaled(
                    memory(c.lowerBoundMemoryPercentile), multiplier: 0.001, exponent: -2,
                    confidence: memoryConfidence), minMemory))
        let upper = ResourceAmounts(
            cpuMillicores: max(
                Self.confidenceScaled(
                    cpu(c.upperBoundCPUPercentile), multiplier: 1, exponent: 1,
                    confidence: cpuConfidence), minCPU),
            memoryBytes: max(
                Self.confidenceScaled(
                    memory(c.upperBoundMemoryPercentile), multiplier: 1, exponent: 1,
                    confidence: memoryConfidence), minMemory))
        return ContainerRecommendation(target: target, lowerBound: lower, upperBound: upper, confidence: cpuConfidence)
    }

    /// logic/estimator.go `cpuMarginEstimator` / `memoryMarginEstimator`: `base + ScaleResource(base, margin)`.
    func withMargin(_ base: Int64) -> Int64 {
        base + ResourceAmount.scale(base, by: configuration.safetyMarginFraction)
    }

    /// logic/estimator.go `cpuConfidenceMultiplier` / `memoryConfidenceMultiplier`:
    /// `ScaleResource(base, math.Pow(1 + multiplier/confidence, exponent))`. No history (confidence 0)
    /// gives ×∞ (capped at 1e14) or ×0.
    static func confidenceScaled(_ base: Int64, multiplier: Double, exponent: Double, confidence: Double) -> Int64 {
        ResourceAmount.scale(base, by: goPow(1.0 + multiplier / confidence, exponent))
    }

    /// Go's `math.Pow` for the integer exponents used here, by its own algorithm (repeated squaring of
    /// the mantissa, one reciprocal for a negative exponent), so that its roundings match; other
    /// exponents fall back to the C library.
    static func goPow(_ x: Double, _ y: Double) -> Double {
        if y == 0 || x == 1 { return 1 }
        if y == 1 { return x }
        if x.isNaN || y.isNaN { return .nan }
        if x.isInfinite && x > 0 { return y < 0 ? 0 : .infinity }
        guard y == y.rounded(), y.magnitude < Double(1 << 30), x.isFinite, x > 0 else { return pow(x, y) }
        var a1 = 1.0
        var ae = 0
        var x1 = x.significand / 2  // Frexp: mantissa in [0.5, 1)
        var xe = Int(x.exponent) + 1
        var i = Int(y.magnitude)
        while i != 0 {
            if i & 1 == 1 {
                a1 *= x1
                ae += xe
            }
            x1 *= x1
            xe <<= 1
            if x1 < 0.5 {
                x1 += x1
                xe -= 1
            }
            i >>= 1
        }
        if y < 0 {
            a1 = 1 / a1
            ae = -ae
        }
        return scalbn(a1, ae)
    }
}

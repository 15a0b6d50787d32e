import Foundation

/// Exponential bucketing (kubernetes/autoscaler vertical-pod-autoscaler/pkg/recommender/util/histogram_options.go
/// `NewExponentialHistogramOptions`): bucket 0 is `[0, firstBucketSize)`, bucket `n` is `ratio` times wider
/// than bucket `n − 1`, and bucket `n ≥ 1` starts at `firstBucketSize × (ratioⁿ − 1) / (ratio − 1)`.
struct ExponentialHistogramOptions: Sendable, Equatable {
    let numBuckets: Int
    let firstBucketSize: Double
    let ratio: Double
    /// The minimum weight for a bucket to count as non-empty.
    let epsilon: Double

    /// `numBuckets = ceil(log_ratio(maxValue × (ratio − 1) / firstBucketSize + 1)) + 1`, so that the last
    /// bucket starts at or above `maxValue`.
    init(maxValue: Double, firstBucketSize: Double, ratio: Double, epsilon: Double) {
        precondition(
            maxValue > 0 && firstBucketSize > 0 && ratio > 1 && epsilon > 0,
            "maxValue, firstBucketSize and epsilon must be > 0.0, ratio must be > 1.0")
        self.numBuckets = Int(Self.log(ratio, maxValue * (ratio - 1) / firstBucketSize + 1).rounded(.up)) + 1
        self.firstBucketSize = firstBucketSize
        self.ratio = ratio
        self.epsilon = epsilon
    }

    /// histogram_options.go `FindBucket`: `floor(log_ratio(value × (ratio − 1) / firstBucketSize + 1))`,
    /// bucket 0 below `firstBucketSize`, the last bucket above the range.
    func findBucket(_ value: Double) -> Int {
        if value < firstBucketSize {
            return 0
        }
        let bucket = Int(Self.log(ratio, value * (ratio - 1) / firstBucketSize + 1))
        return Swift.min(bucket, numBuckets - 1)
    }

    /// histogram_options.go `GetBucketStart`.
    func bucketStart(_ bucket: Int) -> Double {
        precondition(bucket >= 0 && bucket < numBuckets, "index \(bucket) out of range [0..\(numBuckets - 1)]")
        if bucket == 0 {
            return 0
        }
        return firstBucketSize * (pow(ratio, Double(bucket)) - 1) / (ratio - 1)
    }

    /// histogram_options.go `log(base, x) = math.Log(x) / math.Log(base)`.
    static func log(_ base: Double, _ x: Double) -> Double {
        Foundation.log(x) / Foundation.log(base)
    }
}

/// util/histogram.go `histogram`: bucket weights, their total, and the first and last non-empty bucket.
struct Histogram: Sendable, Equatable {
    let options: ExponentialHistogramOptions
    private(set) var bucketWeight: [Double]
    private(set) var totalWeight: Double = 0
    /// The first non-empty bucket, or the last bucket when empty.
    private(set) var minBucket: Int
    /// The last non-empty bucket, or 0 when empty.
    private(set) var maxBucket: Int = 0

    init(options: ExponentialHistogramOptions) {
        self.options = options
        self.bucketWeight = Array(repeating: 0, count: options.numBuckets)
        self.minBucket = options.numBuckets - 1
    }

    /// histogram.go `AddSample`: min/max buckets move only once the bucket reaches epsilon.
    mutating func addSample(_ value: Double, weight: Double) {
        addSample(bucket: options.findBucket(value), weight: weight)
    }

    /// `addSample` for a value whose bucket is known (a value that repeats is looked up once).
    mutating func addSample(bucket: Int, weight: Double) {
        precondition(weight >= 0, "sample weight must be non-negative")
        bucketWeight[bucket] += weight
        totalWeight += weight
        if bucket < minBucket && bucketWeight[bucket] >= options.epsilon {
            minBucket = bucket
        }
        if bucket > maxBucket && bucketWeight[bucket] >= options.epsilon {
            maxBucket = bucket
        }
    }

    /// `addSample(bucket:weight:)` for `weight(0)`, `weight(1)`, … `weight(count − 1)` in turn: the
    /// same sums in the same order. The first and last non-empty buckets are moved once at the end,
    /// which is where the samples one by one leave them (weights only grow).
    mutating func addSamples(bucket: Int, count: Int, weight: (Int) -> Double) {
        guard count > 0 else { return }
        var inBucket = bucketWeight[bucket]
        var total = totalWeight
        for index in 0..<count {
            let sampleWeight = weight(index)
            precondition(sampleWeight >= 0, "sample weight must be non-negative")
            inBucket += sampleWeight
            total += sampleWeight
        }
        bucketWeight[bucket] = inBucket
        totalWeight = total
        if bucket < minBucket && inBucket >= options.epsilon {
            minBucket = bucket
        }
        if bucket > maxBucket && inBucket >= options.epsilon {
            maxBucket = bucket
        }
    }

    /// histogram.go `SubtractSample` with `safeSubtract`: a result below epsilon becomes 0.
    mutating func subtractSample(_ value: Double, weight: Double) {
        precondition(weight >= 0, "sample weight must be non-negative")
        let bucket = options.findBucket(value)
        totalWeight = Self.safeSubtract(totalWeight, weight, options.epsilon)
        bucketWeight[bucket] = Self.safeSubtract(bucketWeight[bucket], weight, options.epsilon)
        updateMinAndMaxBucket()
    }

    static func safeSubtract(_ value: Double, _ sub: Double, _ epsilon: Double) -> Double {
        let result = value - sub
        return result < epsilon ? 0 : result
    }

    /// histogram.go `Percentile`: walk the buckets from the first non-empty one, stop at the first whose
    /// cumulative weight reaches `percentile × totalWeight` (or at the last non-empty one), and return
    /// that bucket's end (the next bucket's start); the last bucket, which has no end, returns its start.
    /// 0 when empty.
    func percentile(_ percentile: Double) -> Double {
        if isEmpty {
            return 0
        }
        var partialSum = 0.0
        let threshold = percentile * totalWeight
        var bucket = minBucket
        while bucket < maxBucket {
            partialSum += bucketWeight[bucket]
            if partialSum >= threshold {
                break
            }
            bucket += 1
        }
        if bucket < options.numBuckets - 1 {
            return options.bucketStart(bucket + 1)
        }
        return options.bucketStart(bucket)
    }

    /// histogram.go `IsEmpty`: the first non-empty bucket is below epsilon.
    var isEmpty: Bool {
        bucketWeight[minBucket] < options.epsilon
    }

    /// histogram.go `scale`: multiply every weight by `factor` (percentiles do not move).
    mutating func scale(_ factor: Double) {
        precondition(factor >= 0, "scale factor must be non-negative")
        if minBucket <= maxBucket {
            for bucket in minBucket...maxBucket {
                bucketWeight[bucket] *= factor
            }
        }
        totalWeight *= factor
        updateMinAndMaxBucket()
    }

    /// histogram.go `updateMinAndMaxBucket`.
    private mutating func updateMinAndMaxBucket() {
        let epsilon = options.epsilon
        let lastBucket = options.numBuckets - 1
        while bucketWeight[minBucket] < epsilon && minBucket < lastBucket {
            minBucket += 1
        }
        while bucketWeight[maxBucket] < epsilon && maxBucket > 0 {
            maxBucket -= 1
        }
    }
}

/// util/decaying_histogram.go `decayingHistogram`: a sample's weight is multiplied by
/// `2^((sampleTime − referenceTimestamp) / halfLife)`, so a sample half a life older counts half as much.
/// Only relative weights matter; the reference moves forward (rescaling every weight) when an exponent
/// would pass 100.
///
/// Times are seconds since an epoch at a UTC midnight: upstream rounds the reference to a multiple of the
/// half-life since Go's zero time, which is a UTC midnight.
struct DecayingHistogram: Sendable, Equatable {
    private(set) var histogram: Histogram
    let halfLifeSeconds: Double
    /// `nil` stands for Go's zero time: every first sample moves it.
    private(set) var referenceTimestamp: Double?

    /// decaying_histogram.go `maxDecayExponent`.
    static let maxDecayExponent = 100.0

    init(options: ExponentialHistogramOptions, halfLifeSeconds: Double) {
        self.histogram = Histogram(options: options)
        self.halfLifeSeconds = halfLifeSeconds
    }

    mutating func addSample(_ value: Double, weight: Double, at time: Double) {
        addSample(bucket: histogram.options.findBucket(value), weight: weight, at: time)
    }

    mutating func addSample(bucket: Int, weight: Double, at time: Double) {
        let factor = decayFactor(time)
        histogram.addSample(bucket: bucket, weight: weight * factor)
    }

    /// `addSample(bucket:weight:at:)` at `start + k × interval` for `k` in `0..<count`, each with its
    /// own decay factor, computed as one by one; the reference moves where one by one it would.
    mutating func addSamples(bucket: Int, weight: Double, from start: Double, every interval: Double, count: Int) {
        var k = 0
        while k < count {
            // This sample may move the reference; those after it up to the limit keep it.
            addSample(bucket: bucket, weight: weight, at: start + Double(k) * interval)
            k += 1
            let reference = referenceTimestamp!
            let limit = reference + halfLifeSeconds * Self.maxDecayExponent
            // Up to the last sample at or before the limit (times grow with k when interval > 0; otherwise
            // one by one).
            var run = 0
            if interval > 0 && k < count {
                var last = count - 1
                if start + Double(last) * interval > limit {
                    last = Int(
                        Swift.max(
                            Double(k - 1), Swift.min(Double(count - 1), ((limit - start) / interval).rounded(.down))))
                    while last >= k && start + Double(last) * interval > limit { last -= 1 }
                    while last + 1 < count && start + Double(last + 1) * interval <= limit { last += 1 }
                }
                run = Swift.max(0, last - k + 1)
            }
            let halfLife = halfLifeSeconds
            let first = k
            histogram.addSamples(bucket: bucket, count: run) { index in
                weight * exp2((start + Double(first + index) * interval - reference) / halfLife)
            }
            k += run
        }
    }

    mutating func subtractSample(_ value: Double, weight: Double, at time: Double) {
        let factor = decayFactor(time)
        histogram.subtractSample(value, weight: weight * factor)
    }

    func percentile(_ percentile: Double) -> Double {
        histogram.percentile(percentile)
    }

    var isEmpty: Bool { histogram.isEmpty }

    /// decaying_histogram.go `decayFactor`: renormalize past `maxDecayExponent` half-lives, then
    /// `2^((time − reference) / halfLife)`.
    private mutating func decayFactor(_ time: Double) -> Double {
        if let reference = referenceTimestamp {
            if time > reference + halfLifeSeconds * Self.maxDecayExponent {
                shiftReferenceTimestamp(to: time)
            }
        } else {
            shiftReferenceTimestamp(to: time)
        }
        return exp2((time - referenceTimestamp!) / halfLifeSeconds)
    }

    /// decaying_histogram.go `shiftReferenceTimestamp`: round the new reference to a multiple of the
    /// half-life (Go's `Time.Round`, halves up) and scale the weights by `2^round(Δ / halfLife)`.
    private mutating func shiftReferenceTimestamp(to time: Double) {
        let newReference = Self.roundToMultiple(time, of: halfLifeSeconds)
        if let reference = referenceTimestamp {
            let exponent = Int(((reference - newReference) / halfLifeSeconds + 0.5).rounded(.down))
            histogram.scale(Double(sign: .plus, exponent: exponent, significand: 1))
        } else {
            // From Go's zero time the exponent is about −700 000: every weight (there are none yet) becomes 0.
            histogram.scale(0)
        }
        referenceTimestamp = newReference
    }

    /// Go's `Time.Round(d)`: the nearest multiple of `d`, halfway values rounded up.
    static func roundToMultiple(_ time: Double, of unit: Double) -> Double {
        let quotient = (time / unit).rounded(.down)
        let remainder = time - quotient * unit
        return remainder + remainder < unit ? quotient * unit : (quotient + 1) * unit
    }
}

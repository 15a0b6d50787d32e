import Foundation
import Testing

@testable import Autoscaling

/// Bucket boundaries worked by hand from histogram_options.go: bucket(v) = floor(ln(v × 0.05 / first + 1) / ln 1.05),
/// start(b) = first × (1.05^b − 1) / 0.05.
@Suite struct HistogramTests {
    private let configuration = VPARecommenderConfiguration()
    private let day = 86_400.0

    // CPU (first bucket 0.01 core, aggregations_config.go on master):
    // ceil(ln(1000 × 0.05 / 0.01 + 1) / ln 1.05) + 1 = ceil(174.57) + 1 = 176.
    // Memory: ceil(ln(1e12 × 0.05 / 1e7 + 1) / ln 1.05) + 1 = ceil(174.57) + 1 = 176.
    @Test func bucketCountsFollowTheRangeAndGrowth() {
        #expect(configuration.cpuHistogramOptions.numBuckets == 176)
        #expect(configuration.memoryHistogramOptions.numBuckets == 176)
        #expect(configuration.cpuHistogramOptions.firstBucketSize == 0.01)
        #expect(configuration.memoryHistogramOptions.firstBucketSize == 1e7)
        #expect(VPARecommenderConfiguration.epsilon == 0.0001)
    }

    // 1 core: ln(6) / ln(1.05) = 36.72 → 36; 2 cores: ln(11) / ln(1.05) = 49.15 → 49; 3 cores: ln(16) / ln(1.05)
    // = 56.83 → 56; 5 m is below the first bucket's 10 m.
    // 100 MB: ln(1.5) / ln(1.05) = 8.31 → 8; 300 MB: ln(2.5) / ln(1.05) = 18.78 → 18.
    @Test func valuesFallInTheExpectedBuckets() {
        let cpu = configuration.cpuHistogramOptions
        #expect(cpu.findBucket(0.005) == 0)
        #expect(cpu.findBucket(1.0) == 36)
        #expect(cpu.findBucket(2.0) == 49)
        #expect(cpu.findBucket(3.0) == 56)
        #expect(cpu.findBucket(5000) == 175)
        let memory = configuration.memoryHistogramOptions
        #expect(memory.findBucket(1e8) == 8)
        #expect(memory.findBucket(3e8) == 18)
    }

    // start(37) = 0.01 × (1.05^37 − 1) / 0.05 = 0.2 × (6.08141 − 1) = 1.016281 cores.
    @Test func bucketStartIsTheGeometricSum() {
        let cpu = configuration.cpuHistogramOptions
        #expect(cpu.bucketStart(0) == 0)
        #expect(abs(cpu.bucketStart(37) - 1.0162813885540918) < 1e-12)
        #expect(abs(configuration.memoryHistogramOptions.bucketStart(19) - 305_390_039.0751278) < 1e-4)
    }

    // Port of estimator_test.go TestPercentileEstimator: 1, 2 and 3 cores, equal weights.
    // P20 (0.6 of 3): bucket 36 reaches 1 → its end start(37) = 0.2 × (1.05^37 − 1) = 1.0163;
    // P50 (1.5): bucket 49 → start(50) = 0.2 × (1.05^50 − 1) = 2.0935; P90 (2.7): bucket 56, the last
    // non-empty one → start(57) = 0.2 × (1.05^57 − 1) = 3.0272; P100 the same.
    @Test func percentileIsTheEndOfTheBucketReachingIt() {
        var histogram = Histogram(options: configuration.cpuHistogramOptions)
        for cores in [1.0, 2.0, 3.0] {
            histogram.addSample(cores, weight: 1)
        }
        #expect(abs(histogram.percentile(0.2) - 1.0162813885540918) < 1e-12)
        #expect(abs(histogram.percentile(0.5) - 2.093479957150738) < 1e-12)
        #expect(abs(histogram.percentile(0.9) - 3.0271566170604425) < 1e-12)
        #expect(histogram.percentile(1.0) == histogram.percentile(0.9))
    }

    @Test func emptyHistogramGivesZero() {
        let histogram = Histogram(options: configuration.cpuHistogramOptions)
        #expect(histogram.isEmpty)
        #expect(histogram.percentile(0.9) == 0)
    }

    // The last bucket has no end: a value beyond the range returns the last bucket's start.
    @Test func lastBucketReturnsItsStart() {
        var histogram = Histogram(options: configuration.cpuHistogramOptions)
        histogram.addSample(5000, weight: 1)
        #expect(histogram.percentile(0.5) == configuration.cpuHistogramOptions.bucketStart(175))
    }

    // Subtracting a whole sample leaves 0 (safeSubtract) and moves the first non-empty bucket.
    @Test func subtractingASampleEmptiesItsBucket() {
        var histogram = Histogram(options: configuration.memoryHistogramOptions)
        histogram.addSample(1e8, weight: 1)
        histogram.addSample(3e8, weight: 1)
        histogram.subtractSample(1e8, weight: 1)
        #expect(histogram.minBucket == 18)
        #expect(histogram.totalWeight == 1)
        #expect(abs(histogram.percentile(0.01) - 305_390_039.0751278) < 1e-4)
    }

    // Decay: a sample a day newer weighs twice as much. 1 core at day 0 (0.1), 2 cores at day 1 (0.2):
    // P40 needs 0.12 and bucket 36 holds 0.1, so it is the 2-core bucket; without decay it would be 1 core.
    @Test func aDayOldSampleWeighsHalf() {
        var decaying = DecayingHistogram(options: configuration.cpuHistogramOptions, halfLifeSeconds: day)
        decaying.addSample(1.0, weight: 0.1, at: 0)
        decaying.addSample(2.0, weight: 0.1, at: day)
        #expect(abs(decaying.histogram.totalWeight - 0.3) < 1e-15)
        #expect(abs(decaying.percentile(0.3) - 1.0162813885540918) < 1e-12)  // 0.09 ≤ 0.1
        #expect(abs(decaying.percentile(0.4) - 2.093479957150738) < 1e-12)  // 0.12 > 0.1

        var flat = Histogram(options: configuration.cpuHistogramOptions)
        flat.addSample(1.0, weight: 0.1)
        flat.addSample(2.0, weight: 0.1)
        #expect(abs(flat.percentile(0.4) - 1.0162813885540918) < 1e-12)  // 0.08 ≤ 0.1
    }

    // Two days: 0.1 against 0.4; P19 needs 0.095 (the old sample's bucket), P25 needs 0.125 (the new one).
    @Test func twoDaysDecayToAQuarter() {
        var decaying = DecayingHistogram(options: configuration.cpuHistogramOptions, halfLifeSeconds: day)
        decaying.addSample(1.0, weight: 0.1, at: 0)
        decaying.addSample(2.0, weight: 0.1, at: 2 * day)
        #expect(abs(decaying.percentile(0.19) - 1.0162813885540918) < 1e-12)
        #expect(abs(decaying.percentile(0.25) - 2.093479957150738) < 1e-12)
    }

    // The reference is the first sample's time rounded to the half-life (Go's Time.Round, halves up).
    @Test func referenceIsRoundedToTheHalfLife() {
        #expect(DecayingHistogram.roundToMultiple(43_199, of: day) == 0)
        #expect(DecayingHistogram.roundToMultiple(43_200, of: day) == day)
        var decaying = DecayingHistogram(options: configuration.cpuHistogramOptions, halfLifeSeconds: day)
        decaying.addSample(1.0, weight: 0.1, at: 50_000)
        #expect(decaying.referenceTimestamp == day)
        // 2^((50 000 − 86 400) / 86 400)
        #expect(abs(decaying.histogram.totalWeight - 0.1 * exp2(-36_400.0 / 86_400)) < 1e-15)
    }

    // Past 100 half-lives the reference moves to the new sample (rounded) and old weights are scaled by
    // 2^−101: below epsilon, the old bucket no longer counts as the first non-empty one, so even P0 is the
    // new sample's bucket.
    @Test func renormalizationDropsSamplesAHundredHalfLivesOld() {
        var decaying = DecayingHistogram(options: configuration.cpuHistogramOptions, halfLifeSeconds: day)
        decaying.addSample(1.0, weight: 0.1, at: 0)
        decaying.addSample(2.0, weight: 0.1, at: 101 * day)
        #expect(decaying.referenceTimestamp == 101 * day)
        #expect(abs(decaying.percentile(0) - 2.093479957150738) < 1e-12)
    }
}

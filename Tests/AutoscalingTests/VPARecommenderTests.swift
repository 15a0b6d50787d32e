import Foundation
import Testing

@testable import Autoscaling

/// Expectations worked by hand from logic/recommender.go, logic/estimator.go, model/container.go and the
/// histogram formulas (bucket ends as in HistogramTests).
@Suite struct VPARecommenderTests {
    private let day = 86_400.0
    private let mib: Int64 = 1024 * 1024

    /// 500 m every minute from 0 through 2 days inclusive: 2881 samples, span exactly 2 days, so
    /// confidence = min(2, 2881 / 1440) = 2. Memory 300 MB each time: one peak per day at 3e8.
    private func steadyContainer() -> VerticalPodAutoscalerRecommender {
        var recommender = VerticalPodAutoscalerRecommender()
        for minute in 0...(2 * 1440) {
            let time = Double(minute) * 60
            recommender.addCPUSample(container: "app", at: time, usageMillicores: 500, requestMillicores: 1000)
            recommender.addMemorySample(container: "app", at: time, usageBytes: 300_000_000)
        }
        return recommender
    }

    // CPU (first bucket 0.01 core): 0.5 core is in bucket 25 (ln(3.5) / ln(1.05) = 25.68), which ends at
    // 0.2 × (1.05^26 − 1) = 0.51113 core: every percentile is 511 m. Target 511 + int(76.65) = 587;
    // upper int(587 × (1 + 1/2)) = int(880.5) = 880; lower int(587 / (1 + 0.001/2)²) = int(586.41) = 586.
    // Memory: 3e8 is in bucket 18, which ends at 305 390 039.08 B: 305 390 039 + int(45 808 505.86) = 351 198 544;
    // upper int(351 198 544 × 1.5) = 526 797 816; lower int(351 198 544 × 0.99900075) = 350 847 608.
    @Test func steadyUsageGivesMarginAndConfidenceScaledBounds() {
        let recommendation = steadyContainer().recommendation(at: 2 * day)["app"]
        #expect(recommendation?.confidence == 2)
        #expect(recommendation?.target == ResourceAmounts(cpuMillicores: 587, memoryBytes: 351_198_544))
        #expect(recommendation?.upperBound == ResourceAmounts(cpuMillicores: 880, memoryBytes: 526_797_816))
        #expect(recommendation?.lowerBound == ResourceAmounts(cpuMillicores: 586, memoryBytes: 350_847_608))
    }

    // Port of estimator_test.go TestConfidenceMultiplier: 9 samples 2 minutes apart give
    // min(16 min / 1 day, 9 / 1440) = 0.00625; 3.14 cores × (1 + 0.1/0.00625)² = 3140 × 289 = 907 460 m.
    @Test func confidenceCountsSamplesPerMinuteOfADay() {
        var aggregate = AggregateContainerState(configuration: VPARecommenderConfiguration(), creationTime: 0)
        for index in 0..<9 {
            aggregate.addCPUSample(
                at: Double(index) * 120, usageMillicores: 1000, requestMillicores: 0, weighting: .minimumWeight)
        }
        #expect(aggregate.confidence(intervalSeconds: day) == 0.00625)
        #expect(
            VerticalPodAutoscalerRecommender.confidenceScaled(3140, multiplier: 0.1, exponent: 2, confidence: 0.00625)
                == 907_460)
        #expect(
            VerticalPodAutoscalerRecommender.confidenceScaled(
                3_140_000_000, multiplier: 0.1, exponent: 2,
                confidence: 0.00625) == 907_460_000_000)
        // Port of TestConfidenceMultiplierWithCustomInterval: an 18-minute interval gives min(16/18, 9/18) = 0.5.
        #expect(aggregate.confidence(intervalSeconds: 18 * 60) == 0.5)
    }

    // Port of TestConfidenceMultiplierNoHistory: confidence 0 makes the upper bound ×∞, capped at 1e14, the lower ×0.
    @Test func noHistoryOpensTheBoundsAllTheWay() {
        #expect(
            VerticalPodAutoscalerRecommender.confidenceScaled(3140, multiplier: 1, exponent: 1, confidence: 0)
                == 100_000_000_000_000)
        #expect(
            VerticalPodAutoscalerRecommender.confidenceScaled(3140, multiplier: 0.001, exponent: -2, confidence: 0) == 0
        )
        // Only memory samples: no CPU samples, confidence 0; the memory upper bound is the cap.
        var recommender = VerticalPodAutoscalerRecommender()
        recommender.addMemorySample(container: "app", at: 0, usageBytes: 300_000_000)
        let recommendation = recommender.recommendation(at: 0)["app"]
        #expect(recommendation?.upperBound.memoryBytes == 100_000_000_000_000)
        #expect(recommendation?.lowerBound.memoryBytes == 262_144_000)  // ×0, then the pod minimum
    }

    // Port of TestMarginEstimator with a 10 % margin: 3140 + int(314.0) = 3454; 3.14e9 + int(3.14e8).
    @Test func marginAddsATruncatedFraction() {
        var configuration = VPARecommenderConfiguration()
        configuration.safetyMarginFraction = 0.1
        let recommender = VerticalPodAutoscalerRecommender(configuration: configuration)
        #expect(recommender.withMargin(3140) == 3454)
        #expect(recommender.withMargin(3_140_000_000) == 3_454_000_000)
        // 15 %: 505 + int(75.75) = 580 (truncated, not rounded).
        #expect(VerticalPodAutoscalerRecommender().withMargin(505) == 580)
    }

    // Go's math.Pow by repeated squaring: x^−2 is 1 / (x × x).
    @Test func powerFollowsGo() {
        let x = 1.0 + 0.001 / 2
        #expect(VerticalPodAutoscalerRecommender.goPow(x, -2) == 1 / (x * x))
        #expect(VerticalPodAutoscalerRecommender.goPow(17, 2) == 289)
        #expect(VerticalPodAutoscalerRecommender.goPow(1.5, 1) == 1.5)
        #expect(VerticalPodAutoscalerRecommender.goPow(.infinity, -2) == 0)
        #expect(VerticalPodAutoscalerRecommender.goPow(.infinity, 1) == .infinity)
    }

    // Memory peaks: 100 MB then 300 MB then 200 MB in the first day keep one peak, 300 MB, entered at the
    // interval's end (day 1, weight 1); 150 MB at 25 h opens the next interval, entered at day 2 (weight 2).
    // P50 needs 1.5 of 3: the 150 MB bucket (11, ending 159 171 265 B); P90 needs 2.7: the 300 MB bucket
    // (18, ending 305 390 039 B). Target 305 390 039 + int(45 808 505.86) = 351 198 544.
    @Test func memoryKeepsOnePeakPerDay() {
        var recommender = VerticalPodAutoscalerRecommender()
        do {
            let result = recommender.addMemorySample(container: "app", at: 0, usageBytes: 100_000_000)
            #expect(result)
        }
        do {
            let result = recommender.addMemorySample(container: "app", at: 3600, usageBytes: 300_000_000)
            #expect(result)
        }
        do {
            let result = recommender.addMemorySample(container: "app", at: 7200, usageBytes: 200_000_000)
            #expect(result)
        }
        do {
            let result = recommender.addMemorySample(container: "app", at: 90_000, usageBytes: 150_000_000)
            #expect(result)
        }
        let peaks = recommender.aggregates["app"]!.memoryPeaks
        #expect(peaks.referenceTimestamp == day)
        #expect(peaks.histogram.totalWeight == 3)
        #expect(abs(peaks.percentile(0.5) - 159_171_265.20442587) < 1e-4)
        #expect(abs(peaks.percentile(0.9) - 305_390_039.0751278) < 1e-4)
        #expect(recommender.containers["app"]?[""]?.windowEnd == 2 * day)
        #expect(recommender.recommendation(at: 90_000)["app"]?.target.memoryBytes == 351_198_544)
    }

    @Test func outOfOrderSamplesAreDiscarded() {
        var recommender = VerticalPodAutoscalerRecommender()
        do {
            let result = recommender.addMemorySample(container: "app", at: 100, usageBytes: 1)
            #expect(result)
        }
        do {
            let result = recommender.addMemorySample(container: "app", at: 99, usageBytes: 5)
            #expect(!result)
        }
        do {
            let result = recommender.addCPUSample(
                container: "app", at: 100, usageMillicores: 10, requestMillicores: 100)
            #expect(result)
        }
        do {
            let result = recommender.addCPUSample(
                container: "app", at: 100, usageMillicores: 10, requestMillicores: 100)
            #expect(!result)
        }
        do {
            let result = recommender.addCPUSample(container: "app", at: 50, usageMillicores: 10, requestMillicores: 100)
            #expect(!result)
        }
        do {
            let result = recommender.addCPUSample(
                container: "app", at: 200, usageMillicores: -1, requestMillicores: 100)
            #expect(!result)
        }
        // Another pod of the same container has its own order, into the same aggregate.
        do {
            let result = recommender.addCPUSample(
                container: "app", pod: "b", at: 100, usageMillicores: 10, requestMillicores: 100)
            #expect(result)
        }
        #expect(recommender.aggregates["app"]?.totalSamplesCount == 2)
    }

    // OOM with a 200 MiB request and no usage yet: max(200 MiB + 100 MiB, int(200 MiB × 1.2)) = 314 572 800 B.
    // A second OOM bumps from max(request, usage peak) again, not from the first OOM's sample.
    // With a 1 GiB request: max(1 GiB + 100 MiB = 1 178 599 424, int(1 073 741 824 × 1.2) = 1 288 490 188).
    @Test func oomBumpsMemoryByTwentyPercentOrAHundredMiB() {
        var recommender = VerticalPodAutoscalerRecommender()
        do {
            let result = recommender.recordOOM(container: "app", at: 1000, memoryRequestBytes: 200 * mib)
            #expect(result)
        }
        #expect(recommender.containers["app"]?[""]?.oomPeak == 314_572_800)
        #expect(recommender.containers["app"]?[""]?.windowEnd == 1000 + day)
        do {
            let result = recommender.recordOOM(container: "app", at: 2000, memoryRequestBytes: 200 * mib)
            #expect(result)
        }
        #expect(recommender.containers["app"]?[""]?.oomPeak == 314_572_800)
        // The window ends at 87 400 s, one 1000 s past the reference (86 400 s): weight 2^(1000 / 86 400).
        let peakWeight = exp2(1000.0 / 86_400)
        #expect(abs(recommender.aggregates["app"]!.memoryPeaks.histogram.totalWeight - peakWeight) < 1e-12)

        do {
            let result = recommender.addMemorySample(container: "app", at: 3000, usageBytes: 300_000_000)
            #expect(result)
        }
        do {
            let result = recommender.recordOOM(container: "app", at: 4000, memoryRequestBytes: 1024 * mib)
            #expect(result)
        }
        #expect(recommender.containers["app"]?[""]?.oomPeak == 1_288_490_188)
        // Still one peak for the interval: the OOM sample replaced the smaller one.
        #expect(abs(recommender.aggregates["app"]!.memoryPeaks.histogram.totalWeight - peakWeight) < 1e-12)
    }

    // An OOM older than the interval before the current one is dropped: the window ends at 87 400 s,
    // so anything before 1000 s is too old.
    @Test func staleOOMIsDiscarded() {
        var recommender = VerticalPodAutoscalerRecommender()
        recommender.addMemorySample(container: "app", at: 1000, usageBytes: 100_000_000)
        do {
            let result = recommender.recordOOM(container: "app", at: 999, memoryRequestBytes: 200 * mib)
            #expect(!result)
        }
        do {
            let result = recommender.recordOOM(container: "app", at: 1000, memoryRequestBytes: 200 * mib)
            #expect(result)
        }
    }

    // Pod minimum 25 m and 250 MiB split over the containers: int(25 × 1/3) = 8 m, int(262 144 000 / 3) = 87 381 333 B;
    // over two: 12 m and 131 072 000 B. Zero usage gives 10 m and 10 MB (the first buckets' ends), 11 m and
    // 11 500 000 B with the margin, before the minimum: the CPU target of three containers is 11 m, not 8 m.
    // The lower bound (confidence 0: ×0) is the minimum, 8 m.
    @Test func podMinimumIsSplitEquallyAcrossContainers() {
        var recommender = VerticalPodAutoscalerRecommender()
        for name in ["a", "b", "c"] {
            recommender.addCPUSample(container: name, at: 0, usageMillicores: 0, requestMillicores: 100)
            recommender.addMemorySample(container: name, at: 0, usageBytes: 0)
        }
        let three = recommender.recommendation(at: 60)
        #expect(three.count == 3)
        #expect(three["a"]?.target == ResourceAmounts(cpuMillicores: 11, memoryBytes: 87_381_333))
        #expect(three["c"]?.lowerBound == ResourceAmounts(cpuMillicores: 8, memoryBytes: 87_381_333))

        var two = VerticalPodAutoscalerRecommender()
        for name in ["a", "b"] {
            two.addCPUSample(container: name, at: 0, usageMillicores: 0, requestMillicores: 100)
        }
        #expect(two.recommendation(at: 60)["b"]?.target == ResourceAmounts(cpuMillicores: 12, memoryBytes: 131_072_000))
        let single = steadyContainer().recommendation(at: 0)["app"]!
        #expect(single.target.cpuMillicores > 25)
    }

    // Upstream's feeder leaves CPU samples' request at 0, so every sample weighs 0.1; weighting by request
    // makes a 4-core-request sample outweigh a 50 m one. 1 core (request 4) and 3 cores (request 50 m):
    // equal weights: P60 needs 0.12 of 0.2, past bucket 36's 0.1 → 3 cores' bucket 56 (ending 3.0272 → 3027 m).
    // By request: weights 4 and 0.1, P60 needs 2.46 → 1 core's bucket 36 (ending 1.0163 → 1016 m).
    @Test func cpuSampleWeighting() {
        var configuration = VPARecommenderConfiguration()
        configuration.targetCPUPercentile = 0.6
        configuration.safetyMarginFraction = 0
        var minimum = VerticalPodAutoscalerRecommender(configuration: configuration)
        configuration.cpuSampleWeighting = .request
        var byRequest = VerticalPodAutoscalerRecommender(configuration: configuration)
        for (pod, usage, request) in [("a", Int64(1000), Int64(4000)), ("b", 3000, 50)] {
            minimum.addCPUSample(container: "app", pod: pod, at: 0, usageMillicores: usage, requestMillicores: request)
            byRequest.addCPUSample(
                container: "app", pod: pod, at: 0, usageMillicores: usage, requestMillicores: request)
        }
        #expect(minimum.recommendation(at: 0)["app"]?.target.cpuMillicores == 3027)
        #expect(byRequest.recommendation(at: 0)["app"]?.target.cpuMillicores == 1016)
    }

    // An aggregate whose last CPU sample is 8 days old is garbage-collected (isExpired); the others share
    // the pod minimum.
    @Test func containersExpireAfterEightDaysWithoutSamples() {
        var recommender = VerticalPodAutoscalerRecommender()
        recommender.addCPUSample(container: "old", at: 0, usageMillicores: 100, requestMillicores: 100)
        recommender.addCPUSample(container: "new", at: 7 * day, usageMillicores: 0, requestMillicores: 100)
        #expect(recommender.recommendation(at: 8 * day - 1).keys.sorted() == ["new", "old"])
        let later = recommender.recommendation(at: 8 * day)
        #expect(later.keys.sorted() == ["new"])
        #expect(later["new"]?.target.cpuMillicores == 25)
        // A sample after expiry starts a new history: one sample, confidence 0.
        recommender.addCPUSample(container: "old", at: 9 * day, usageMillicores: 100, requestMillicores: 100)
        #expect(recommender.aggregates["old"]?.totalSamplesCount == 1)
        #expect(recommender.aggregates["old"]?.firstSampleStart == 9 * day)
    }
}

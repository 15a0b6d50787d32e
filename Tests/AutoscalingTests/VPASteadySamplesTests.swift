import Foundation
import Testing

@testable import Autoscaling

/// `addSteadySamples` against the same samples given one by one (`addCPUSample`, then
/// `addMemorySample`, at each minute): the histograms, counts, peaks and recommendations must be
/// equal bit for bit, since the stretch only saves lookups.
@Suite struct VPASteadySamplesTests {
    private let day = 86_400.0

    /// A stretch: `count` samples every `every` seconds from `start`, CPU (millicores) and memory (bytes).
    private struct Stretch {
        var start: Double
        var every = 60.0
        var count: Int
        var cpu: Int64?
        var request: Int64 = 500
        var memory: Int64?
        var pod = ""
    }

    private func oneByOne(_ stretches: [Stretch], _ configuration: VPARecommenderConfiguration)
        -> VerticalPodAutoscalerRecommender
    {
        var recommender = VerticalPodAutoscalerRecommender(configuration: configuration)
        for stretch in stretches {
            for k in 0..<stretch.count {
                let time = stretch.start + Double(k) * stretch.every
                if let cpu = stretch.cpu {
                    recommender.addCPUSample(
                        container: "app", pod: stretch.pod, at: time, usageMillicores: cpu,
                        requestMillicores: stretch.request)
                }
                if let memory = stretch.memory {
                    recommender.addMemorySample(container: "app", pod: stretch.pod, at: time, usageBytes: memory)
                }
            }
        }
        return recommender
    }

    private func inStretches(_ stretches: [Stretch], _ configuration: VPARecommenderConfiguration)
        -> VerticalPodAutoscalerRecommender
    {
        var recommender = VerticalPodAutoscalerRecommender(configuration: configuration)
        for stretch in stretches {
            recommender.addSteadySamples(
                container: "app", pod: stretch.pod, from: stretch.start, every: stretch.every, count: stretch.count,
                usageMillicores: stretch.cpu, requestMillicores: stretch.request, usageBytes: stretch.memory)
        }
        return recommender
    }

    private func expectSame(_ stretches: [Stretch], at end: Double, weighting: CPUSampleWeighting = .minimumWeight) {
        var configuration = VPARecommenderConfiguration()
        configuration.cpuSampleWeighting = weighting
        let single = oneByOne(stretches, configuration)
        let bulk = inStretches(stretches, configuration)
        #expect(single.aggregates == bulk.aggregates)
        #expect(single.containers == bulk.containers)
        #expect(single.recommendation(at: end) == bulk.recommendation(at: end))
    }

    // Three days of a daily curve as the estimate feeds it: stretches cut at replica changes and
    // curve steps (odd lengths), memory rising within a day (the day's peak is replaced), then falling,
    // and at 0 for a while (a peak of 0 is never replaced within its day, as upstream).
    // 3 days × 1440 = 4320 CPU samples.
    @Test func dailyStretchesGiveTheSameHistograms() {
        var stretches: [Stretch] = []
        var minute = 0
        for (index, length) in [37, 480, 5, 719, 199, 1000, 360, 1, 1519].enumerated() {
            stretches.append(
                Stretch(
                    start: Double(minute) * 60, count: length, cpu: Int64(150 + 97 * (index % 4)),
                    memory: index == 2 ? 0 : Int64(200_000_000 + 31_000_000 * (index % 3))))
            minute += length
        }
        #expect(minute == 4320)
        expectSame(stretches, at: 3 * day)
        #expect(inStretches(stretches, VPARecommenderConfiguration()).aggregates["app"]?.totalSamplesCount == 4320)
        expectSame(
            stretches.enumerated().map { index, stretch in
                var changed = stretch
                changed.request = Int64(250 * (index + 1))
                return changed
            }, at: 3 * day, weighting: .request)
    }

    // Memory only for 20 days: with no CPU sample the aggregate expires 8 days after its creation and
    // is replaced at the next memory sample (at day 8 and day 16).
    @Test func memoryOnlyExpiresInsideAStretch() {
        let stretches = [
            Stretch(start: 0, count: 10 * 1440 + 17, memory: 300_000_000),
            Stretch(start: Double(10 * 1440 + 17) * 60, count: 10 * 1440 - 17, memory: 280_000_000),
        ]
        expectSame(stretches, at: 20 * day)
        #expect(inStretches(stretches, VPARecommenderConfiguration()).aggregates["app"]?.creationTime == 16 * day)
    }

    // A gap of 9 days expires the aggregate; samples not after the pod's last one, and negative ones,
    // are discarded; a second pod feeds the same aggregate.
    @Test func gapsOverlapsAndRejectedSamples() {
        let stretches = [
            Stretch(start: 0, count: 100, cpu: 400, memory: 100_000_000),
            Stretch(start: 50 * 60, count: 100, cpu: 800, memory: 150_000_000),
            Stretch(start: 150 * 60, count: 10, cpu: -5, memory: -1),
            Stretch(start: 160 * 60, count: 30, cpu: 300, memory: 90_000_000, pod: "b"),
            Stretch(start: 9 * day, count: 200, cpu: 1200, memory: 400_000_000),
        ]
        expectSame(stretches, at: 9 * day + 200 * 60)
        // After the gap only the 200 new CPU samples count.
        #expect(inStretches(stretches, VPARecommenderConfiguration()).aggregates["app"]?.totalSamplesCount == 200)
    }

    // 101 days of hourly samples: the decaying histograms move their reference past 100 half-lives.
    @Test func referenceShiftInsideAStretch() {
        let stretches = [Stretch(start: 0, every: 3600, count: 101 * 24 + 5, cpu: 700, memory: 500_000_000)]
        expectSame(stretches, at: 102 * day)
    }
}

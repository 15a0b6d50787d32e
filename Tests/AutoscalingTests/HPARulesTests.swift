import Testing

@testable import Autoscaling

/// The normalization rules of horizontal.go one at a time, with the histories set directly.
/// Most tables are ports of horizontal_test.go (named on each test); expectations re-derived by hand.
@Suite struct HPARulesTests {
    private static let now = 10_000.0

    /// horizontal_test.go `generateScalingRules(pods, podsPeriod, percent, percentPeriod, stabilizationWindow)`.
    static func rules(
        pods: Int = 0, podsPeriod: Int = 0, percent: Int = 0, percentPeriod: Int = 0,
        window: Int = 0
    ) -> ScalingRules {
        var policies: [ScalingPolicy] = []
        if pods != 0 { policies.append(.pods(pods, perSeconds: podsPeriod)) }
        if percent != 0 { policies.append(.percent(percent, perSeconds: percentPeriod)) }
        return ScalingRules(stabilizationWindowSeconds: window, selectPolicy: .max, policies: policies)
    }

    /// horizontal_test.go `generateEventsUniformDistribution`: event `i` of `n` sits in the middle of segment `i`
    /// of the last `period` seconds, oldest first: `period − seg × (i + 1) + seg / 2` seconds ago, truncated.
    static func events(_ changes: [Int], over period: Int, now: Double = now) -> [ScaleEvent] {
        let segment = Double(period) / Double(changes.count)
        return changes.enumerated().map { index, change in
            let secondsAgo = Double(Int(Double(period) - segment * Double(index + 1) + segment / 2))
            return ScaleEvent(replicaChange: change, timestamp: now - secondsAgo, outdated: false)
        }
    }

    static func controller(minReplicas: Int = 1, maxReplicas: Int = 1000, behavior: Behavior?) throws
        -> HorizontalPodAutoscalerController
    {
        try HorizontalPodAutoscalerController(
            spec: HorizontalPodAutoscalerSpec(
                minReplicas: minReplicas, maxReplicas: maxReplicas,
                metrics: [.external(name: "queue", target: .averageValue(.units(1)))],
                behavior: behavior),
            configuration: HPAControllerConfiguration(scaleToZeroEnabled: true))
    }

    struct RateCase: CustomTestStringConvertible, Sendable {
        var name: String
        var upEvents: [Int] = []
        var upPeriod = 120
        var downEvents: [Int] = []
        var downPeriod = 120
        var minReplicas: Int
        var maxReplicas: Int
        var scaleUp: ScalingRules?
        var scaleDown: ScalingRules?
        var current: Int
        var desired: Int
        var expected: Int
        var reason: HPAScalingReason
        var testDescription: String { name }
    }

    /// Port of horizontal_test.go `TestScalingWithRules` (`convertDesiredReplicasWithBehaviorRate`), every case,
    /// including the one upstream skips with `testThis` (1000 − 20 = 980 holds by the same rule).
    static let rateCases: [RateCase] = [
        RateCase(
            name: "prenormalized desired replicas within range", minReplicas: 3, maxReplicas: 8,
            current: 5, desired: 7, expected: 7, reason: .desiredWithinRange),
        RateCase(
            name: "prenormalized desired replicas < minReplicas", minReplicas: 2, maxReplicas: 8,
            current: 3, desired: 1, expected: 2, reason: .tooFewReplicas),
        RateCase(
            name: "prenormalized desired replicas within range when minReplicas is 0", minReplicas: 0, maxReplicas: 10,
            current: 1, desired: 0, expected: 0, reason: .desiredWithinRange),
        RateCase(
            name: "maxReplicas is the limit because maxReplicas < scaleUpLimit", minReplicas: 1, maxReplicas: 10,
            current: 20, desired: 1000, expected: 10, reason: .tooManyReplicas),
        RateCase(
            name: "desired replica count is more than the maximum replica count", minReplicas: 100, maxReplicas: 150,
            current: 100, desired: 1000, expected: 150, reason: .tooManyReplicas),
        // ceil(3 × 1.01) = 4
        RateCase(
            name: "scaleUpLimit with a 1 % policy", minReplicas: 1, maxReplicas: 2000,
            scaleUp: rules(percent: 1, percentPeriod: 60), current: 3, desired: 1000, expected: 4, reason: .scaleUpLimit
        ),
        RateCase(
            name: "scaleDownLimit with user defined policies (upstream testThis)", minReplicas: 3, maxReplicas: 2000,
            scaleDown: rules(pods: 20, podsPeriod: 60), current: 1000, desired: 3, expected: 980,
            reason: .scaleDownLimit),
        // default scale-up: max(10 + 4, ceil(10 × 2)) = 20
        RateCase(
            name: "scaleUp with default behavior", minReplicas: 1, maxReplicas: 1000,
            current: 10, desired: 50, expected: 20, reason: .scaleUpLimit),
        RateCase(
            name: "scaleUp with pods policy larger than percent policy", minReplicas: 1, maxReplicas: 1000,
            scaleUp: rules(pods: 100, podsPeriod: 60, percent: 100, percentPeriod: 60),
            current: 10, desired: 500, expected: 110, reason: .scaleUpLimit),
        RateCase(
            name: "scaleUp with percent policy larger than pods policy", minReplicas: 1, maxReplicas: 1000,
            scaleUp: rules(pods: 2, podsPeriod: 60, percent: 100, percentPeriod: 60),
            current: 10, desired: 500, expected: 20, reason: .scaleUpLimit),
        RateCase(
            name: "scaleUp with spec MaxReplicas limitation with large pod policy", minReplicas: 1, maxReplicas: 1000,
            scaleUp: rules(pods: 100, podsPeriod: 60), current: 10, desired: 50, expected: 50,
            reason: .desiredWithinRange),
        RateCase(
            name: "scaleUp with spec MaxReplicas limitation with large percent policy", minReplicas: 1,
            maxReplicas: 1000,
            scaleUp: rules(pods: 10_000, podsPeriod: 60), current: 10, desired: 50, expected: 50,
            reason: .desiredWithinRange),
        RateCase(
            name: "scaleUp with pod policy limitation", minReplicas: 1, maxReplicas: 1000,
            scaleUp: rules(pods: 30, podsPeriod: 60), current: 10, desired: 50, expected: 40, reason: .scaleUpLimit),
        RateCase(
            name: "scaleUp with percent policy limitation", minReplicas: 1, maxReplicas: 1000,
            scaleUp: rules(percent: 200, percentPeriod: 60), current: 10, desired: 50, expected: 30,
            reason: .scaleUpLimit),
        // Max picks the larger change: min(100 − 20, int(100 × 0.99)) = 80
        RateCase(
            name: "scaleDown with percent policy larger than pod policy", minReplicas: 1, maxReplicas: 1000,
            scaleDown: rules(pods: 20, podsPeriod: 60, percent: 1, percentPeriod: 60, window: 300),
            current: 100, desired: 2, expected: 80, reason: .scaleDownLimit),
        RateCase(
            name: "scaleDown with pod policy larger than percent policy", minReplicas: 1, maxReplicas: 1000,
            scaleDown: rules(pods: 2, podsPeriod: 60, percent: 1, percentPeriod: 60, window: 300),
            current: 100, desired: 2, expected: 98, reason: .scaleDownLimit),
        RateCase(
            name: "scaleDown with spec MinReplicas=nil limitation with large pod policy", minReplicas: 1,
            maxReplicas: 1000,
            scaleDown: rules(pods: 100, podsPeriod: 60, window: 300), current: 10, desired: 0, expected: 1,
            reason: .tooFewReplicas),
        RateCase(
            name: "scaleDown with spec MinReplicas limitation with large percent policy", minReplicas: 5,
            maxReplicas: 1000,
            scaleDown: rules(percent: 100, percentPeriod: 60, window: 300), current: 10, desired: 2, expected: 5,
            reason: .tooFewReplicas),
        RateCase(
            name: "scaleDown with pod policy limitation", minReplicas: 1, maxReplicas: 1000,
            scaleDown: rules(pods: 5, podsPeriod: 60, window: 300), current: 10, desired: 2, expected: 5,
            reason: .scaleDownLimit),
        RateCase(
            name: "scaleDown with percent policy limitation", minReplicas: 1, maxReplicas: 1000,
            scaleDown: rules(percent: 50, percentPeriod: 60, window: 300), current: 10, desired: 5, expected: 5,
            reason: .desiredWithinRange),
        // Events 100, 60 and 20 s ago; a 60 s period counts only the one 20 s ago (strictly after the cutoff).
        RateCase(
            name: "scaleUp with spec MaxReplicas limitation with large pod policy and events", upEvents: [1, 5, 9],
            minReplicas: 1, maxReplicas: 200, scaleUp: rules(pods: 300, podsPeriod: 60),
            current: 100, desired: 500, expected: 200, reason: .tooManyReplicas),
        RateCase(
            name: "scaleUp with spec MaxReplicas limitation with large percent policy and events", upEvents: [1, 5, 9],
            minReplicas: 1, maxReplicas: 200, scaleUp: rules(percent: 10_000, percentPeriod: 60),
            current: 100, desired: 500, expected: 200, reason: .tooManyReplicas),
        // 120 s ago there were 100 − 15 = 85; 85 + 5 = 90 < 100, so no scale-up at all.
        RateCase(
            name: "scaleUp with currentReplicas limitation with a lot of recent scale up events", upEvents: [1, 5, 9],
            minReplicas: 1, maxReplicas: 1000, scaleUp: rules(pods: 5, podsPeriod: 120),
            current: 100, desired: 500, expected: 100, reason: .scaleUpLimit),
        RateCase(
            name: "scaleUp with pod policy and previous scale up events", upEvents: [1, 5, 9],
            minReplicas: 1, maxReplicas: 1000, scaleUp: rules(pods: 150, podsPeriod: 120),
            current: 100, desired: 500, expected: 235, reason: .scaleUpLimit),
        RateCase(
            name: "scaleUp with percent policy and previous scale up events", upEvents: [1, 5, 9],
            minReplicas: 1, maxReplicas: 1000, scaleUp: rules(percent: 200, percentPeriod: 120),
            current: 100, desired: 500, expected: 255, reason: .scaleUpLimit),
        // periodStart = 6 − 4 + 2 = 4; ceil(4 × 4) = 16
        RateCase(
            name: "scaleUp with percent policy and previous scale up and down events", upEvents: [4], downEvents: [2],
            minReplicas: 1, maxReplicas: 1000, scaleUp: rules(percent: 300, percentPeriod: 300),
            current: 6, desired: 24, expected: 16, reason: .scaleUpLimit),
        RateCase(
            name: "scaleDown with default policy and previous events", downEvents: [1, 5, 9],
            minReplicas: 1, maxReplicas: 1000, current: 10, desired: 5, expected: 5, reason: .desiredWithinRange),
        RateCase(
            name: "scaleDown with spec MinReplicas=nil limitation with large pod policy and previous events",
            downEvents: [1, 5, 9], minReplicas: 1, maxReplicas: 1000,
            scaleDown: rules(pods: 115, podsPeriod: 120, window: 300), current: 100, desired: 0, expected: 1,
            reason: .tooFewReplicas),
        RateCase(
            name: "scaleDown with spec MinReplicas limitation with large pod policy and previous events",
            downEvents: [1, 5, 9], minReplicas: 5, maxReplicas: 1000,
            scaleDown: rules(pods: 130, podsPeriod: 120, window: 300), current: 100, desired: 0, expected: 5,
            reason: .tooFewReplicas),
        RateCase(
            name: "scaleDown with spec MinReplicas limitation with large percent policy and previous events",
            downEvents: [1, 5, 9], minReplicas: 5, maxReplicas: 1000,
            scaleDown: rules(percent: 100, percentPeriod: 120, window: 300), current: 100, desired: 2, expected: 5,
            reason: .tooFewReplicas),
        // 100 + 15 − 5 = 110 > 100: no scale-down
        RateCase(
            name: "scaleDown with pod policy limitation and previous events", downEvents: [1, 5, 9],
            minReplicas: 1, maxReplicas: 1000, scaleDown: rules(pods: 5, podsPeriod: 120, window: 300),
            current: 100, desired: 2, expected: 100, reason: .scaleDownLimit),
        // int((100 + 12) × 0.5) = 56
        RateCase(
            name: "scaleDown with percent policy limitation and previous events", downEvents: [2, 4, 6],
            minReplicas: 1, maxReplicas: 1000, scaleDown: rules(percent: 50, percentPeriod: 120, window: 300),
            current: 100, desired: 0, expected: 56, reason: .scaleDownLimit),
        // periodStart = 10 − 2 + 4 = 12; int(12 × 0.5) = 6
        RateCase(
            name: "scaleDown with percent policy and previous scale up and down events", upEvents: [2], downEvents: [4],
            minReplicas: 1, maxReplicas: 1000, scaleDown: rules(percent: 50, percentPeriod: 180),
            current: 10, desired: 1, expected: 6, reason: .scaleDownLimit),
        // int(130 × 0.9) = 117 > 100: keep 100
        RateCase(
            name: "scaleDown with previous events preventing further scale down", downEvents: [10, 10, 10],
            minReplicas: 1, maxReplicas: 1000, scaleDown: rules(percent: 10, percentPeriod: 120, window: 300),
            current: 100, desired: 0, expected: 100, reason: .scaleDownLimit),
        // int(40 × (1 − 10)) = −360, below the desired 5
        RateCase(
            name: "scaleDown with previous events still allowing more scale down", downEvents: [10, 10, 10],
            minReplicas: 1, maxReplicas: 1000, scaleDown: rules(percent: 1000, percentPeriod: 120, window: 300),
            current: 10, desired: 5, expected: 5, reason: .desiredWithinRange),
        RateCase(
            name: "check 'outdated' flag for events for one behavior for up", upEvents: [8, 12, 9, 11],
            minReplicas: 1, maxReplicas: 1000, scaleUp: rules(pods: 1000, podsPeriod: 60),
            current: 100, desired: 200, expected: 200, reason: .desiredWithinRange),
        RateCase(
            name: "events not marked 'outdated' for two different policies for up", upEvents: [8, 12, 9, 11],
            minReplicas: 1, maxReplicas: 1000,
            scaleUp: rules(pods: 1000, podsPeriod: 120, percent: 100, percentPeriod: 60),
            current: 100, desired: 200, expected: 200, reason: .desiredWithinRange),
        RateCase(
            name: "events marked 'outdated' for two different policies for up", upEvents: [8, 12, 9, 11],
            minReplicas: 1, maxReplicas: 1000,
            scaleUp: rules(pods: 1000, podsPeriod: 30, percent: 100, percentPeriod: 60),
            current: 100, desired: 200, expected: 200, reason: .desiredWithinRange),
        RateCase(
            name: "check 'outdated' flag for events for one behavior for down", downEvents: [8, 12, 9, 11],
            minReplicas: 1, maxReplicas: 1000, scaleDown: rules(pods: 1000, podsPeriod: 60, window: 300),
            current: 100, desired: 5, expected: 5, reason: .desiredWithinRange),
        RateCase(
            name: "events not marked 'outdated' for two different policies for down", downEvents: [8, 12, 9, 11],
            minReplicas: 1, maxReplicas: 1000,
            scaleDown: rules(pods: 1000, podsPeriod: 120, percent: 100, percentPeriod: 60, window: 300),
            current: 100, desired: 5, expected: 5, reason: .desiredWithinRange),
        RateCase(
            name: "events marked 'outdated' for two different policies for down", downEvents: [8, 12, 9, 11],
            minReplicas: 1, maxReplicas: 1000,
            scaleDown: rules(pods: 1000, podsPeriod: 30, percent: 100, percentPeriod: 60, window: 300),
            current: 100, desired: 5, expected: 5, reason: .desiredWithinRange),
    ]

    @Test(arguments: rateCases)
    func ratePoliciesLimitTheChange(_ rate: RateCase) throws {
        let behavior = Behavior(scaleUp: rate.scaleUp, scaleDown: rate.scaleDown)
        var hpa = try Self.controller(minReplicas: rate.minReplicas, maxReplicas: rate.maxReplicas, behavior: behavior)
        hpa.scaleUpEvents = rate.upEvents.isEmpty ? [] : Self.events(rate.upEvents, over: rate.upPeriod)
        hpa.scaleDownEvents = rate.downEvents.isEmpty ? [] : Self.events(rate.downEvents, over: rate.downPeriod)
        let (replicas, reason) = hpa.convertDesiredReplicasWithBehaviorRate(
            hpa.behavior!, now: Self.now, currentReplicas: rate.current, desiredReplicas: rate.desired,
            minReplicas: rate.minReplicas, maxReplicas: rate.maxReplicas)
        #expect(replicas == rate.expected)
        #expect(reason == rate.reason)
    }

    @Test func uniformEventsMatchUpstreamSpacing() {
        #expect(Self.events([1, 5, 9], over: 120).map { Self.now - $0.timestamp } == [100, 60, 20])
        #expect(Self.events([8, 12, 9, 11], over: 120).map { Self.now - $0.timestamp } == [105, 75, 45, 15])
        #expect(Self.events([4], over: 120).map { Self.now - $0.timestamp } == [60])
    }

    // Port of TestCalculateScaleUpLimitWithScalingRules: Min of 1 + 2 = 3 and ceil(1 × 1.5) = 2 is 2.
    @Test func minSelectPolicyTakesTheSmallestScaleUp() throws {
        let rules = ResolvedScalingRules(
            stabilizationWindowSeconds: 300, selectPolicy: .min,
            policies: [.pods(2, perSeconds: 60), .percent(50, perSeconds: 60)])
        let hpa = try Self.controller(behavior: Behavior())
        #expect(hpa.calculateScaleUpLimitWithScalingRules(currentReplicas: 1, now: Self.now, rules: rules) == 2)
    }

    // Port of TestCalculateScaleDownLimitWithBehaviors: 5 − 2 = 3 and int(5 × 0.5) = 2; Min (least change) is 3.
    @Test func minSelectPolicyTakesTheSmallestScaleDown() throws {
        let rules = ResolvedScalingRules(
            stabilizationWindowSeconds: 300, selectPolicy: .min,
            policies: [.pods(2, perSeconds: 60), .percent(50, perSeconds: 60)])
        let hpa = try Self.controller(behavior: Behavior())
        #expect(hpa.calculateScaleDownLimitWithBehaviors(currentReplicas: 5, now: Self.now, rules: rules) == 3)
    }

    @Test func maxSelectPolicyTakesTheLargestChange() throws {
        let rules = ResolvedScalingRules(
            stabilizationWindowSeconds: 0, selectPolicy: .max,
            policies: [.pods(2, perSeconds: 60), .percent(50, perSeconds: 60)])
        let hpa = try Self.controller(behavior: Behavior())
        // up: max(1 + 2, ceil(1.5)) = 3; down: min(5 − 2, int(2.5)) = 2
        #expect(hpa.calculateScaleUpLimitWithScalingRules(currentReplicas: 1, now: Self.now, rules: rules) == 3)
        #expect(hpa.calculateScaleDownLimitWithBehaviors(currentReplicas: 5, now: Self.now, rules: rules) == 2)
    }

    @Test func disabledSelectPolicyKeepsTheCount() throws {
        let disabled = ScalingRules(selectPolicy: .disabled)
        let hpa = try Self.controller(behavior: Behavior(scaleUp: disabled, scaleDown: disabled))
        #expect(
            hpa.convertDesiredReplicasWithBehaviorRate(
                hpa.behavior!, now: Self.now, currentReplicas: 5, desiredReplicas: 50,
                minReplicas: 1, maxReplicas: 1000) == (5, .scaleUpLimit))
        #expect(
            hpa.convertDesiredReplicasWithBehaviorRate(
                hpa.behavior!, now: Self.now, currentReplicas: 5, desiredReplicas: 1,
                minReplicas: 1, maxReplicas: 1000) == (5, .scaleDownLimit))
    }

    // Percent up rounds up, down truncates: ceil(5 × 1.5) = 8, int(5 × 0.5) = 2; ceil(3 × 1.1) = 4, int(3 × 0.9) = 2.
    @Test func percentPolicyRoundsUpOnTheWayUpAndTruncatesOnTheWayDown() throws {
        let hpa = try Self.controller(behavior: Behavior())
        func limits(_ percent: Int, current: Int) -> (Int, Int) {
            let rules = ResolvedScalingRules(
                stabilizationWindowSeconds: 0, selectPolicy: .max,
                policies: [.percent(percent, perSeconds: 60)])
            return (
                hpa.calculateScaleUpLimitWithScalingRules(currentReplicas: current, now: Self.now, rules: rules),
                hpa.calculateScaleDownLimitWithBehaviors(currentReplicas: current, now: Self.now, rules: rules)
            )
        }
        #expect(limits(50, current: 5) == (8, 2))
        #expect(limits(10, current: 3) == (4, 2))
    }

    // An event exactly one period old is outside the period (After(cutoff)); one a second younger is inside.
    @Test func periodCountsOnlyEventsStrictlyInsideIt() throws {
        var hpa = try Self.controller(behavior: Behavior())
        hpa.scaleUpEvents = [
            ScaleEvent(replicaChange: 3, timestamp: Self.now - 60, outdated: false),
            ScaleEvent(replicaChange: 4, timestamp: Self.now - 59, outdated: false),
        ]
        #expect(hpa.replicasChangePerPeriod(periodSeconds: 60, events: hpa.scaleUpEvents, now: Self.now) == 4)
        #expect(hpa.replicasChangePerPeriod(periodSeconds: 61, events: hpa.scaleUpEvents, now: Self.now) == 7)
    }

    struct ConversionCase: Sendable, CustomTestStringConvertible {
        var current: Int, desired: Int, min: Int, max: Int, expected: Int, reason: HPAScalingReason, name: String
        var testDescription: String { name }
    }

    /// Port of horizontal_test.go `TestConvertDesiredReplicasWithRules` (the legacy limits). Upstream's tests
    /// raise `scaleUpLimitFactor` to 8 in `init()`; the production factor is 2, so max(2 × 3, 4) = 6 here.
    @Test(arguments: [
        ConversionCase(
            current: 5, desired: 7, min: 3, max: 8, expected: 7, reason: .desiredWithinRange,
            name: "prenormalized desired replicas within range"),
        ConversionCase(
            current: 3, desired: 1, min: 2, max: 8, expected: 2, reason: .tooFewReplicas,
            name: "prenormalized desired replicas < minReplicas"),
        ConversionCase(
            current: 1, desired: 0, min: 0, max: 10, expected: 0, reason: .desiredWithinRange,
            name: "prenormalized desired zeroed replicas within range"),
        ConversionCase(
            current: 20, desired: 1000, min: 1, max: 10, expected: 10, reason: .tooManyReplicas,
            name: "maxReplicas is the limit because maxReplicas < scaleUpLimit"),
        ConversionCase(
            current: 3, desired: 1000, min: 1, max: 2000, expected: 6, reason: .scaleUpLimit,
            name: "scaleUpLimit is the limit because scaleUpLimit < maxReplicas"),
        // max(2 × 1, 4) = 4: from one replica the legacy rule allows four in all, not one plus four.
        ConversionCase(
            current: 1, desired: 10, min: 1, max: 100, expected: 4, reason: .scaleUpLimit,
            name: "from one replica the legacy limit is four"),
    ])
    func legacyRulesLimitScaleUpToTwiceOrFour(_ conversion: ConversionCase) {
        let (replicas, reason) = HorizontalPodAutoscalerController.convertDesiredReplicasWithRules(
            currentReplicas: conversion.current, desiredReplicas: conversion.desired,
            minReplicas: conversion.min, maxReplicas: conversion.max)
        #expect(replicas == conversion.expected)
        #expect(reason == conversion.reason)
    }

    struct StabilizeCase: Sendable, CustomTestStringConvertible {
        var name: String
        var log: [(Int, Double)]  // recommendation, minutes ago
        var desired: Int
        var expected: Int
        var expectedLog: [Int]
        var testDescription: String { name }
    }

    /// Port of horizontal_test.go `TestNormalizeDesiredReplicas` (legacy `stabilizeRecommendation`, 5-minute window).
    @Test(arguments: [
        StabilizeCase(name: "empty log", log: [], desired: 5, expected: 5, expectedLog: [5]),
        StabilizeCase(name: "stabilize", log: [(4, 2), (5, 1)], desired: 3, expected: 5, expectedLog: [4, 5, 3]),
        StabilizeCase(name: "no stabilize", log: [(1, 2), (2, 1)], desired: 3, expected: 3, expectedLog: [1, 2, 3]),
        StabilizeCase(
            name: "no stabilize - old recommendations", log: [(10, 10), (9, 9)], desired: 3, expected: 3,
            expectedLog: [10, 3]),
        StabilizeCase(
            name: "stabilize - old recommendations", log: [(10, 10), (4, 1), (5, 2), (9, 9)], desired: 3,
            expected: 5, expectedLog: [10, 4, 5, 3]),
    ])
    func legacyStabilizationTakesTheMaximumOfFiveMinutes(_ stabilize: StabilizeCase) throws {
        var hpa = try Self.controller(behavior: nil)
        hpa.recommendations = stabilize.log.map {
            TimestampedRecommendation(recommendation: $0.0, timestamp: Self.now - $0.1 * 60)
        }
        #expect(hpa.stabilizeRecommendation(now: Self.now, prenormalized: stabilize.desired) == stabilize.expected)
        #expect(hpa.recommendations?.map(\.recommendation) == stabilize.expectedLog)
    }

    struct BehaviorStabilizeCase: Sendable, CustomTestStringConvertible {
        var name: String
        var log: [(Int, Double)]  // recommendation, minutes ago
        var current: Int
        var desired: Int
        var upWindow = 0
        var downWindow = 0
        var expected: Int
        var expectedLog: [Int]?
        var testDescription: String { name }
    }

    /// Port of horizontal_test.go `TestNormalizeDesiredReplicasWithBehavior` (`stabilizeRecommendationWithBehaviors`);
    /// unset windows are 0 there, as here.
    @Test(arguments: [
        BehaviorStabilizeCase(
            name: "empty recommendations for scaling down", log: [], current: 100, desired: 5,
            expected: 5, expectedLog: [5]),
        BehaviorStabilizeCase(
            name: "simple scale down stabilization", log: [(4, 2), (5, 1)], current: 100, desired: 3,
            downWindow: 180, expected: 5, expectedLog: [4, 5, 3]),
        BehaviorStabilizeCase(
            name: "simple scale up stabilization", log: [(4, 2), (5, 1)], current: 1, desired: 7,
            upWindow: 300, expected: 4, expectedLog: [4, 5, 7]),
        BehaviorStabilizeCase(
            name: "no scale down stabilization", log: [(1, 2), (2, 1)], current: 100, desired: 3,
            upWindow: 300, expected: 3, expectedLog: [1, 2, 3]),
        BehaviorStabilizeCase(
            name: "no scale up stabilization", log: [(4, 2), (5, 1)], current: 1, desired: 3,
            downWindow: 300, expected: 3, expectedLog: [4, 5, 3]),
        BehaviorStabilizeCase(
            name: "no scale down stabilization, reuse recommendation element",
            log: [(10, 10), (9, 9)], current: 100, desired: 3, expected: 3, expectedLog: [10, 3]),
        BehaviorStabilizeCase(
            name: "no scale up stabilization, reuse recommendation element",
            log: [(10, 10), (9, 9)], current: 1, desired: 100, expected: 100, expectedLog: [10, 100]),
        BehaviorStabilizeCase(
            name: "scale down stabilization, reuse one of obsolete recommendation element",
            log: [(10, 10), (4, 1), (5, 2), (9, 9)], current: 100, desired: 3, downWindow: 180,
            expected: 5, expectedLog: [10, 4, 5, 3]),
        BehaviorStabilizeCase(
            name: "scale up stabilization, reuse one of obsolete recommendation element",
            log: [(10, 100), (6, 1), (5, 2), (9, 3)], current: 1, desired: 100, upWindow: 300,
            expected: 5, expectedLog: [100, 6, 5, 9]),
        BehaviorStabilizeCase(
            name: "do not scale up when prenormalized rec goes down",
            log: [(2, 100), (3, 3)], current: 2, desired: 1, upWindow: 300, downWindow: 300, expected: 2),
        BehaviorStabilizeCase(
            name: "do not scale down when prenormalized rec goes up",
            log: [(2, 100), (1, 3)], current: 2, desired: 3, upWindow: 300, downWindow: 300, expected: 2),
    ])
    func behaviorStabilizationBoundsTheMoveByBothWindows(_ stabilize: BehaviorStabilizeCase) throws {
        var hpa = try Self.controller(behavior: Behavior())
        hpa.recommendations = stabilize.log.map {
            TimestampedRecommendation(recommendation: $0.0, timestamp: Self.now - $0.1 * 60)
        }
        let behavior = ResolvedBehavior(
            scaleUp: ResolvedScalingRules(
                stabilizationWindowSeconds: stabilize.upWindow, selectPolicy: .max, policies: []),
            scaleDown: ResolvedScalingRules(
                stabilizationWindowSeconds: stabilize.downWindow, selectPolicy: .max, policies: []))
        let result = hpa.stabilizeRecommendationWithBehaviors(
            behavior, now: Self.now, currentReplicas: stabilize.current,
            desiredReplicas: stabilize.desired)
        #expect(result == stabilize.expected)
        if let expectedLog = stabilize.expectedLog {
            #expect(hpa.recommendations?.map(\.recommendation) == expectedLog)
        }
    }

    struct StoreCase: Sendable, CustomTestStringConvertible {
        var name: String
        var previous: [(Int, Double)]  // change, seconds ago
        var rules: ScalingRules?
        var expectedLog: [(Int, Bool)]  // change, outdated
        var expectedChange: Int
        var testDescription: String { name }
    }

    /// Port of horizontal_test.go `TestStoreScaleEvents`, both directions: a change of 5 from 10 replicas.
    @Test(arguments: [
        StoreCase(
            name: "empty entries with default behavior", previous: [], rules: nil, expectedLog: [], expectedChange: 0),
        StoreCase(
            name: "empty entries with two-policy-behavior", previous: [],
            rules: rules(pods: 10, podsPeriod: 60, percent: 100, percentPeriod: 60),
            expectedLog: [(5, false)], expectedChange: 0),
        StoreCase(
            name: "one outdated entry to be kept untouched without behavior", previous: [(7, 61)], rules: nil,
            expectedLog: [(7, false)], expectedChange: 0),
        StoreCase(
            name: "one outdated entry to be replaced with behavior", previous: [(7, 61)],
            rules: rules(pods: 10, podsPeriod: 60, percent: 100, percentPeriod: 60),
            expectedLog: [(5, false)], expectedChange: 0),
        StoreCase(
            name: "one actual entry to be not touched with behavior", previous: [(7, 58)],
            rules: rules(pods: 10, podsPeriod: 60, percent: 100, percentPeriod: 60),
            expectedLog: [(7, false), (5, false)], expectedChange: 7),
        StoreCase(
            name: "two entries, one of them to be replaced", previous: [(7, 61), (6, 59)],
            rules: rules(pods: 10, podsPeriod: 60),
            expectedLog: [(5, false), (6, false)], expectedChange: 6),
        StoreCase(
            name: "replace one entry, use policies with different periods",
            previous: [(8, 29), (6, 59), (7, 61), (9, 61)],
            rules: rules(pods: 10, podsPeriod: 60, percent: 100, percentPeriod: 30),
            expectedLog: [(8, false), (6, false), (7, true), (5, false)], expectedChange: 14),
        StoreCase(
            name: "two entries, both actual", previous: [(7, 58), (6, 59)],
            rules: rules(pods: 10, podsPeriod: 120, percent: 100, percentPeriod: 30),
            expectedLog: [(7, false), (6, false), (5, false)], expectedChange: 13),
    ])
    func scaleEventsReuseOutdatedSlots(_ store: StoreCase) throws {
        let previous = store.previous.map {
            ScaleEvent(replicaChange: $0.0, timestamp: Self.now - $0.1, outdated: false)
        }
        var up = try Self.controller(behavior: store.rules.map { Behavior(scaleUp: $0) })
        up.scaleUpEvents = previous
        #expect(
            up.replicasChangePerPeriod(periodSeconds: 60, events: up.scaleUpEvents, now: Self.now)
                == store.expectedChange)
        up.storeScaleEvent(now: Self.now, previousReplicas: 10, newReplicas: 15)
        #expect(up.scaleUpEvents.map(\.replicaChange) == store.expectedLog.map(\.0))
        #expect(up.scaleUpEvents.map(\.outdated) == store.expectedLog.map(\.1))

        var down = try Self.controller(behavior: store.rules.map { Behavior(scaleDown: $0) })
        down.scaleDownEvents = previous
        down.storeScaleEvent(now: Self.now, previousReplicas: 10, newReplicas: 5)
        #expect(down.scaleDownEvents.map(\.replicaChange) == store.expectedLog.map(\.0))
        #expect(down.scaleDownEvents.map(\.outdated) == store.expectedLog.map(\.1))
    }
}

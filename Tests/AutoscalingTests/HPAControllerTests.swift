import Testing

@testable import Autoscaling

/// Whole syncs, once per 15 s period, as the simulation will call them.
@Suite struct HPAControllerTests {
    /// An External `AverageValue` metric with a target of 1 per pod proposes `ceil(value)` replicas
    /// outside the tolerance (replica_calculator.go `GetExternalPerPodMetricReplicas`), so `want(n)`
    /// asks for exactly `n` from any count not within 10 % of it.
    static let queue = MetricSpec.external(name: "queue", target: .averageValue(.units(1)))

    static func want(_ replicas: Int) -> [MetricObservation] {
        [.external([.units(Int64(replicas))])]
    }

    /// Syncs every `period` seconds from `start` through `end`, feeding each result back as the current count.
    /// Returns the count after each sync.
    static func run(
        _ hpa: inout HorizontalPodAutoscalerController, replicas: inout Int, from start: Double, through end: Double,
        period: Double = 15, desired: (Double) -> Int
    ) throws -> [Double: Int] {
        var trace: [Double: Int] = [:]
        var now = start
        while now <= end {
            replicas = try hpa.sync(at: now, currentReplicas: replicas, observations: want(desired(now))).replicas
            trace[now] = replicas
            now += period
        }
        return trace
    }

    // MARK: - Scale-up

    // Legacy: at most max(2 × current, 4) per sync: 1 → 4 → 8 → 10 (horizontal.go calculateScaleUpLimit).
    @Test func legacyScaleUpDoublesOrReachesFour() throws {
        var hpa = try HorizontalPodAutoscalerController(
            spec: HorizontalPodAutoscalerSpec(maxReplicas: 100, metrics: [Self.queue]))
        var replicas = 1
        let trace = try Self.run(&hpa, replicas: &replicas, from: 0, through: 45) { _ in 10 }
        #expect([trace[0], trace[15], trace[30], trace[45]] == [4, 8, 10, 10])
    }

    // Default behavior: max(current + 4, 2 × current) per 15 s, the last sync's event already outside the
    // period: 1 → 5 → 10 (defaults.go defaultHPAScaleUpRules).
    @Test func defaultBehaviorScaleUpAddsFourOrDoubles() throws {
        var hpa = try HorizontalPodAutoscalerController(
            spec: HorizontalPodAutoscalerSpec(
                maxReplicas: 100, metrics: [Self.queue], behavior: Behavior()))
        var replicas = 1
        let trace = try Self.run(&hpa, replicas: &replicas, from: 0, through: 30) { _ in 10 }
        #expect([trace[0], trace[15], trace[30]] == [5, 10, 10])
    }

    // A 60 s scale-up window holds the step from 2 to 8 until every recommendation newer than 60 s asks
    // for 8: the one at T − 15 leaves the window at T + 45. Then the default rate: 2 → 6 → 8.
    @Test func scaleUpStabilizationDelaysAStepUp() throws {
        var hpa = try HorizontalPodAutoscalerController(
            spec: HorizontalPodAutoscalerSpec(
                maxReplicas: 100, metrics: [Self.queue],
                behavior: Behavior(scaleUp: ScalingRules(stabilizationWindowSeconds: 60))))
        var replicas = 2
        let step = 300.0
        let trace = try Self.run(&hpa, replicas: &replicas, from: 0, through: step + 90) { $0 < step ? 2 : 8 }
        #expect([trace[step], trace[step + 15], trace[step + 30]] == [2, 2, 2])
        #expect([trace[step + 45], trace[step + 60], trace[step + 90]] == [6, 8, 8])
    }

    // MARK: - Scale-down stabilization

    /// Metrics ask for 10 until `step`, then for 2; returns when the count first drops, and to what.
    static func firstDrop(behavior: Behavior?, edge: WindowEdge) throws -> (time: Double, replicas: Int) {
        var hpa = try HorizontalPodAutoscalerController(
            spec: HorizontalPodAutoscalerSpec(maxReplicas: 20, metrics: [queue], behavior: behavior),
            configuration: HPAControllerConfiguration(windowEdge: edge))
        var replicas = 10
        let step = 600.0
        let trace = try run(&hpa, replicas: &replicas, from: 0, through: step + 400) { $0 < step ? 10 : 2 }
        let drop = trace.filter { $0.value < 10 }.min { $0.key < $1.key }!
        return (drop.key - step, drop.value)
    }

    // The last recommendation for 10 is at T − 15; 300 s later it is out of the window: the count drops
    // to 2 at T + 285, on both paths (the default scale-down policy, 100 % per 15 s, does not limit it).
    @Test func scaleDownWaitsFiveMinutesAfterTheLastHigherRecommendation() throws {
        #expect(try Self.firstDrop(behavior: Behavior(), edge: .excluded) == (285, 2))
        #expect(try Self.firstDrop(behavior: nil, edge: .excluded) == (285, 2))
    }

    // With Go's comparisons on exact instants, the legacy path (Before(cutoff)) keeps a recommendation
    // exactly 300 s old for one more sync; the behavior path (After(cutoff)) does not.
    @Test func literalWindowEdgeKeepsTheLegacyRecommendationOneSyncLonger() throws {
        #expect(try Self.firstDrop(behavior: nil, edge: .literal) == (300, 2))
        #expect(try Self.firstDrop(behavior: Behavior(), edge: .literal) == (285, 2))
    }

    // The first sync records the current count as a recommendation (recordInitialRecommendation), so a
    // new HPA does not scale down for its first window.
    @Test func initialRecommendationHoldsOffAScaleDown() throws {
        var hpa = try HorizontalPodAutoscalerController(
            spec: HorizontalPodAutoscalerSpec(
                maxReplicas: 20, metrics: [Self.queue], behavior: Behavior()))
        var replicas = 10
        let trace = try Self.run(&hpa, replicas: &replicas, from: 0, through: 300) { _ in 2 }
        #expect(trace[0] == 10)
        #expect(trace[285] == 10)
        #expect(trace[300] == 2)
    }

    // MARK: - Partial behavior

    // Only a scale-down policy given: scale-up keeps the defaults, scale-down gets Max, the controller's
    // 300 s window and the given policy (defaults.go copyHPAScalingRules, maybeInitScaleDownStabilizationWindow).
    @Test func partialBehaviorIsFilledWithDefaults() throws {
        let behavior = Behavior(scaleDown: ScalingRules(policies: [.pods(1, perSeconds: 60)]))
        let hpa = try HorizontalPodAutoscalerController(
            spec: HorizontalPodAutoscalerSpec(
                maxReplicas: 20, metrics: [Self.queue], behavior: behavior))
        #expect(
            hpa.behavior
                == ResolvedBehavior(
                    scaleUp: ResolvedScalingRules(
                        stabilizationWindowSeconds: 0, selectPolicy: .max,
                        policies: [.pods(4, perSeconds: 15), .percent(100, perSeconds: 15)]),
                    scaleDown: ResolvedScalingRules(
                        stabilizationWindowSeconds: 300, selectPolicy: .max,
                        policies: [.pods(1, perSeconds: 60)])))
    }

    @Test func emptyBehaviorGetsEveryDefault() throws {
        let hpa = try HorizontalPodAutoscalerController(
            spec: HorizontalPodAutoscalerSpec(maxReplicas: 20, metrics: [Self.queue], behavior: Behavior()),
            configuration: HPAControllerConfiguration(downscaleStabilizationWindowSeconds: 120))
        #expect(
            hpa.behavior?.scaleUp
                == ResolvedScalingRules(
                    stabilizationWindowSeconds: 0, selectPolicy: .max,
                    policies: [.pods(4, perSeconds: 15), .percent(100, perSeconds: 15)]))
        #expect(
            hpa.behavior?.scaleDown
                == ResolvedScalingRules(
                    stabilizationWindowSeconds: 120, selectPolicy: .max,
                    policies: [.percent(100, perSeconds: 15)]))
    }

    // With one pod per 60 s: 5 stays until the initial recommendation leaves the 300 s window, then
    // 4 at 300, held at 315…345 while that event is inside the period, 3 at 360, 2 at 420, 1 at 480.
    @Test func podsPolicyStepsDownOncePerPeriod() throws {
        var hpa = try HorizontalPodAutoscalerController(
            spec: HorizontalPodAutoscalerSpec(
                maxReplicas: 20, metrics: [Self.queue],
                behavior: Behavior(scaleDown: ScalingRules(policies: [.pods(1, perSeconds: 60)]))))
        var replicas = 5
        let trace = try Self.run(&hpa, replicas: &replicas, from: 0, through: 540) { _ in 1 }
        #expect(trace[285] == 5)
        #expect(
            [trace[300], trace[315], trace[345], trace[360], trace[405], trace[420], trace[480], trace[540]]
                == [4, 4, 4, 3, 3, 2, 1, 1])
    }

    // MARK: - Bounds and zero

    @Test func countAboveMaxGoesToMaxAndBelowMinToMin() throws {
        var hpa = try HorizontalPodAutoscalerController(
            spec: HorizontalPodAutoscalerSpec(
                minReplicas: 3, maxReplicas: 10, metrics: [Self.queue]))
        let above = try hpa.sync(at: 0, currentReplicas: 14, observations: Self.want(50))
        #expect(
            above
                == HPASyncResult(replicas: 10, metricReplicas: nil, stabilizedReplicas: nil, reason: .aboveMaxReplicas))
        let below = try hpa.sync(at: 15, currentReplicas: 1, observations: Self.want(1))
        #expect(
            below == HPASyncResult(replicas: 3, metricReplicas: nil, stabilizedReplicas: nil, reason: .belowMinReplicas)
        )
    }

    @Test func zeroReplicasWithANonZeroMinimumDisablesScaling() throws {
        var hpa = try HorizontalPodAutoscalerController(
            spec: HorizontalPodAutoscalerSpec(maxReplicas: 10, metrics: [Self.queue]))
        do {
            let result = try hpa.sync(at: 0, currentReplicas: 0, observations: Self.want(7))
            #expect(result.replicas == 0)
        }
        do {
            let result = try hpa.sync(at: 15, currentReplicas: 0, observations: Self.want(7))
            #expect(result.reason == .scalingDisabled)
        }
    }

    // minReplicas 0 (HPAScaleToZero) with an External Value metric: 0 against 1 gives ceil(0 × 2) = 0;
    // from zero, 2.5 against 1 gives ceil(2.5) = 3, within the default scale-up of 4 pods.
    @Test func scalesToZeroAndBackWithAnExternalValueMetric() throws {
        let spec = HorizontalPodAutoscalerSpec(
            minReplicas: 0, maxReplicas: 10,
            metrics: [.external(name: "queue", target: .value(.units(1)))],
            behavior: Behavior(scaleDown: ScalingRules(stabilizationWindowSeconds: 0)))
        #expect(throws: AutoscalingError.self) { try HorizontalPodAutoscalerController(spec: spec) }
        var hpa = try HorizontalPodAutoscalerController(
            spec: spec,
            configuration: HPAControllerConfiguration(scaleToZeroEnabled: true))
        do {
            let result = try hpa.sync(at: 0, currentReplicas: 2, observations: [.external([.zero])])
            #expect(result.replicas == 0)
        }
        do {
            let result = try hpa.sync(
                at: 15, currentReplicas: 0, observations: [.external([MetricQuantity(milliValue: 2500)])])
            #expect(result.replicas == 3)
        }
    }

    // MARK: - Metrics

    // No metrics means CPU at 80 % utilization: 2700 m of 3000 m is 90 %, 90 / 80 = 1.125, ceil(3.375) = 4.
    @Test func noMetricsMeansCPUAtEightyPercent() throws {
        var hpa = try HorizontalPodAutoscalerController(spec: HorizontalPodAutoscalerSpec(maxReplicas: 10))
        let result = try hpa.sync(
            at: 0, currentReplicas: 3,
            observations: [.resource(totalUsage: .millicores(2700), totalRequests: .millicores(3000))])
        #expect(result.replicas == 4)
        #expect(result.metricReplicas == 4)
    }

    // CPU proposes ceil(1.5 × 4) = 6 (75 % of a 50 % target), the queue 9: the larger wins.
    @Test func severalMetricsTakeTheLargestProposal() throws {
        var hpa = try HorizontalPodAutoscalerController(
            spec: HorizontalPodAutoscalerSpec(
                maxReplicas: 20, metrics: [.resource(.cpu, .utilization(percent: 50)), Self.queue], behavior: Behavior()
            ))
        let result = try hpa.sync(
            at: 0, currentReplicas: 4,
            observations: [
                .resource(totalUsage: .millicores(1500), totalRequests: .millicores(2000)), .external([.units(9)]),
            ])
        #expect(result.metricReplicas == 9)
        #expect(result.replicas == 8)  // default rate: max(4 + 4, 2 × 4)
    }

    // An unreadable metric blocks a scale-down by the others but not a scale-up (computeReplicasForMetrics).
    @Test func anUnavailableMetricBlocksScaleDownButNotScaleUp() throws {
        let spec = HorizontalPodAutoscalerSpec(
            maxReplicas: 20, metrics: [Self.queue, .pods(name: "rps", averageValue: .units(10))],
            behavior: Behavior(scaleDown: ScalingRules(stabilizationWindowSeconds: 0)))
        var down = try HorizontalPodAutoscalerController(spec: spec)
        let blocked = try down.sync(at: 0, currentReplicas: 6, observations: [.external([.units(2)]), .unavailable])
        #expect(
            blocked == HPASyncResult(replicas: 6, metricReplicas: nil, stabilizedReplicas: nil, reason: .invalidMetrics)
        )
        var up = try HorizontalPodAutoscalerController(spec: spec)
        do {
            let result = try up.sync(at: 0, currentReplicas: 6, observations: [.external([.units(9)]), .unavailable])
            #expect(result.replicas == 9)
        }
        var none = try HorizontalPodAutoscalerController(spec: spec)
        do {
            let result = try none.sync(at: 0, currentReplicas: 6, observations: [.unavailable, .unavailable])
            #expect(result.reason == .invalidMetrics)
        }
    }

    // 102 % of a 100 % target is inside the default 10 %; a 1 % scale-up tolerance acts on it when the
    // HPAConfigurableTolerance gate is on (the default since Kubernetes 1.35), and is ignored when it is off
    // (horizontal.go `tolerancesForHpa`: the controller's tolerance for both directions unless the gate is on).
    @Test func configurableToleranceNeedsItsFeatureGate() throws {
        let spec = HorizontalPodAutoscalerSpec(
            maxReplicas: 10, metrics: [.resource(.cpu, .utilization(percent: 100))],
            behavior: Behavior(scaleUp: ScalingRules(tolerance: 0.01)))
        let observation: [MetricObservation] = [
            .resource(totalUsage: .millicores(3060), totalRequests: .millicores(3000))
        ]
        var off = try HorizontalPodAutoscalerController(
            spec: spec, configuration: HPAControllerConfiguration(configurableToleranceEnabled: false))
        do {
            let result = try off.sync(at: 0, currentReplicas: 3, observations: observation)
            #expect(result.replicas == 3)
        }
        #expect(HPAControllerConfiguration().configurableToleranceEnabled)
        var on = try HorizontalPodAutoscalerController(spec: spec)
        #expect(on.tolerances == Tolerances(scaleDown: 0.1, scaleUp: 0.01))
        do {
            let result = try on.sync(at: 0, currentReplicas: 3, observations: observation)
            #expect(result.replicas == 4)  // ceil(1.02 × 3)
        }
    }

    // MARK: - Misuse

    @Test func invalidSpecsAreRejectedAsTheAPIServerWould() {
        #expect(
            HorizontalPodAutoscalerSpec(minReplicas: 5, maxReplicas: 3).problems()
                == ["maxReplicas must be greater than or equal to minReplicas"])
        let badRules = Behavior(
            scaleUp: ScalingRules(stabilizationWindowSeconds: 4000, policies: []),
            scaleDown: ScalingRules(policies: [.pods(0, perSeconds: 1801)]))
        #expect(
            HorizontalPodAutoscalerSpec(maxReplicas: 3, behavior: badRules).problems() == [
                "behavior.scaleUp.stabilizationWindowSeconds must be less than or equal to 3600",
                "behavior.scaleUp.policies must specify at least one Policy",
                "behavior.scaleDown.policies[0].value must be greater than zero",
                "behavior.scaleDown.policies[0].periodSeconds must be less than or equal to 1800",
            ])
        #expect(
            HorizontalPodAutoscalerSpec(maxReplicas: 3, metrics: [.resource(.cpu, .utilization(percent: 0))]).problems()
                == ["metrics[0]: target.averageUtilization must be greater than 0"])
        #expect(throws: AutoscalingError.self) {
            try HorizontalPodAutoscalerController(spec: HorizontalPodAutoscalerSpec(maxReplicas: 0))
        }
    }

    @Test func observationsMustMatchTheMetrics() throws {
        var hpa = try HorizontalPodAutoscalerController(
            spec: HorizontalPodAutoscalerSpec(maxReplicas: 10, metrics: [Self.queue]))
        #expect(throws: AutoscalingError.observationCount(expected: 1, got: 0)) {
            try hpa.sync(at: 0, currentReplicas: 2, observations: [])
        }
        #expect(throws: AutoscalingError.observationKind(index: 0, expected: Self.queue.observationName)) {
            try hpa.sync(at: 0, currentReplicas: 2, observations: [.pods(total: .units(3))])
        }
        _ = try hpa.sync(at: 30, currentReplicas: 2, observations: Self.want(2))
        #expect(throws: AutoscalingError.timeWentBackwards(previous: 30, now: 15)) {
            try hpa.sync(at: 15, currentReplicas: 2, observations: Self.want(2))
        }
    }
}

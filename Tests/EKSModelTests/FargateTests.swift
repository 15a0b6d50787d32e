import Foundation
import Testing

@testable import EKSModel

@Suite struct FargateSizingTests {
    static let MiB: Int64 = 1_048_576

    static func size(_ cpu: Int64, _ memoryMiB: Int64) -> String? {
        FargateSizing.size(for: ResourceRequests(cpuMillicores: cpu, memoryBytes: memoryMiB * MiB))?.description
    }

    // Requested memory + 256 MiB, rounded up to the smallest valid pair.
    @Test(arguments: [
        (Int64(0), Int64(0), "0.25 vCPU / 0.5 GB"),  // no requests: the smallest size
        (250, 256, "0.25 vCPU / 0.5 GB"),  // 512 MiB exactly
        (250, 257, "0.25 vCPU / 1 GB"),  // 513 MiB
        (250, 1792, "0.25 vCPU / 2 GB"),  // 2048 MiB
        (250, 1793, "0.5 vCPU / 3 GB"),  // 0.25 vCPU stops at 2 GB
        (500, 3840, "0.5 vCPU / 4 GB"),
        (500, 3841, "1 vCPU / 5 GB"),
        (501, 256, "1 vCPU / 2 GB"),  // more than 0.5 vCPU: 1 vCPU starts at 2 GB
        (1000, 7936, "1 vCPU / 8 GB"),
        (1000, 8192, "2 vCPU / 9 GB"),  // the user guide's example: 1 vCPU + 8 GB
        (1001, 1024, "2 vCPU / 4 GB"),
        (2000, 16128, "2 vCPU / 16 GB"),
        (2000, 16384, "4 vCPU / 17 GB"),
        (4000, 30464, "4 vCPU / 30 GB"),
        (4000, 30720, "8 vCPU / 32 GB"),  // 8 vCPU: 16 to 60 GB in 4 GB steps
        (8000, 61184, "8 vCPU / 60 GB"),
        (8000, 61440, "16 vCPU / 64 GB"),  // 16 vCPU: 32 to 120 GB in 8 GB steps
        (16000, 122624, "16 vCPU / 120 GB"),
    ])
    func sizesPodsByTheUserGuideTable(cpu: Int64, memoryMiB: Int64, expected: String) {
        #expect(Self.size(cpu, memoryMiB) == expected)
    }

    @Test func podsAboveTheLargestSizeDoNotFit() {
        #expect(Self.size(16000, 122625) == nil)
        #expect(Self.size(16001, 1024) == nil)
    }

    @Test func selectorsMatchNamespaceWildcardsAndAllLabels() {
        var workload = Workload(
            name: "w", namespace: "prod-api", labels: ["app": "api", "tier": "web"], containers: [])
        #expect(FargateSelector(namespace: "prod-*").matches(workload))
        #expect(FargateSelector(namespace: "prod-ap?").matches(workload))
        #expect(!FargateSelector(namespace: "prod").matches(workload))
        #expect(FargateSelector(namespace: "prod-api", labels: ["app": "api"]).matches(workload))
        #expect(!FargateSelector(namespace: "prod-api", labels: ["app": "api", "env": "x"]).matches(workload))
        workload.labels["app"] = "api-v2"
        #expect(FargateSelector(namespace: "*", labels: ["app": "api*"]).matches(workload))
    }

    @Test func reportsWhatFargateCannotRun() {
        let plain = Workload(name: "w", containers: [Container(name: "c")])
        #expect(FargateSizing.limitation(for: plain) == nil)
        var daemon = plain
        daemon.kind = .daemonSet
        #expect(FargateSizing.limitation(for: daemon) == .daemonSet)
        var privileged = plain
        privileged.containers[0].privileged = true
        #expect(FargateSizing.limitation(for: privileged) == .privileged)
        var host = plain
        host.hostNetwork = true
        #expect(FargateSizing.limitation(for: host) == .hostNetwork)
        var port = plain
        port.containers[0].ports = [ContainerPort(containerPort: 80, hostPort: 80)]
        #expect(FargateSizing.limitation(for: port) == .hostPort)
        var gpu = plain
        gpu.containers[0].requests.extended = ExtendedResources(["nvidia.com/gpu": 1])
        #expect(FargateSizing.limitation(for: gpu) == .gpu)
        var device = plain
        device.containers[0].requests.extended = ExtendedResources(["example.com/dongle": 1])
        #expect(FargateSizing.limitation(for: device) == .extendedResource("example.com/dongle"))
        var arm = plain
        arm.nodeSelector = ["kubernetes.io/arch": "arm64"]
        #expect(FargateSizing.limitation(for: arm) == .nodeSelection("arm64 nodes"))
        var huge = plain
        huge.containers[0].requests = ResourceRequests(cpuMillicores: 32000)
        #expect(FargateSizing.limitation(for: huge) == .tooLarge(ResourceRequests(cpuMillicores: 32000)))
    }
}

@Suite struct CronScheduleTests {
    static func runs(_ text: String, _ month: String) throws -> Int {
        try CronSchedule.parse(text).get().runs(in: CalendarMonth(month)!)
    }

    @Test func countsRunsInCalendarMonths() throws {
        #expect(try Self.runs("0 2 * * *", "2026-02") == 28)
        #expect(try Self.runs("*/15 * * * *", "2026-02") == 28 * 96)
        // November 2026 starts on a Sunday: 21 weekdays.
        #expect(try Self.runs("0 9 * * 1-5", "2026-11") == 21)
        #expect(try Self.runs("0 9 * * MON-FRI", "2026-11") == 21)
        #expect(try Self.runs("@monthly", "2026-11") == 1)
        // Day of month and weekday both restricted: either matches. December 2026: Fridays 4,
        // 11, 18, 25 and the 13th (a Sunday) → 5.
        #expect(try Self.runs("0 0 13 * 5", "2026-12") == 5)
        #expect(try Self.runs("0 0 * * 0,7", "2026-11") == 5)  // 7 is Sunday too
    }

    @Test func averagesAYearOverConventionMonths() throws {
        let hourly = try CronSchedule.parse("@hourly").get()
        #expect(hourly.runsPerYear == 8760)
        #expect(hourly.runs(in: .standard) == 730)
        #expect(try CronSchedule.parse("0 2 * * *").get().runs(in: .standard) == Decimal(365) / 12)
    }

    @Test(arguments: ["0 2 * *", "61 * * * *", "* * 32 * *", "0 0 * * 8", "@fortnightly", "a b c d e", "*/0 * * * *"])
    func rejectsBadSchedules(text: String) {
        #expect(throws: CronError.self) { try CronSchedule.parse(text).get() }
    }

    @Test func readsDurations() {
        #expect(DurationText.seconds("90s") == 90)
        #expect(DurationText.seconds("10m") == 600)
        #expect(DurationText.seconds("1h30m") == 5400)
        #expect(DurationText.seconds("10") == nil)
        #expect(DurationText.seconds("1.5h") == nil)
    }
}

@Suite struct FargateEstimateTests {
    static let current = PriceSnapshot(
        id: "aws-2026-11", date: CalendarDate("2026-11-23")!,
        prices: Snapshots.current.prices.values.map { $0 } + [
            Snapshots.price("us-east-1", "fargate", "vcpu", Decimal(string: "0.04048")!, .vcpuHour),
            Snapshots.price("us-east-1", "fargate", "memory", Decimal(string: "0.004445")!, .gbHour),
        ])

    static func estimate(_ workloads: [Workload], groups: [NodeGroup] = []) -> Estimate? {
        let scenario = Scenario(
            name: "f", region: "us-east-1",
            clusters: [
                {
                    var cluster = Cluster(name: "c", nodeGroups: groups, workloads: workloads)
                    cluster.fargateProfiles = [
                        FargateProfile(name: "serverless", selectors: [FargateSelector(namespace: "serverless")])
                    ]
                    return cluster
                }()
            ])
        return Estimator.estimate(
            EstimateInputs(
                scenario: scenario, snapshot: current, catalog: Types.catalog,
                period: .standard, asOf: CalendarDate("2026-11-23")!)
        ).estimate
    }

    static func usd(_ estimate: Estimate?, _ group: String, _ resource: String) -> String? {
        estimate?.lines.first { $0.group == group && $0.resource == resource }.map { DecimalText.usd($0.monthlyUSD) }
    }

    @Test func pricesLongRunningPodsByProvisionedSize() {
        // 250m / 512Mi + 256 MiB → 0.25 vCPU / 1 GB. 10 pods: 2.5 vCPU × 0.04048 × 730 = 73.876;
        // 10 GB × 0.004445 × 730 = 32.4485.
        let web = Workload(
            name: "web", namespace: "serverless", replicas: 10,
            containers: [
                Container(name: "c", requests: ResourceRequests(cpuMillicores: 250, memoryBytes: 512 * 1_048_576))
            ])
        let estimate = Self.estimate([web])
        #expect(Self.usd(estimate, "serverless/web", "Fargate vCPU") == "73.88")
        #expect(Self.usd(estimate, "serverless/web", "Fargate memory") == "32.45")
        #expect(estimate?.lines.first { $0.resource == "ENI (Fargate pods)" }?.quantity == 10)
        #expect(
            estimate?.capacity.first?.fargate.first?.size == FargateSize(vcpu: Decimal(string: "0.25")!, memoryGB: 1))
    }

    @Test func bothMissingFargatePricesAreNamedInOneRun() {
        // Snapshots.current has neither Fargate price: the run names both, not the first only.
        var cluster = Cluster(
            name: "c",
            workloads: [
                Workload(
                    name: "web", namespace: "serverless", replicas: 1,
                    containers: [
                        Container(
                            name: "c", requests: ResourceRequests(cpuMillicores: 250, memoryBytes: 512 * 1_048_576))
                    ])
            ])
        cluster.fargateProfiles = [
            FargateProfile(name: "serverless", selectors: [FargateSelector(namespace: "serverless")])
        ]
        let (estimate, diagnostics) = Estimator.estimate(
            EstimateInputs(
                scenario: Scenario(name: "f", region: "us-east-1", clusters: [cluster]), snapshot: Snapshots.current,
                catalog: Types.catalog, period: .standard, asOf: CalendarDate("2026-11-23")!))
        #expect(estimate == nil)
        #expect(
            diagnostics.errors.map(\.message)
                == ["fargate vcpu", "fargate memory"].map {
                    "no price for \($0) on-demand in us-east-1 (snapshot aws-2026-11 covers us-east-1); run 'ekscost pricing fetch us-east-1'"
                })
    }

    @Test func billsShortRunsForAtLeastAMinute() {
        // Hourly, 30 s each: 730 runs billed 60 s = 12.1666… h. 1 vCPU / 2Gi + 256 MiB → 1 vCPU / 3 GB.
        // vCPU: 0.04048 × 12.1666… = 0.4925; memory: 3 × 0.004445 × 12.1666… = 0.1622.
        let job = Workload(
            name: "ping", kind: .cronJob, namespace: "serverless", replicas: 0,
            containers: [
                Container(name: "c", requests: ResourceRequests(cpuMillicores: 1000, memoryBytes: 2048 * 1_048_576))
            ], job: JobSpec(runSeconds: 30, schedule: try! CronSchedule.parse("0 * * * *").get()))
        let estimate = Self.estimate([job])
        #expect(Self.usd(estimate, "serverless/ping", "Fargate vCPU") == "0.49")
        #expect(Self.usd(estimate, "serverless/ping", "Fargate memory") == "0.16")
        // Runs do not hold an ENI all month.
        #expect(estimate?.lines.contains { $0.resource == "ENI (Fargate pods)" } == false)
    }

    @Test func podsOutsideTheProfilesStayOnNodes() {
        let api = Workload(
            name: "api", namespace: "default", replicas: 3,
            containers: [
                Container(name: "c", requests: ResourceRequests(cpuMillicores: 1000, memoryBytes: 1 << 30))
            ])
        let estimate = Self.estimate([api], groups: [NodeGroup(name: "g", instanceType: "m5.large", minSize: 0)])
        #expect(estimate?.lines.first { $0.component == .compute }?.quantity == 3)
        #expect(estimate?.capacity.first?.fargate.isEmpty == true)
    }

    @Test func profileMatchesThatFargateCannotRunAreReported() {
        let gpu = Workload(
            name: "train", namespace: "serverless", replicas: 1,
            containers: [
                Container(name: "c", requests: ResourceRequests(extended: ExtendedResources(["nvidia.com/gpu": 1])))
            ])
        let estimate = Self.estimate([gpu])
        #expect(
            estimate?.capacity.first?.unschedulable.first?.reason
                == .fargateCannotRun(profile: "serverless", limitation: .gpu))
        #expect(estimate?.isComplete == false)
    }
}

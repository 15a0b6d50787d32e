import Autoscaling
import Foundation

@testable import EKSModel

/// Inputs for the golden files of the outputs that need more than cost lines: a comparison of
/// strategies, a simulated period (with an HPA, a VPA and the low/high range) and a diff of two
/// reports. Built through the model, as the commands build them.
enum ReportFixtures {
    static func price(
        _ service: String, _ item: String, _ usd: String, _ unit: PriceUnit = .hour,
        term: String = PriceKey.onDemand
    ) -> Price {
        Price(
            key: PriceKey(region: "us-east-1", service: service, item: item, term: term), unit: unit,
            usd: Decimal(string: usd)!, source: "test prices", sourceDate: "2026-09")
    }

    /// PRICING-FACTS.md's us-east-1 list prices, with a Spot price for m5.large.
    static let snapshot = PriceSnapshot(
        id: "test", date: CalendarDate("2026-11-23")!,
        prices: [
            price("eks", "cluster", "0.10"), price("ec2", "m5.large", "0.096"), price("vpc", "eni", "0"),
            price("ec2", "m5.large", "0.04366", term: PriceKey.spot),
            price("fargate", "vcpu", "0.04048", .vcpuHour), price("fargate", "memory", "0.004445", .gbHour),
        ])
    static let catalog = InstanceCatalog([FortyPods.m5large], source: "test")
    static let asOf = CalendarDate("2026-11-23")!

    static func workload(_ name: String, namespace: String = "default", replicas: Int, cpu: Int64, memoryMiB: Int64)
        -> Workload
    {
        Workload(
            name: name, namespace: namespace, replicas: replicas,
            containers: [
                Container(
                    name: "app", requests: ResourceRequests(cpuMillicores: cpu, memoryBytes: memoryMiB * 1_048_576))
            ])
    }

    /// Six API pods on nodes and six pods in a namespace a Fargate profile selects.
    static var comparison: Comparison {
        var cluster = Cluster(
            name: "prod", nodeGroups: [NodeGroup(name: "general", instanceType: "m5.large", minSize: 1, maxSize: 20)],
            workloads: [
                workload("api", replicas: 6, cpu: 500, memoryMiB: 1024),
                workload("thumbnailer", namespace: "serverless", replicas: 4, cpu: 250, memoryMiB: 512),
                workload("events", namespace: "serverless", replicas: 2, cpu: 1000, memoryMiB: 2048),
            ])
        cluster.fargateProfiles = [
            FargateProfile(name: "serverless", selectors: [FargateSelector(namespace: "serverless")])
        ]
        let scenario = Scenario(name: "fargate-mix", region: "us-east-1", clusters: [cluster])
        return Comparer.compare(
            EstimateInputs(scenario: scenario, snapshot: snapshot, catalog: catalog, period: .standard, asOf: asOf))
    }

    /// Three days (Monday to Wednesday) of hourly steps: `web` scales with an HPA between 2 and 10
    /// pods on a daily office peak (600m, 3600m from 9:00 to 17:00), `worker` has a VPA in
    /// updateMode Off that recommends from its usage (200m and 700 MiB, 800m and 900 MiB at peak).
    static var simulated: Estimate {
        var web = workload("web", replicas: 2, cpu: 500, memoryMiB: 512)
        web.hpa = HorizontalPodAutoscalerSpec(
            minReplicas: 2, maxReplicas: 10, metrics: [.resource(.cpu, .utilization(percent: 60))])
        web.load = WorkloadLoad(cpu: CurveReference(curve: "office"))
        var worker = workload("worker", replicas: 2, cpu: 1000, memoryMiB: 2048)
        worker.vpa = VPASettings(updateMode: .off)
        worker.load = WorkloadLoad(
            cpu: CurveReference(curve: "batch-cpu"), memory: CurveReference(curve: "batch-memory"))
        var scenario = Scenario(
            name: "office-days", region: "us-east-1",
            clusters: [
                Cluster(
                    name: "prod",
                    nodeGroups: [NodeGroup(name: "general", instanceType: "m5.large", minSize: 1, maxSize: 10)],
                    workloads: [web, worker])
            ])
        let everyDay = Set(0...6)
        scenario.curves = [
            "office": ParametricShape(base: 600, peak: 3600, peakStartHour: 9, peakEndHour: 17, weekdays: everyDay)
                .curve(name: "office"),
            "batch-cpu": ParametricShape(base: 200, peak: 800, peakStartHour: 1, peakEndHour: 5, weekdays: everyDay)
                .curve(name: "batch-cpu"),
            "batch-memory": ParametricShape(base: 700, peak: 900, peakStartHour: 1, peakEndHour: 5, weekdays: everyDay)
                .curve(name: "batch-memory"),
        ]
        return Estimator.estimate(
            EstimateInputs(
                scenario: scenario, snapshot: snapshot, catalog: catalog,
                period: BillingPeriod(hoursPerMonth: 72), asOf: asOf)
        ).estimate!
    }

    /// The seed cluster of 2019 against the same cluster today: EKS 0.20 → 0.10 per hour and
    /// 720 → 730 hours, the ENI line gone (free since), a gp3 root volume line added.
    static var diff: ReportDiff {
        let old = SeedEstimate.estimate
        var new = old
        new.lines = [
            CostLine(
                cluster: "workshop", component: .controlPlane, resource: "EKS cluster, standard support", quantity: 1,
                unit: "cluster", price: price("eks", "cluster", "0.10"), hours: 730, hoursPerMonth: 730,
                kind: .controlPlane),
            CostLine(
                cluster: "workshop", component: .compute, group: "ng-1", resource: "m5.large on-demand", quantity: 3,
                unit: "node", price: price("ec2", "m5.large", "0.096"), hours: 730, hoursPerMonth: 730,
                kind: .instances(type: "m5.large")),
            CostLine(
                cluster: "workshop", component: .storage, group: "ng-1", resource: "gp3 root volume", quantity: 60,
                unit: "GiB", price: price("ebs", "gp3", "0.08", .gbMonth), hours: 730, hoursPerMonth: 730,
                kind: .nodeVolumes),
        ]
        return ReportDiff.compare(
            report(old, path: "old/estimate.csv", hours: 720), report(new, path: "new/estimate.csv", hours: 730))
    }

    /// An estimate as `diff` reads its estimate.csv back (data rows from line 2).
    static func report(_ estimate: Estimate, path: String, hours: Decimal) -> EstimateReport {
        let lines = estimate.lines.enumerated().map { index, line in
            ReportLine(
                cluster: line.cluster, component: line.component.rawValue, group: line.group, resource: line.resource,
                quantity: line.quantity, unit: line.unit, unitPriceUSD: line.price.usd, hours: line.hours,
                monthlyUSD: line.monthlyUSD, priceUnit: line.price.unit.rawValue, hoursPerMonth: hours, line: index + 2)
        }
        return EstimateReport(
            path: path, scenario: estimate.scenario, snapshot: estimate.snapshotID, hoursPerMonth: hours,
            lines: lines, totalUSD: lines.reduce(0) { $0 + $1.monthlyUSD })
    }
}

import Foundation
import Testing

@testable import EKSModel

/// NAT gateways, load balancers, EBS volumes, the provisioned control plane tier and the Auto
/// Mode fee, each worked by hand from the prices stated below.
@Suite struct ClusterServicesPricingTests {
    /// PRICING-FACTS.md's us-east-1 prices (NAT 0.045/h and 0.045/GB, ALB 0.0225/h and 0.008/LCU-h,
    /// gp3 0.08/GB-month), the bundled snapshot's Classic Load Balancer (0.025/h), and test values
    /// (stated as such) for what the bundled snapshot does not carry.
    static let snapshot = PriceSnapshot(
        id: "test-services", date: CalendarDate("2026-11-23")!,
        prices: Snapshots.current.allPrices + [
            Snapshots.price("us-east-1", "natgw", "gateway", Decimal("0.045")),
            Snapshots.price("us-east-1", "natgw", "data-processed", Decimal("0.045"), .gb),
            Snapshots.price("us-east-1", "elb", "alb", Decimal("0.0225")),
            Snapshots.price("us-east-1", "elb", "alb-lcu", Decimal("0.008"), .lcuHour),
            Snapshots.price("us-east-1", "elb", "clb", Decimal("0.025")),
            // Test values:
            Snapshots.price("us-east-1", "elb", "clb-data-processed", Decimal("0.008"), .gb),
            Snapshots.price("us-east-1", "elb", "nlb", Decimal("0.0225")),
            Snapshots.price("us-east-1", "elb", "nlb-lcu", Decimal("0.006"), .lcuHour),
            Snapshots.price("us-east-1", "ebs", "gp2", Decimal("0.10"), .gbMonth),
            Snapshots.price("us-east-1", "ebs", "io2", Decimal("0.125"), .gbMonth),
            Snapshots.price("us-east-1", "ebs", "gp3-iops", Decimal("0.005"), .iopsMonth),
            Snapshots.price("us-east-1", "ebs", "io2-iops", Decimal("0.065"), .iopsMonth),
            Snapshots.price("us-east-1", "ebs", "io2-iops-tier2", Decimal("0.0455"), .iopsMonth),
            Snapshots.price("us-east-1", "ebs", "io2-iops-tier3", Decimal("0.03185"), .iopsMonth),
            Snapshots.price("us-east-1", "ebs", "gp3-throughput", Decimal("40.96"), .gibpsMonth),
            Snapshots.price("us-east-1", "eks", "control-plane-tier-xl", Decimal("1.65")),
            Snapshots.price("us-east-1", "eks-auto-mode", "m5.large", Decimal("0.01152")),
        ])

    private func estimate(_ cluster: Cluster, snapshot: PriceSnapshot = snapshot) -> (Estimate?, [Diagnostic]) {
        Estimator.estimate(
            EstimateInputs(
                scenario: Scenario(name: "s", region: "us-east-1", clusters: [cluster]),
                snapshot: snapshot, catalog: Types.catalog,
                period: BillingPeriod(hoursPerMonth: 730), asOf: CalendarDate("2026-11-23")!))
    }

    private func usd(_ estimate: Estimate?, _ resource: String, group: String? = nil) -> String? {
        estimate?.lines.first { $0.resource == resource && (group == nil || $0.group == group) }.map {
            DecimalText.usd($0.monthlyUSD)
        }
    }

    @Test func oneNATGatewayIsThePriceOfEksctlsDefaultVPC() {
        var cluster = Cluster(name: "c")
        cluster.networking.natGateways = NATGateways(count: 1)
        let (result, diagnostics) = estimate(cluster)
        #expect(!diagnostics.hasErrors, "\(diagnostics)")
        // 1 gateway × 0.045 × 730 = 32.85; with the EKS fee 0.10 × 730 = 73.00: 105.85.
        #expect(usd(result, "NAT gateway") == "32.85")
        #expect(result.map { DecimalText.usd($0.totalUSD) } == "105.85")
    }

    @Test func gatewaysPerZoneAndTheDataTheyProcess() {
        var cluster = Cluster(name: "c")
        cluster.networking.natGateways = NATGateways(count: 3, dataProcessedGB: 500)
        let (result, _) = estimate(cluster)
        // 3 × 0.045 × 730 = 98.55; 500 GB × 0.045 = 22.50, whatever the month's hours.
        #expect(usd(result, "NAT gateway") == "98.55")
        #expect(usd(result, "NAT gateway data processed") == "22.50")
        let line = result?.lines.first { $0.resource == "NAT gateway data processed" }
        #expect(line?.exactUSD == Decimal("22.5"))
    }

    @Test func eachLoadBalancerIsItsOwnLineWithItsCapacityUnits() {
        var cluster = Cluster(name: "c")
        cluster.loadBalancers = [
            LoadBalancer(name: "Service shop/web", kind: .classic, reason: "r", dataProcessedGB: 100),
            LoadBalancer(name: "ingress group shop", kind: .application, reason: "r", capacityUnits: 2),
            LoadBalancer(name: "Service shop/tcp", kind: .network, reason: "r", capacityUnits: 1),
        ]
        let (result, diagnostics) = estimate(cluster)
        #expect(!diagnostics.hasErrors, "\(diagnostics)")
        // CLB 0.025 × 730 = 18.25, 100 GB × 0.008 = 0.80; ALB 0.0225 × 730 = 16.425 → 16.43 (half away
        // from zero), 2 LCU × 0.008 × 730 = 11.68; NLB 0.0225 × 730 = 16.43, 1 NLCU × 0.006 × 730 = 4.38.
        #expect(usd(result, "Classic Load Balancer", group: "Service shop/web") == "18.25")
        #expect(usd(result, "Classic Load Balancer data processed") == "0.80")
        #expect(usd(result, "Application Load Balancer", group: "ingress group shop") == "16.43")
        #expect(usd(result, "Application Load Balancer capacity units") == "11.68")
        #expect(usd(result, "Network Load Balancer", group: "Service shop/tcp") == "16.43")
        #expect(usd(result, "Network Load Balancer capacity units") == "4.38")
        // The CSV's total is the sum of its rounded lines: 73.00 + 18.25 + 0.80 + 16.43 + 11.68 + 16.43 + 4.38.
        #expect(result.map { DecimalText.usd($0.totalUSD) } == "140.97")
    }

    @Test func gp3BillsIOPSAndThroughputAboveWhatItIncludes() {
        var cluster = Cluster(name: "c")
        cluster.volumeClaims = [
            VolumeClaim(name: "db/data", source: "PersistentVolumeClaim db/data", sizeGiB: 500, storageClass: "fast")
        ]
        cluster.storageClasses = [
            StorageClassSpec(
                name: "fast", provisioner: "ebs.csi.aws.com",
                parameters: ["type": "gp3", "iops": "6000", "throughput": "250"])
        ]
        let (result, diagnostics) = estimate(cluster)
        #expect(!diagnostics.hasErrors, "\(diagnostics)")
        // 500 GiB × 0.08 = 40.00; (6000 − 3000) IOPS × 0.005 = 15.00; (250 − 125) MiB/s = 125/1024 GiB/s
        // × 40.96 = 5.00 (the Price List's 40.96 per GiBps-month is 0.04 per MiB/s-month).
        #expect(usd(result, "gp3 persistent volume", group: "db/data") == "40.00")
        #expect(usd(result, "gp3 persistent volume IOPS above the 3000 included") == "15.00")
        #expect(usd(result, "gp3 persistent volume throughput above 125 MiB/s") == "5.00")
    }

    @Test func io2IOPSArePricedPerTier() {
        var cluster = Cluster(name: "c")
        cluster.volumeClaims = [
            VolumeClaim(name: "db/data", source: "PersistentVolumeClaim db/data", sizeGiB: 100, storageClass: "fast")
        ]
        cluster.storageClasses = [
            StorageClassSpec(
                name: "fast", provisioner: "ebs.csi.aws.com", parameters: ["type": "io2", "iops": "40000"])
        ]
        let (result, _) = estimate(cluster)
        // 100 GiB × 0.125 = 12.50; 32,000 IOPS × 0.065 = 2080.00; 8,000 × 0.0455 = 364.00.
        #expect(usd(result, "io2 persistent volume") == "12.50")
        #expect(usd(result, "io2 persistent volume IOPS up to 32,000") == "2080.00")
        #expect(usd(result, "io2 persistent volume IOPS 32,001 to 64,000") == "364.00")
    }

    @Test func statefulSetVolumesFollowTheReplicas() {
        var postgres = Workload(
            name: "postgres", kind: .statefulSet, namespace: "db", replicas: 3,
            containers: [Container(name: "pg", requests: ResourceRequests(cpuMillicores: 100, memoryBytes: 1 << 28))])
        postgres.volumeClaimTemplates = [VolumeClaim(name: "data", source: "volume claim template data", sizeGiB: 50)]
        let cluster = Cluster(
            name: "c", nodeGroups: [NodeGroup(name: "ng", instanceType: "m5.large", desiredSize: 1)],
            workloads: [postgres])
        let (result, _) = estimate(cluster)
        // No class and no default stated: gp3. 3 replicas × 50 GiB × 0.08 = 12.00.
        #expect(usd(result, "gp3 volumes of claim template data", group: "db/postgres") == "12.00")
        #expect(result?.notes.contains { $0.contains("priced as gp3") } == true)
    }

    @Test func volumesOfReplicasScaledAwayStayUnlessTheStatefulSetDeletesThem() {
        let trajectory = ReplicaTrajectory(changes: [(0, 2), (500, 4), (750, 1)])
        // Retain: 2 for the first half, then 4 to the end: (2 × 500 + 4 × 500) ÷ 1000 = 3 volumes.
        #expect(trajectory.volumeSeconds(over: 1000, retained: true) == 3000)
        // Delete: 2 × 500 + 4 × 250 + 1 × 250 = 2250 volume-seconds.
        #expect(trajectory.volumeSeconds(over: 1000, retained: false) == 2250)
    }

    @Test func storageClassesDecideTheVolumeType() {
        let claim = VolumeClaim(name: "a/b", source: "claim a/b", sizeGiB: 10)
        func type(_ storageClass: String?, _ classes: [StorageClassSpec] = [], defaultClass: String? = nil) -> String? {
            var written = claim
            written.storageClass = storageClass
            if case .ebs(let volume, _) = StorageClassResolution.resolve(
                written, classes: classes, defaultClass: defaultClass)
            {
                return volume.type
            }
            return nil
        }
        #expect(type(nil) == "gp3")  // no class, no default: gp3 with a note
        #expect(type("gp2") == "gp2")  // the class EKS creates
        #expect(type(nil, defaultClass: "st1") == "st1")  // the scenario's default, a volume type
        #expect(
            type(nil, [StorageClassSpec(name: "x", provisioner: "kubernetes.io/aws-ebs", isDefault: true)]) == "gp2")
        #expect(type("efs", [StorageClassSpec(name: "efs", provisioner: "efs.csi.aws.com")]) == nil)
        #expect(type("") == nil)  // binds only to an existing volume
        // io1 needs IOPS; iopsPerGB is capped at 50 per GiB for io1 (10 GiB → 500).
        var io1 = claim
        io1.storageClass = "io"
        let ioClass = StorageClassSpec(name: "io", provisioner: "ebs.csi.aws.com", parameters: ["type": "io1"])
        if case .invalid = StorageClassResolution.resolve(io1, classes: [ioClass], defaultClass: nil) {
        } else {
            Issue.record("io1 without IOPS")
        }
        var capped = ioClass
        capped.parameters["iopsPerGB"] = "100"
        if case .ebs(let volume, _) = StorageClassResolution.resolve(io1, classes: [capped], defaultClass: nil) {
            #expect(volume.iops == 500)
        } else {
            Issue.record("io1 with iopsPerGB")
        }
    }

    @Test func provisionedControlPlaneAndAutoModeFeesHaveTheirOwnLines() {
        var cluster = Cluster(
            name: "c",
            nodeGroups: [NodeGroup(name: "auto", instanceType: "m5.large", desiredSize: 2, provisioner: .autoMode)])
        cluster.controlPlaneTier = "tier-xl"
        let (result, diagnostics) = estimate(cluster)
        #expect(!diagnostics.hasErrors, "\(diagnostics)")
        // tier-xl (test value 1.65 per hour) × 730 = 1204.50; Auto Mode fee (test value 0.01152 per
        // m5.large-hour) × 2 nodes × 730 = 16.8192 → 16.82, beside the EC2 price 2 × 0.096 × 730 = 140.16.
        #expect(usd(result, "EKS provisioned control plane tier-xl") == "1204.50")
        #expect(usd(result, "m5.large EKS Auto Mode fee") == "16.82")
        #expect(usd(result, "m5.large on-demand") == "140.16")
    }

    @Test func aMissingPriceIsAnErrorNamingTheKey() {
        var cluster = Cluster(name: "c")
        cluster.loadBalancers = [LoadBalancer(name: "Service a/b", kind: .network, reason: "r")]
        let (result, diagnostics) = estimate(cluster, snapshot: Snapshots.current)
        #expect(result == nil)
        #expect(
            diagnostics.errors.map(\.message)
                == [
                    "no price for elb nlb on-demand in us-east-1 (snapshot aws-2026-11 covers us-east-1); run 'ekscost pricing fetch us-east-1'"
                ])
    }

    @Test func everyMissingPriceOfARunIsListedAtOnce() {
        // Snapshots.current has the EKS fee, m5.large, gp3, ENI and public IPv4 only: each of the
        // eight things below lacks its price, and one run names them all, each with the fetch.
        var group = NodeGroup(name: "auto", instanceType: "m5.large", desiredSize: 1, provisioner: .autoMode)
        group.rootVolume = EBSVolume(type: "gp2", sizeGiB: 20)
        var cluster = Cluster(name: "c", nodeGroups: [group])
        cluster.controlPlaneTier = "tier-xl"
        cluster.networking.natGateways = NATGateways(count: 1, dataProcessedGB: 10)
        cluster.loadBalancers = [
            LoadBalancer(name: "Service a/b", kind: .network, reason: "r", capacityUnits: 1),
            LoadBalancer(name: "Service a/c", kind: .classic, reason: "r"),
        ]
        cluster.volumeClaims = [
            VolumeClaim(name: "a/data", source: "PersistentVolumeClaim a/data", sizeGiB: 10, storageClass: "gp2")
        ]
        let (result, diagnostics) = estimate(cluster, snapshot: Snapshots.current)
        #expect(result == nil)
        let missing = Set(diagnostics.errors.map(\.message))
        #expect(
            missing
                == Set(
                    [
                        "eks control-plane-tier-xl", "eks-auto-mode m5.large", "ebs gp2", "natgw gateway",
                        "natgw data-processed",
                        "elb nlb", "elb nlb-lcu", "elb clb",
                    ].map {
                        "no price for \($0) on-demand in us-east-1 (snapshot aws-2026-11 covers us-east-1); run 'ekscost pricing fetch us-east-1'"
                    }))
    }
}

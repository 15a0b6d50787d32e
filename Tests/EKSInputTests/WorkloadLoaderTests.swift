import Autoscaling
import EKSModel
import Foundation
import Testing

@testable import EKSInput

@Suite struct WorkloadLoaderTests {
    static func scenario(_ clusterBody: String) -> (Scenario?, [Diagnostic]) {
        let yaml = """
            apiVersion: ekscost/v1
            kind: Scenario
            metadata: {name: w}
            spec:
              region: us-east-1
              clusters:
                - name: prod
            \(clusterBody)
            """
        return ScenarioLoader.parse(yaml: yaml, file: "w.yaml")
    }

    @Test func readsWorkloadsAndNodeGroupPlacementKeys() throws {
        let (scenario, diagnostics) = Self.scenario(
            """
                  nodeGroups:
                    - name: flex
                      instanceTypes: [c5.large, m5.large]
                      maxSize: 5
                      labels: {tier: web}
                      taints:
                        - {key: dedicated, value: web, effect: NoSchedule}
                      subnets: {prefixLength: 26, count: 2}
                    - name: arm
                      instanceRequirements: {vcpu: {min: 2, max: 8}, memory: {min: 4Gi}, architectures: [arm64], burstable: false}
                  workloads:
                    - name: web
                      namespace: shop
                      replicas: 3
                      nodeSelector: {tier: web}
                      tolerations:
                        - {key: dedicated, operator: Equal, value: web, effect: NoSchedule}
                      containers:
                        - name: app
                          image: shop/web:1
                          ports: [{containerPort: 8080}]
                          resources:
                            limits: {cpu: "1", memory: 512Mi, nvidia.com/gpu: 1}
                    - name: agent
                      kind: DaemonSet
                      hostNetwork: true
                      containers:
                        - name: a
                          resources: {requests: {cpu: 50m, memory: 64Mi}}
            """)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let cluster = try #require(scenario?.clusters.first)
        let flex = cluster.nodeGroups[0]
        #expect(flex.instanceTypes == ["c5.large", "m5.large"] && flex.choosesInstanceType && flex.isAutoscaled)
        #expect(flex.labels == ["tier": "web"])
        #expect(flex.taints == [Taint(key: "dedicated", value: "web", effect: .noSchedule)])
        #expect(flex.subnets == SubnetSpec(prefixLength: 26, count: 2))
        let requirements = try #require(cluster.nodeGroups[1].instanceRequirements)
        #expect(requirements.minVCPU == 2 && requirements.maxVCPU == 8 && requirements.minMemoryMiB == 4096)
        #expect(requirements.architectures == ["arm64"] && !requirements.includeBurstable)
        let web = cluster.workloads[0]
        #expect(web.qualifiedName == "shop/web" && web.replicas == 3)
        // Requests default to limits: 1 CPU, 512 MiB, one GPU (extended resources too: defaults.go).
        #expect(
            web.podRequests
                == ResourceRequests(
                    cpuMillicores: 1000, memoryBytes: 536_870_912,
                    extended: ExtendedResources(["nvidia.com/gpu": 1])))
        #expect(web.containers[0].accelerators == 1)
        #expect(web.containers[0].ports == [ContainerPort(containerPort: 8080)] && web.hostPorts.isEmpty)
        #expect(web.tolerations == [Toleration(key: "dedicated", operator: .equal, value: "web", effect: .noSchedule)])
        let agent = cluster.workloads[1]
        #expect(agent.kind == .daemonSet && agent.hostNetwork && agent.replicas == 0)
    }

    @Test func reportsWorkloadMistakesWithTheirLines() {
        let (_, diagnostics) = Self.scenario(
            """
                  nodeGroups:
                    - name: g
                      instanceType: m5.large
                      instanceTypes: [m5.large]
                      taints:
                        - {key: x}
                  workloads:
                    - name: web
                      replicas: 2
                      containers:
                        - name: app
                          resources:
                            requests: {cpu: 500m, memroy: 1Gi}
                    - name: agent
                      kind: DaemonSet
                      replicas: 2
                      containers:
                        - name: a
                          resources: {requests: {cpu: lots}}
                    - name: tol
                      containers: []
                      tolerations:
                        - {value: x}
            """)
        let messages = diagnostics.errors.map { "\($0.location!.line): \($0.message)" }
        #expect(messages.contains("11: node group g gives instanceType and instanceTypes; give only one"))
        #expect(
            messages.contains("13: a taint of node group g needs 'effect': NoSchedule, PreferNoSchedule or NoExecute"))
        #expect(
            messages.contains {
                $0.hasPrefix("20: unknown resource 'memroy' in requests of container app")
                    && $0.hasSuffix("(did you mean memory?)")
            })
        #expect(
            messages.contains(
                "23: a DaemonSet runs one pod on every node it may use; remove 'replicas' from workload agent"))
        #expect(
            messages.contains {
                $0.hasPrefix("26: cpu in requests of container a: 'lots' is not a Kubernetes quantity")
            })
        #expect(messages.contains("28: workload tol needs at least one container"))
        #expect(
            messages.contains(
                "30: a toleration without a key must use operator: Exists (it then tolerates every taint)"))
    }
}

@Suite struct PortsAndDevicesLoaderTests {
    @Test func readsPortsAndExtendedResources() throws {
        let (scenario, diagnostics) = WorkloadLoaderTests.scenario(
            """
                  nodeGroups:
                    - {name: g, instanceType: g4dn.xlarge, minSize: 0, provisioner: self-managed}
                  workloads:
                    - name: dns
                      containers:
                        - name: coredns
                          ports:
                            - {name: dns, containerPort: 53, hostPort: 53, protocol: UDP, hostIP: 10.0.0.1}
                            - {containerPort: 9153}
                          resources:
                            requests: {nvidia.com/gpu: 1, hugepages-2Mi: 4Mi}
                            limits: {nvidia.com/gpu: 1, hugepages-2Mi: 4Mi}
            """)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let cluster = try #require(scenario?.clusters.first)
        #expect(cluster.nodeGroups[0].provisioner == .selfManaged)
        let dns = cluster.workloads[0]
        #expect(
            dns.containers[0].ports == [
                ContainerPort(containerPort: 53, hostPort: 53, portProtocol: .udp, hostIP: "10.0.0.1"),
                ContainerPort(containerPort: 9153),
            ])
        #expect(dns.hostPorts == [HostPort(port: 53, portProtocol: .udp, hostIP: "10.0.0.1")])
        #expect(dns.podRequests.extended == ExtendedResources(["nvidia.com/gpu": 1, "hugepages-2Mi": 4 * 1_048_576]))
    }

    @Test func reportsBadPortsAndDevicesWhereTheyAreWritten() {
        let (_, diagnostics) = WorkloadLoaderTests.scenario(
            """
                  nodeGroups:
                    - {name: g, instanceType: m5.large, minSize: 0, provisioner: karpenterr}
                  workloads:
                    - name: web
                      containers:
                        - name: app
                          ports:
                            - {containerPort: 8080, hostPort: 70000}
                            - {containerPort: 0, protocol: HTTP}
                            - {containerPort: 80, hostIP: "10.0.0.300"}
                            - {hostPort: 80}
                          resources:
                            requests: {nvidia.com/gpu: 1, example.com/dongle: 2}
                            limits: {nvidia.com/gpu: 2, aws.amazon.com/neuron: 0.5}
            """)
        let messages = diagnostics.errors.map { "\($0.location!.line):\($0.location!.column ?? 0): \($0.message)" }
        #expect(
            messages.contains(
                "9:70: 'provisioner' in node group g must be one of managed-node-group, self-managed, karpenter, auto-mode, found \"karpenterr\"; did you mean 'karpenter'?"
            ))
        #expect(messages.contains("15:51: 'hostPort' in a port of container app must be from 0 to 65535, found 70000"))
        #expect(messages.contains("16:35: 'containerPort' in a port of container app must be from 1 to 65535, found 0"))
        #expect(
            messages.contains {
                $0.hasPrefix(
                    "16:48: 'protocol' in a port of container app must be one of TCP, UDP, SCTP, found \"HTTP\"")
            })
        #expect(
            messages.contains(
                "17:47: 'hostIP' in a port of container app must be an IP address such as 10.0.0.1, found \"10.0.0.300\""
            ))
        #expect(
            messages.contains(
                "18:19: a port of container app needs 'containerPort': the port the container listens on, 1 to 65535"))
        #expect(
            messages.contains(
                "20:44: nvidia.com/gpu in requests of container app is 1 but its limit is 2; nvidia.com/gpu cannot be overcommitted, so the two must be equal"
            ))
        #expect(
            messages.contains(
                "20:67: example.com/dongle in requests of container app needs the same amount in limits: example.com/dongle cannot be overcommitted (or give it in limits only)"
            ))
        #expect(
            messages.contains(
                "21:68: aws.amazon.com/neuron in limits of container app must be a whole number of devices from 0 to 1000000, found 0.5"
            ))
    }
}

@Suite struct FargateAndJobLoaderTests {
    @Test func readsProfilesJobsAndCronJobs() throws {
        let (scenario, diagnostics) = WorkloadLoaderTests.scenario(
            """
                  fargateProfiles:
                    - name: serverless
                      selectors:
                        - namespace: serverless
                        - {namespace: "batch-*", labels: {fargate: "yes"}}
                  workloads:
                    - name: nightly
                      kind: CronJob
                      namespace: batch-reports
                      labels: {fargate: "yes"}
                      schedule: "0 2 * * *"
                      runDuration: 10m
                      completions: 4
                      parallelism: 2
                      containers:
                        - name: job
                          resources: {requests: {cpu: 500m, memory: 1Gi, ephemeral-storage: 30Gi}}
                    - name: migrate
                      kind: Job
                      runDuration: 90s
                      runsPerMonth: 3
                      containers:
                        - name: m
            """)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let cluster = try #require(scenario?.clusters.first)
        #expect(cluster.fargateProfiles.first?.selectors.count == 2)
        let nightly = cluster.workloads[0]
        #expect(nightly.kind == .cronJob && cluster.fargateProfile(for: nightly)?.name == "serverless")
        #expect(
            nightly.job?.completions == 4 && nightly.job?.podsAtOnce == 2 && nightly.job?.waves == 2
                && nightly.job?.runSeconds == 600)
        #expect(nightly.job?.runs(in: BillingPeriod(month: CalendarMonth("2026-02")!)) == 28)
        #expect(FargateSizing.extraEphemeralStorageGB(nightly) == 10)
        #expect(cluster.workloads[1].job?.runs(in: .standard) == 3)
    }

    @Test func reportsJobMistakes() {
        let (_, diagnostics) = WorkloadLoaderTests.scenario(
            """
                  nodeGroups:
                    - {name: g, instanceType: m5.large, desiredSize: 1}
                  workloads:
                    - name: bad-cron
                      kind: CronJob
                      schedule: "0 25 * * *"
                      containers: [{name: c}]
                    - name: web
                      runDuration: 5m
                      containers: [{name: c}]
            """)
        let messages = diagnostics.errors.map(\.message)
        #expect(
            messages.contains(
                "workload bad-cron needs 'runDuration': how long each pod runs, such as 90s, 10m or 1h30m"))
        #expect(
            messages.contains {
                $0.hasPrefix(
                    "schedule of workload bad-cron: '0 25 * * *' is not a cron schedule: hour '25' is outside 0-23")
            })
        #expect(messages.contains("'runDuration' is for Jobs and CronJobs; workload web is a Deployment"))
    }
}

@Suite struct AutoscalerLoaderTests {
    @Test func readsHPAsVPAsLoadsAndShapes() throws {
        let yaml = """
            apiVersion: ekscost/v1
            kind: Scenario
            metadata: {name: a}
            spec:
              region: us-east-1
              loadCurves:
                - name: office
                  shape: {base: 200, peak: 1200, peakHours: "08-18", weekdays: [mon, tue, wed, thu, fri]}
              clusters:
                - name: c
                  nodeGroups: [{name: g, instanceType: m5.large, maxSize: 5}]
                  workloads:
                    - name: api
                      containers: [{name: c, resources: {requests: {cpu: 250m, memory: 256Mi}}}]
                      load: {cpu: office, metrics: {requests_per_second: office}}
                      vpa: {updateMode: "Off", containerPolicies: [{containerName: c, minAllowed: {cpu: 100m}}]}
                      hpa:
                        minReplicas: 2
                        maxReplicas: 8
                        metrics:
                          - type: Resource
                            resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
                          - type: Pods
                            pods: {metric: {name: requests_per_second}, target: {type: AverageValue, averageValue: "50"}}
                        behavior:
                          scaleDown:
                            stabilizationWindowSeconds: 120
                            selectPolicy: Min
                            policies: [{type: Pods, value: 1, periodSeconds: 60}]
            """
        let (scenario, diagnostics) = ScenarioLoader.parse(yaml: yaml, file: "a.yaml")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let s = try #require(scenario)
        let curve = try #require(s.curves["office"])
        #expect(curve.series(nil)?[9] == 1200 && curve.series(nil)?[7] == 200 && curve.series(nil)?[5 * 24 + 9] == 200)
        let api = try #require(s.clusters.first?.workloads.first)
        #expect(api.hpa?.minReplicas == 2 && api.hpa?.maxReplicas == 8)
        #expect(
            api.hpa?.metrics == [
                .resource(.cpu, .utilization(percent: 70)),
                .pods(name: "requests_per_second", averageValue: MetricQuantity(milliValue: 50_000)),
            ])
        #expect(
            api.hpa?.behavior?.scaleDown
                == ScalingRules(
                    stabilizationWindowSeconds: 120, selectPolicy: .min, policies: [.pods(1, perSeconds: 60)]))
        #expect(api.vpa?.updateMode == .off && api.vpa?.minAllowed["c"]?.cpuMillicores == 100)
        #expect(api.load?.cpu == CurveReference(curve: "office") && api.load?.metrics["requests_per_second"] != nil)
    }

    @Test func readsSimulationSettingsAndLocatesAStepThatIsNoMultipleOfTheSync() throws {
        func parse(_ settings: String) -> (Scenario?, [Diagnostic]) {
            ScenarioLoader.parse(
                yaml: """
                    apiVersion: ekscost/v1
                    kind: Scenario
                    metadata: {name: a}
                    spec:
                      region: us-east-1
                      simulation: \(settings)
                      clusters:
                        - name: c
                          nodeGroups: [{name: g, instanceType: m5.large, desiredSize: 1}]
                    """, file: "s.yaml")
        }
        let (scenario, diagnostics) = parse("{hpaSyncSeconds: 30, reportStepSeconds: 21600}")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(scenario?.simulation.hpaSyncSeconds == 30 && scenario?.simulation.reportStepSeconds == 21600)
        // 3601 s is not a whole number of 15-second syncs; 3600 is the step below it that is.
        let (_, problems) = parse("{reportStepSeconds: 3601}")
        #expect(
            problems.errors.map(\.description)
                == [
                    "s.yaml:6:35: error: simulation.reportStepSeconds (3601) must be a multiple of hpaSyncSeconds (15), such as 3600"
                ])
    }

    @Test func reportsHPAMistakes() {
        let yaml = """
            apiVersion: ekscost/v1
            kind: Scenario
            metadata: {name: a}
            spec:
              region: us-east-1
              clusters:
                - name: c
                  nodeGroups: [{name: g, instanceType: m5.large, maxSize: 5}]
                  workloads:
                    - name: api
                      containers: [{name: c}]
                      hpa:
                        minReplicas: 5
                        maxReplicas: 3
                        metrics:
                          - type: Resource
                            resource: {name: gpu, target: {type: Utilization, averageUtilization: 70}}
            """
        let (_, diagnostics) = ScenarioLoader.parse(yaml: yaml, file: "a.yaml")
        let messages = diagnostics.errors.map { "\($0.location!.line): \($0.message)" }
        #expect(
            messages.contains {
                $0.hasPrefix("17: 'name' in resource of a metric of the HPA of workload api must be one of cpu, memory")
            })
        #expect(
            messages.contains("13: the HPA of workload api: maxReplicas must be greater than or equal to minReplicas"))
    }
}

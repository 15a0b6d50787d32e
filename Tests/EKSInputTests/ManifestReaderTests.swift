import Autoscaling
import EKSModel
import Foundation
import Testing

@testable import EKSInput

@Suite struct ManifestReaderTests {
    static let mib: Int64 = 1 << 20
    static let gib: Int64 = 1 << 30

    static func read(_ files: [(String, String)]) -> (ManifestSet, [Diagnostic]) {
        ManifestReader.parse(files.map { (file: $0.0, yaml: $0.1) })
    }

    @Test func readsHostPortsAndDevicesFromPodTemplates() throws {
        // A DaemonSet binding 9100 on hostNetwork (containerPort only: hostPort defaults to it) and a
        // GPU Deployment with the GPU as a limit only (the request defaults to it) and a sidecar's port.
        let (set, diagnostics) = Self.read([
            (
                "k8s/ml.yaml",
                """
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: node-exporter, namespace: monitoring}
                spec:
                  selector: {matchLabels: {app: ne}}
                  template:
                    metadata: {labels: {app: ne}}
                    spec:
                      hostNetwork: true
                      containers:
                        - name: exporter
                          ports: [{name: metrics, containerPort: 9100}]
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: train, namespace: ml}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: train}}
                  template:
                    metadata: {labels: {app: train}}
                    spec:
                      initContainers:
                        - name: mesh
                          restartPolicy: Always
                          ports: [{containerPort: 15001, hostPort: 15001}]
                      containers:
                        - name: trainer
                          resources:
                            limits: {cpu: "2", memory: 8Gi, nvidia.com/gpu: 1}
                """
            )
        ])
        #expect(!diagnostics.hasErrors, "\(diagnostics)")
        let exporter = try #require(set.workloads.first { $0.name == "node-exporter" })
        #expect(exporter.hostPorts == [HostPort(port: 9100)])
        let train = try #require(set.workloads.first { $0.name == "train" })
        #expect(train.podRequests.extended == ExtendedResources(["nvidia.com/gpu": 1]))
        #expect(train.hostPorts == [HostPort(port: 15001)])
    }

    @Test func readsDocumentsAndListsAndCountsWhatItSkips() throws {
        let (set, diagnostics) = Self.read([
            (
                "k8s/app.yaml",
                """
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: shop}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: shop}
                spec:
                  replicas: 3
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                        - name: app
                          image: web:1
                          resources:
                            limits: {cpu: "1", memory: 1Gi}
                ---
                apiVersion: v1
                kind: List
                items:
                  - apiVersion: v1
                    kind: ConfigMap
                    metadata: {name: a}
                  - apiVersion: apps/v1
                    kind: DaemonSet
                    metadata: {name: agent, namespace: kube-system}
                    spec:
                      selector: {matchLabels: {app: agent}}
                      template:
                        metadata: {labels: {app: agent}}
                        spec:
                          hostNetwork: true
                          tolerations: [{operator: Exists}]
                          containers:
                            - name: agent
                              resources: {requests: {cpu: 50m, memory: 64Mi}}
                  - apiVersion: v1
                    kind: ConfigMap
                    metadata: {name: b}
                """
            )
        ])
        #expect(diagnostics.map(\.description) == ["note: manifests: 3 objects not priced: 2 ConfigMap, 1 Service"])
        #expect(set.skipped == ["ConfigMap": 2, "Service": 1])
        #expect(set.workloads.map(\.qualifiedName) == ["shop/web", "kube-system/agent"])
        let web = set.workloads[0]
        // Requests default to the limits: 1 CPU, 1 GiB.
        #expect(web.kind == .deployment && web.replicas == 3 && web.labels == ["app": "web"])
        #expect(
            web.containers == [
                Container(
                    name: "app", requests: ResourceRequests(cpuMillicores: 1000, memoryBytes: Self.gib),
                    limits: ResourceRequests(cpuMillicores: 1000, memoryBytes: Self.gib))
            ])
        let agent = set.workloads[1]
        #expect(agent.kind == .daemonSet && agent.replicas == 0 && agent.hostNetwork)
        #expect(agent.tolerations == [Toleration(operator: .exists)])
        #expect(agent.podRequests == ResourceRequests(cpuMillicores: 50, memoryBytes: 64 * Self.mib))
        // Where things were written, with the document: metadata.name of the Deployment is line 7.
        #expect(
            set.workloadLocations[0]["name"] == SourceLocation(file: "k8s/app.yaml", line: 7, column: 18, document: 2))
        #expect(set.workloadLocations[1][""]?.line == 26)
    }

    @Test func aQuantityTypoNamesTheFileDocumentLineAndColumn() {
        let (_, diagnostics) = Self.read([
            (
                "k8s/web.yaml",
                """
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: web}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: shop}
                spec:
                  template:
                    spec:
                      containers:
                        - name: app
                          resources:
                            requests: {cpu: 500mm, memory: 1Gi}
                """
            )
        ])
        #expect(
            diagnostics.errors.map(\.description) == [
                "k8s/web.yaml:14:29: (document 2) error: cpu in requests of container app of Deployment shop/web: '500mm' is not a Kubernetes quantity: expected a number with an optional suffix (m, k, M, G, T, Ki, Mi, Gi, Ti), such as 500m, 1.5, 512Mi or 2Gi"
            ])
    }

    @Test func unknownKeysAndMissingPartsAreErrors() {
        let (_, diagnostics) = Self.read([
            (
                "bad.yaml",
                """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespce: shop}
                spec:
                  replicas: two
                  template:
                    spec:
                      containers:
                        - name: app
                          resorces: {requests: {cpu: 1}}
                """
            )
        ])
        #expect(
            diagnostics.errors.map(\.description) == [
                "bad.yaml:3:23: error: unknown key 'namespce' in metadata of Deployment web; did you mean 'namespace'?",
                "bad.yaml:5:13: error: 'replicas' in spec of Deployment default/web must be a whole number, found \"two\"",
                "bad.yaml:10:11: error: unknown key 'resorces' in container app of Deployment default/web; did you mean 'resources'?",
            ])
    }

    @Test func limitRangesFillRequestsAndLimitsAsTheAPIServerDoes() throws {
        let (set, diagnostics) = Self.read([
            (
                "team.yaml",
                """
                apiVersion: v1
                kind: LimitRange
                metadata: {name: defaults, namespace: team}
                spec:
                  limits:
                    - type: Container
                      max: {cpu: "2", memory: 4Gi}
                      defaultRequest: {cpu: 250m}
                      min: {memory: 512Mi}
                ---
                apiVersion: v1
                kind: LimitRange
                metadata: {name: later, namespace: team}
                spec:
                  limits:
                    - type: Container
                      default: {cpu: "1", memory: 1Gi}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: app, namespace: team}
                spec:
                  template:
                    spec:
                      containers:
                        - name: a
                        - name: b
                          resources: {limits: {memory: 1Gi}}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: big, namespace: team}
                spec:
                  template:
                    spec:
                      containers:
                        - name: c
                          resources: {requests: {cpu: "3", memory: 256Mi}}
                """
            )
        ])
        let app = try #require(set.workloads.first)
        // a: nothing written. The first LimitRange's default limit is its max (2 CPU, 4 GiB) and
        // its default request is 250m CPU and, for memory, the default limit 4 GiB; the second
        // LimitRange finds nothing left to fill.
        #expect(
            app.containers[0]
                == Container(
                    name: "a", requests: ResourceRequests(cpuMillicores: 250, memoryBytes: 4 * Self.gib),
                    limits: ResourceRequests(cpuMillicores: 2000, memoryBytes: 4 * Self.gib)))
        // b: its memory request is its own limit (set before admission); CPU from the LimitRange.
        #expect(
            app.containers[1]
                == Container(
                    name: "b", requests: ResourceRequests(cpuMillicores: 250, memoryBytes: Self.gib),
                    limits: ResourceRequests(cpuMillicores: 2000, memoryBytes: Self.gib)))
        #expect(app.podRequests == ResourceRequests(cpuMillicores: 500, memoryBytes: 5 * Self.gib))
        #expect(
            diagnostics.map(\.description) == [
                "team.yaml:30:1: (document 4) warning: the API server would reject the pods of Deployment team/big: container c's cpu request 3000m is above its limit 2000m (a LimitRange default); container c's memory request 256 MiB is below the minimum 512 MiB of LimitRange team/defaults",
                "note: namespace team: LimitRange defaults set the requests or limits of 3 containers",
            ])
    }

    @Test func hpasAndVPAsJoinTheirTargets() throws {
        let (set, diagnostics) = Self.read([
            (
                "shop.yaml",
                """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: shop}
                spec:
                  template:
                    spec:
                      containers: [{name: app, resources: {requests: {cpu: 500m, memory: 1Gi}}}]
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: web, namespace: shop}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                  minReplicas: 3
                  maxReplicas: 10
                  metrics:
                    - type: Resource
                      resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
                    - type: Resource
                      resource: {name: memory, target: {type: AverageValue, averageValue: 1Gi}}
                    - type: Pods
                      pods: {metric: {name: rps}, target: {type: AverageValue, averageValue: "100"}}
                    - type: Object
                      object:
                        describedObject: {apiVersion: networking.k8s.io/v1, kind: Ingress, name: main}
                        metric: {name: requests-per-second}
                        target: {type: Value, value: 2k}
                    - type: External
                      external: {metric: {name: queue_messages}, target: {type: AverageValue, averageValue: "30"}}
                  behavior:
                    scaleUp:
                      selectPolicy: Min
                      policies: [{type: Pods, value: 2, periodSeconds: 60}]
                    scaleDown: {stabilizationWindowSeconds: 600}
                ---
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: db, namespace: shop}
                spec:
                  replicas: 5
                  template:
                    spec:
                      containers: [{name: db, resources: {requests: {cpu: "1", memory: 4Gi}}}]
                ---
                apiVersion: autoscaling/v1
                kind: HorizontalPodAutoscaler
                metadata: {name: db, namespace: shop}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: StatefulSet, name: db}
                  minReplicas: 2
                  maxReplicas: 8
                  targetCPUUtilizationPercentage: 60
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: gone, namespace: shop}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
                  maxReplicas: 4
                ---
                apiVersion: autoscaling.k8s.io/v1
                kind: VerticalPodAutoscaler
                metadata: {name: db, namespace: shop}
                spec:
                  targetRef: {apiVersion: apps/v1, kind: StatefulSet, name: db}
                  updatePolicy: {updateMode: "Off"}
                  resourcePolicy:
                    containerPolicies:
                      - containerName: db
                        minAllowed: {cpu: 100m, memory: 128Mi}
                        maxAllowed: {cpu: "2"}
                """
            )
        ])
        let web = set.workloads[0]
        #expect(
            web.hpa
                == HorizontalPodAutoscalerSpec(
                    minReplicas: 3, maxReplicas: 10,
                    metrics: [
                        .resource(.cpu, .utilization(percent: 70)),
                        .resource(.memory, .averageValue(.bytes(Self.gib))),
                        .pods(name: "rps", averageValue: .units(100)),
                        .object(name: "requests-per-second", target: .value(.units(2000))),
                        .external(name: "queue_messages", target: .averageValue(.units(30))),
                    ],
                    behavior: Behavior(
                        scaleUp: ScalingRules(selectPolicy: .min, policies: [.pods(2, perSeconds: 60)]),
                        scaleDown: ScalingRules(stabilizationWindowSeconds: 600))))
        // replicas not written (1) is raised to minReplicas 3 by the HPA controller.
        #expect(web.replicas == 3)
        let db = set.workloads[1]
        #expect(
            db.hpa
                == HorizontalPodAutoscalerSpec(
                    minReplicas: 2, maxReplicas: 8, metrics: [.resource(.cpu, .utilization(percent: 60))]))
        #expect(db.replicas == 5)
        #expect(
            db.vpa
                == VPASettings(
                    updateMode: .off,
                    minAllowed: ["db": ResourceRequests(cpuMillicores: 100, memoryBytes: 128 * Self.mib)],
                    maxAllowed: ["db": ResourceRequests(cpuMillicores: 2000, memoryBytes: Int64.max)]))
        #expect(
            diagnostics.map(\.description) == [
                "shop.yaml:9:1: (document 2) note: Deployment shop/web runs 3 replicas, not 1 (replicas not given): HorizontalPodAutoscaler shop/web keeps it between 3 and 10",
                "shop.yaml:58:19: (document 5) warning: HorizontalPodAutoscaler shop/gone targets Deployment shop/api, which is not in the manifests; the HPA is ignored",
                "note: 2 workloads have a HorizontalPodAutoscaler and are priced at their replicas as deployed, within minReplicas and maxReplicas",
            ])
    }

    @Test func anHPAtheAPIServerWouldRefuseIsAnError() {
        let (_, diagnostics) = Self.read([
            (
                "hpa.yaml",
                """
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: bad, namespace: shop}
                spec:
                  scaleTargetRef: {kind: Deployment, name: web}
                  minReplicas: 5
                  maxReplicas: 2
                  metrics:
                    - type: Pods
                      pods: {metric: {name: rps}, target: {type: Utilization, averageUtilization: 50}}
                """
            )
        ])
        #expect(
            diagnostics.errors.map(\.description) == [
                "hpa.yaml:10:50: error: 'type' in target of pods of a metric of HorizontalPodAutoscaler shop/bad must be one of AverageValue, found \"Utilization\"",
                "hpa.yaml:5:3: error: HorizontalPodAutoscaler shop/bad: maxReplicas must be greater than or equal to minReplicas",
            ])
    }

    @Test func jobsAndCronJobsTakeTheirRunTimeFromAnnotations() throws {
        let (set, diagnostics) = Self.read([
            (
                "jobs.yaml",
                """
                apiVersion: batch/v1
                kind: Job
                metadata:
                  name: export
                  annotations: {ekscost.io/run-duration: 15m, ekscost.io/runs-per-month: "4"}
                spec:
                  completions: 6
                  parallelism: 2
                  template:
                    spec:
                      containers: [{name: x, resources: {requests: {cpu: 250m}}}]
                ---
                apiVersion: batch/v1
                kind: Job
                metadata:
                  name: queue
                  annotations: {ekscost.io/run-duration: 1h30m}
                spec:
                  parallelism: 3
                  template:
                    spec:
                      containers: [{name: x}]
                ---
                apiVersion: batch/v1
                kind: CronJob
                metadata:
                  name: sync
                  annotations: {ekscost.io/run-duration: 90s}
                spec:
                  schedule: "*/30 * * * *"
                  jobTemplate:
                    spec:
                      template:
                        spec:
                          containers: [{name: x}]
                ---
                apiVersion: batch/v1
                kind: CronJob
                metadata: {name: forgot}
                spec:
                  schedule: "@daily"
                  jobTemplate:
                    spec:
                      template:
                        spec:
                          containers: [{name: x}]
                """
            )
        ])
        #expect(set.workloads.map(\.name) == ["export", "queue", "sync"])
        #expect(set.workloads[0].job == JobSpec(completions: 6, parallelism: 2, runSeconds: 900, runsPerMonth: 4))
        // No completions: a work queue of `parallelism` pods.
        #expect(set.workloads[1].job == JobSpec(completions: 3, parallelism: 3, runSeconds: 5400))
        let sync = try #require(set.workloads[2].job)
        #expect(sync.runSeconds == 90 && sync.completions == 1)
        // Every 30 minutes: 48 runs a day × 365 days × 730 / 8760 hours = 1460 runs.
        #expect(sync.runs(in: .standard) == 1460)
        #expect(
            diagnostics.errors.map(\.description) == [
                "jobs.yaml:39:11: (document 4) error: CronJob default/forgot needs the annotation ekscost.io/run-duration: how long each of its pods runs, such as 10m or 1h30m (a manifest does not say)"
            ])
    }

    @Test func quotasAreCheckedAtPlannedReplicasAndAtHPAMaximums() {
        let (_, diagnostics) = Self.read([
            (
                "q.yaml",
                """
                apiVersion: v1
                kind: ResourceQuota
                metadata: {name: quota, namespace: q}
                spec:
                  hard: {pods: "5", requests.cpu: "2", limits.memory: 4Gi, requests.memory: 3Gi}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: api, namespace: q}
                spec:
                  replicas: 3
                  template:
                    spec:
                      containers: [{name: a, resources: {requests: {cpu: 500m}, limits: {memory: 512Mi}}}]
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: api, namespace: q}
                spec:
                  scaleTargetRef: {kind: Deployment, name: api}
                  minReplicas: 3
                  maxReplicas: 8
                ---
                apiVersion: batch/v1
                kind: Job
                metadata:
                  name: export
                  namespace: q
                  annotations: {ekscost.io/run-duration: 5m}
                spec:
                  parallelism: 2
                  template:
                    spec:
                      containers: [{name: x, resources: {requests: {cpu: 200m, memory: 100Mi}}}]
                """
            )
        ])
        // Planned: 3 api pods + 2 export pods = 5 pods (the limit); CPU 3 × 500m + 2 × 200m = 1900m
        // (under 2000m); memory requests 3 × 512Mi (from the limit) + 2 × 100Mi = 1736 MiB.
        // At the HPA maximum, 8 api pods: 10 pods, 4400m CPU, 4296 MiB of requests, 4 GiB of limits.
        #expect(
            diagnostics.filter { $0.severity == .warning }.map(\.description) == [
                "q.yaml:5:16: (document 1) warning: namespace q would ask for 10 pods (pods) with its HPAs at maxReplicas, above the 5 pods of ResourceQuota q/quota: scale-up would stop at the quota",
                "q.yaml:5:35: (document 1) warning: namespace q would ask for 4400m CPU (requests.cpu) with its HPAs at maxReplicas, above the 2000m CPU of ResourceQuota q/quota: scale-up would stop at the quota",
                "q.yaml:5:77: (document 1) warning: namespace q would ask for 4296 MiB (requests.memory) with its HPAs at maxReplicas, above the 3 GiB of ResourceQuota q/quota: scale-up would stop at the quota",
                "q.yaml:5:55: (document 1) warning: ResourceQuota q/quota tracks limits.memory, so the API server refuses pods without it: Job q/export sets none (and no LimitRange gives a default)",
            ])
    }

    @Test func aQuotaExceededAtPlannedReplicasSaysThePodsWouldBeRefused() {
        let (_, diagnostics) = Self.read([
            (
                "q.yaml",
                """
                apiVersion: v1
                kind: ResourceQuota
                metadata: {name: small, namespace: q}
                spec:
                  hard: {cpu: 1500m}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: api, namespace: q}
                spec:
                  replicas: 4
                  template:
                    spec:
                      containers: [{name: a, resources: {requests: {cpu: 500m}}}]
                """
            )
        ])
        #expect(
            diagnostics.map(\.description) == [
                "q.yaml:5:15: (document 1) warning: namespace q asks for 2000m CPU (requests.cpu) at its planned replicas, above the 1500m CPU of ResourceQuota q/small: the API server would refuse the pods beyond it (ekscost prices them all)"
            ])
    }

    @Test func objectsOwnedByAnotherObjectInTheManifestsCountOnce() {
        let (set, diagnostics) = Self.read([
            (
                "all.yaml",
                """
                apiVersion: v1
                kind: List
                items:
                  - apiVersion: apps/v1
                    kind: Deployment
                    metadata: {name: web, namespace: shop}
                    spec:
                      replicas: 2
                      template: {spec: {containers: [{name: app}]}}
                  - apiVersion: apps/v1
                    kind: ReplicaSet
                    metadata:
                      name: web-5d4f
                      namespace: shop
                      ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: a1, controller: true}]
                    spec:
                      replicas: 2
                      template: {spec: {containers: [{name: app}]}}
                  - apiVersion: v1
                    kind: Pod
                    metadata:
                      name: web-5d4f-x2
                      namespace: shop
                      ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-5d4f, uid: b2, controller: true}]
                    spec: {containers: [{name: app}]}
                  - apiVersion: v1
                    kind: Pod
                    metadata: {name: debug, namespace: shop}
                    spec: {containers: [{name: sh}]}
                """
            )
        ])
        #expect(set.workloads.map(\.name) == ["web", "debug"])
        #expect(set.workloads.map(\.replicas) == [2, 1])
        #expect(set.skipped == ["ReplicaSet (counted with its Deployment)": 1, "Pod (counted with its ReplicaSet)": 1])
        #expect(
            diagnostics.map(\.description) == [
                "note: manifests: 2 objects not priced: 1 Pod (counted with its ReplicaSet), 1 ReplicaSet (counted with its Deployment)"
            ])
    }

    @Test func foldersAreReadRecursivelyInPathOrder() throws {
        let folder = TestPaths.temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder + "/b/deep", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder + "/.git", withIntermediateDirectories: true)
        let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: NAME}\nspec: {containers: [{name: c}]}\n"
        for (path, name) in [
            ("b/deep/z.yml", "z"), ("a.yaml", "a"), ("b/c.json", "c"), (".git/x.yaml", "x"), ("readme.txt", "r"),
        ] {
            TestPaths.write(pod.replacingOccurrences(of: "NAME", with: name), to: folder + "/" + path)
        }
        let (set, diagnostics) = ManifestReader.read([ManifestPath(folder + "/")])
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(set.files == [folder + "/a.yaml", folder + "/b/c.json", folder + "/b/deep/z.yml"])
        #expect(set.workloads.map(\.name) == ["a", "c", "z"])
        // Named twice, read once.
        let (twice, _) = ManifestReader.read([ManifestPath(folder + "/b/c.json"), ManifestPath(folder)])
        #expect(twice.files == [folder + "/b/c.json", folder + "/a.yaml", folder + "/b/deep/z.yml"])

        let missing = SourceLocation(file: "s.yaml", line: 9, column: 16)
        let (_, problems) = ManifestReader.read([ManifestPath(folder + "/nothing-here", namedAt: missing)])
        #expect(
            problems.map(\.description) == [
                "s.yaml:9:16: error: cannot read manifests '\(folder)/nothing-here': no such file or folder"
            ])
    }
}

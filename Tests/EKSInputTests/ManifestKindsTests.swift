import Autoscaling
import EKSModel
import Foundation
import Testing

@testable import EKSInput

/// Kinds users have beside Deployments: ReplicationControllers, Helm hooks, Argo Rollouts, KEDA
/// ScaledObjects; Services and Ingresses that create load balancers; claims and volumes.
@Suite struct ManifestKindsTests {
    static func read(_ yaml: String) -> (ManifestSet, [Diagnostic]) {
        ManifestReader.parse([(file: "k8s.yaml", yaml: yaml)])
    }

    static let container = """
                containers:
                  - name: app
                    image: app:1
                    resources: {requests: {cpu: 250m, memory: 256Mi}}
        """

    @Test func aReplicationControllerRunsItsReplicas() {
        let (set, diagnostics) = Self.read(
            """
            apiVersion: v1
            kind: ReplicationController
            metadata: {name: redis}
            spec:
              replicas: 3
              selector: {app: redis}
              template:
                metadata: {labels: {app: redis}}
                spec:
            \(Self.container)
            """)
        #expect(!diagnostics.hasErrors, "\(diagnostics)")
        #expect(set.workloads.map(\.qualifiedName) == ["default/redis"])
        #expect(set.workloads.first?.replicas == 3)
        #expect(set.skipped.isEmpty)
    }

    @Test func helmHooksRunOnceForFiveMinutesAndNeverStopTheRun() {
        let (set, diagnostics) = Self.read(
            """
            apiVersion: v1
            kind: Pod
            metadata:
              name: chart-test
              annotations: {helm.sh/hook: test}
            spec:
              restartPolicy: Never
              containers: [{name: test, image: busybox, resources: {requests: {cpu: 100m, memory: 64Mi}}}]
            ---
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: cleanup
              annotations: {"helm.sh/hook": pre-delete, "helm.sh/hook-delete-policy": hook-succeeded}
            spec:
              template:
                spec:
                  restartPolicy: Never
                  containers: [{name: cleanup, image: busybox, resources: {requests: {cpu: 100m, memory: 64Mi}}}]
            """)
        #expect(!diagnostics.hasErrors, "\(diagnostics)")
        // Both are Jobs of one pod run once, 300 s each (Helm's default --timeout of 5m0s).
        #expect(set.workloads.map(\.kind) == [.job, .job])
        #expect(set.workloads.map { $0.job?.runSeconds } == [300, 300])
        #expect(set.workloads.map { $0.job.map { $0.runs(in: BillingPeriod(hoursPerMonth: 730)) } } == [1, 1])
        #expect(diagnostics.filter { $0.message.contains("is a Helm hook") }.count == 2)
    }

    @Test func aRolloutIsADeploymentAndItsStatedSurgeAShortJob() {
        let (set, diagnostics) = Self.read(
            """
            apiVersion: argoproj.io/v1alpha1
            kind: Rollout
            metadata:
              name: web
              annotations: {ekscost.io/rollout-duration: 30m, ekscost.io/rollouts-per-month: "20"}
            spec:
              replicas: 8
              strategy:
                canary:
                  steps: [{setWeight: 20}, {pause: {}}]
              template:
                metadata: {labels: {app: web}}
                spec:
            \(Self.container)
            ---
            apiVersion: argoproj.io/v1alpha1
            kind: Rollout
            metadata: {name: api}
            spec:
              replicas: 4
              strategy: {blueGreen: {activeService: api}}
              workloadRef: {apiVersion: apps/v1, kind: Deployment, name: api-template}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: api-template}
            spec:
              replicas: 0
              template:
                metadata: {labels: {app: api}}
                spec:
            \(Self.container)
            """)
        #expect(!diagnostics.hasErrors, "\(diagnostics)")
        let byName = Dictionary(uniqueKeysWithValues: set.workloads.map { ($0.name, $0) })
        #expect(byName["web"]?.replicas == 8)
        // Canary without traffic routing: maxSurge 25 % of 8 = 2 extra pods, 30 minutes, 20 times a month.
        #expect(
            byName["web-rollout-surge"]?.job
                == JobSpec(completions: 2, parallelism: 2, runSeconds: 1800, runsPerMonth: 20))
        // workloadRef: the Deployment's template at the Rollout's 4 replicas; its blue-green preview
        // (4 more pods) is not priced without the annotations, and a note says so.
        #expect(byName["api"]?.replicas == 4 && byName["api"]?.containers.first?.name == "app")
        #expect(byName["api-rollout-surge"] == nil)
        #expect(
            diagnostics.contains {
                $0.message.contains("Rollout default/api: the 4 extra pods it runs during a rollout are not priced")
            })
    }

    @Test func aScaledObjectIsTheHPAKEDACreates() {
        let (set, diagnostics) = Self.read(
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: worker}
            spec:
              replicas: 2
              template:
                metadata: {labels: {app: worker}}
                spec:
            \(Self.container)
            ---
            apiVersion: keda.sh/v1alpha1
            kind: ScaledObject
            metadata: {name: worker}
            spec:
              scaleTargetRef: {name: worker}
              triggers:
                - type: cpu
                  metricType: Utilization
                  metadata: {value: "60"}
                - type: aws-sqs-queue
                  metadata: {queueURL: q, queueLength: "5"}
            """)
        #expect(!diagnostics.hasErrors, "\(diagnostics)")
        let hpa = set.workloads.first?.hpa
        // minReplicaCount defaults to 0 (scale to zero allowed with the SQS trigger), maxReplicaCount to 100.
        #expect(hpa?.minReplicas == 0 && hpa?.maxReplicas == 100)
        #expect(
            hpa?.metrics == [
                .resource(.cpu, .utilization(percent: 60)),
                .external(name: "s1-aws-sqs-queue", target: .averageValue(MetricQuantity(milliValue: 5000))),
            ])
        #expect(set.workloads.first?.replicas == 2)
        #expect(
            diagnostics.contains { $0.message.contains("s1-aws-sqs-queue are External metrics ekscost cannot observe") }
        )
    }

    @Test func servicesAndIngressesCreateTheirLoadBalancers() {
        let (set, diagnostics) = Self.read(
            """
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: shop}
            spec: {type: LoadBalancer, ports: [{port: 80}]}
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: tcp
              namespace: shop
              annotations: {service.beta.kubernetes.io/aws-load-balancer-type: external, ekscost.io/capacity-units: "1.5"}
            spec: {type: LoadBalancer, ports: [{port: 9000}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: internal, namespace: shop}
            spec: {ports: [{port: 80}]}
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: api
              namespace: shop
              annotations: {alb.ingress.kubernetes.io/group.name: shop, ekscost.io/capacity-units: "2"}
            spec: {ingressClassName: alb}
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: admin
              namespace: shop
              annotations: {alb.ingress.kubernetes.io/group.name: shop}
            spec: {ingressClassName: alb}
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: legacy, namespace: shop, annotations: {kubernetes.io/ingress.class: nginx}}
            spec: {}
            """)
        #expect(!diagnostics.hasErrors, "\(diagnostics)")
        #expect(set.loadBalancers.map(\.name) == ["Service shop/web", "Service shop/tcp", "ingress group shop"])
        #expect(set.loadBalancers.map(\.kind) == [.classic, .network, .application])
        #expect(set.loadBalancers.map(\.capacityUnits) == [nil, Decimal(string: "1.5"), 2])
        #expect(set.skipped == ["Service": 1, "Ingress (class nginx, not an ALB)": 1])
        #expect(diagnostics.contains { $0.message.contains("not included for Service shop/web, ingress group shop") })
    }

    @Test func claimsAreVolumesOnceAndStatefulSetsKeepTheirTemplates() {
        let (set, diagnostics) = Self.read(
            """
            apiVersion: storage.k8s.io/v1
            kind: StorageClass
            metadata: {name: fast}
            provisioner: ebs.csi.aws.com
            parameters: {type: io2, iops: "4000"}
            ---
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: uploads, namespace: shop}
            spec: {accessModes: [ReadWriteOnce], storageClassName: fast, resources: {requests: {storage: 1500Mi}}}
            ---
            apiVersion: v1
            kind: PersistentVolume
            metadata: {name: legacy-disk}
            spec:
              capacity: {storage: 100Gi}
              awsElasticBlockStore: {volumeID: vol-123}
              claimRef: {namespace: shop, name: legacy}
            ---
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: legacy, namespace: shop}
            spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 100Gi}}}
            ---
            apiVersion: v1
            kind: PersistentVolume
            metadata: {name: local}
            spec: {capacity: {storage: 10Gi}, hostPath: {path: /data}}
            ---
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: db, namespace: shop}
            spec:
              replicas: 3
              persistentVolumeClaimRetentionPolicy: {whenScaled: Delete}
              template:
                metadata: {labels: {app: db}}
                spec:
            \(Self.container)
              volumeClaimTemplates:
                - metadata: {name: data, annotations: {volume.beta.kubernetes.io/storage-class: fast}}
                  spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 20Gi}}}
            """)
        #expect(!diagnostics.hasErrors, "\(diagnostics)")
        // 1500Mi rounds up to 2 GiB; the claim bound to legacy-disk is priced through the volume, once;
        // the hostPath volume is not EBS.
        #expect(set.volumeClaims.map(\.name) == ["shop/uploads", "pv/legacy-disk"])
        #expect(set.volumeClaims.map(\.sizeGiB) == [2, 100])
        #expect(set.storageClasses.map(\.name) == ["fast"])
        #expect(diagnostics.contains { $0.message.contains("PersistentVolume local is backed by hostPath, not EBS") })
        let db = set.workloads.first
        #expect(
            db?.volumeClaimTemplates == [
                VolumeClaim(
                    name: "data", source: "volume claim template data of StatefulSet shop/db",
                    sizeGiB: 20, storageClass: "fast")
            ])
        #expect(db?.retainsVolumesWhenScaled == false)
    }
}

@Suite struct ClusterServicesScenarioTests {
    @Test func scenariosStateNATGatewaysLoadBalancersClassesAndClaimTemplates() {
        let (scenario, diagnostics) = ScenarioLoader.parse(
            yaml: """
                apiVersion: ekscost/v1
                kind: Scenario
                metadata: {name: shop}
                spec:
                  region: us-east-1
                  clusters:
                    - name: prod
                      networking: {natGateways: {count: 3, dataProcessedGB: 500}}
                      controlPlaneTier: tier-xl
                      defaultStorageClass: gp2
                      loadBalancers:
                        - {name: shop/web, type: alb, capacityUnits: 2}
                        - {name: shop/old, type: clb, capacityUnits: 1}
                      nodeGroups: [{name: ng, instanceType: m5.large, desiredSize: 1}]
                      workloads:
                        - name: db
                          kind: StatefulSet
                          replicas: 2
                          volumeClaimTemplates:
                            - metadata: {name: data}
                              spec: {resources: {requests: {storage: 100Gi}}}
                          containers: [{name: db, resources: {requests: {cpu: "1"}}}]
                """, file: "s.yaml")
        let cluster = scenario?.clusters.first
        #expect(cluster?.networking.natGateways == NATGateways(count: 3, dataProcessedGB: 500))
        #expect(cluster?.controlPlaneTier == "tier-xl" && cluster?.defaultStorageClass == "gp2")
        #expect(
            cluster?.loadBalancers.first
                == LoadBalancer(
                    name: "shop/web", kind: .application, reason: "written in the scenario", capacityUnits: 2))
        #expect(cluster?.workloads.first?.volumeClaimTemplates.map(\.sizeGiB) == [100])
        // A Classic Load Balancer is billed per GB, not per capacity unit.
        #expect(
            diagnostics.map(\.description) == [
                "s.yaml:13:54: error: a Classic Load Balancer is billed per GB processed, not per capacity unit: give dataProcessedGB"
            ])
    }
}

@Suite struct ScaledJobTests {
    @Test func aScaledJobIsItsJobRunAsOftenAsStated() {
        let (set, diagnostics) = ManifestKindsTests.read(
            """
            apiVersion: keda.sh/v1alpha1
            kind: ScaledJob
            metadata:
              name: encoder
              annotations: {ekscost.io/run-duration: 10m, ekscost.io/runs-per-month: "300"}
            spec:
              maxReplicaCount: 5
              jobTargetRef:
                parallelism: 10
                template:
                  spec:
                    containers: [{name: enc, image: enc:1, resources: {requests: {cpu: "2", memory: 4Gi}}}]
              triggers: [{type: aws-sqs-queue, metadata: {queueURL: q, queueLength: "1"}}]
            """)
        #expect(!diagnostics.hasErrors, "\(diagnostics)")
        // parallelism 10 capped by maxReplicaCount 5; completions default to parallelism (a work queue).
        #expect(set.workloads.first?.job == JobSpec(completions: 5, parallelism: 5, runSeconds: 600, runsPerMonth: 300))
    }
}

import EKSModel
import Foundation
import Testing

@testable import EKSInput

@Suite struct ScenarioSourcesTests {
    static let eksctl = """
        apiVersion: eksctl.io/v1alpha5
        kind: ClusterConfig
        metadata:
          name: prod
          region: eu-west-1
          version: "1.32"
        managedNodeGroups:
          - name: general
            instanceType: m5.nosuch
            desiredCapacity: 2
        fargateProfiles:
          - name: jobs
            selectors: [{namespace: jobs}]
        """

    static let deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec:
          replicas: 4
          template:
            spec:
              containers: [{name: app, resources: {requests: {cpu: 250m, memory: 512Mi}}}]
        """

    /// A folder with `cluster.yaml` and `k8s/web.yaml`, and the scenario text written to `scenario.yaml`.
    static func folder(scenario: String) -> String {
        let folder = TestPaths.temporaryFolder()
        try! FileManager.default.createDirectory(atPath: folder + "/k8s", withIntermediateDirectories: true)
        TestPaths.write(eksctl, to: folder + "/cluster.yaml")
        TestPaths.write(deployment, to: folder + "/k8s/web.yaml")
        TestPaths.write(scenario, to: folder + "/scenario.yaml")
        return folder
    }

    @Test func sourcesJoinTheClusterNamedLikeTheEksctlClusterAfterItsOwnParts() throws {
        let folder = Self.folder(
            scenario: """
                apiVersion: ekscost/v1
                kind: Scenario
                metadata: {name: joined}
                spec:
                  sources:
                    eksctl: cluster.yaml
                    manifests: [k8s]
                  loads:
                    shop/web: {cpu: traffic/web_cpu, metrics: {rps: traffic/web_rps}}
                  clusters:
                    - name: staging
                      nodeGroups: [{name: small, instanceType: t3.medium, desiredSize: 1}]
                    - name: prod
                      kubernetesVersion: "1.31"
                      nodeGroups: [{name: system, instanceType: m5.large, desiredSize: 2}]
                      workloads:
                        - name: cron
                          kind: CronJob
                          namespace: jobs
                          schedule: "@hourly"
                          runDuration: 1m
                          containers: [{name: c}]
                """)
        let (loaded, diagnostics) = ScenarioLoader.load(path: folder + "/scenario.yaml")
        #expect(
            diagnostics.filter { $0.severity != .note }.map(\.description) == [
                "\(folder)/cluster.yaml:6:12: warning: the eksctl file's version 1.32 differs from kubernetesVersion 1.31 of cluster prod; 1.31 is used"
            ])
        let scenario = try #require(loaded)
        // The region comes from the eksctl file, as the scenario gives none.
        #expect(scenario.region == "eu-west-1")
        #expect(scenario.location(of: "region") == SourceLocation(file: folder + "/cluster.yaml", line: 5, column: 11))
        #expect(scenario.clusters[0].nodeGroups.map(\.name) == ["small"])
        let prod = scenario.clusters[1]
        #expect(prod.kubernetesVersion == "1.31")
        #expect(prod.nodeGroups.map(\.name) == ["system", "general"])
        #expect(prod.fargateProfiles.map(\.name) == ["jobs"])
        #expect(prod.workloads.map(\.qualifiedName) == ["jobs/cron", "shop/web"])
        // Validation and pricing find the eksctl file's and the manifest's lines under the model paths.
        #expect(
            scenario.location(of: "clusters[1].nodeGroups[1].instanceType")
                == SourceLocation(file: folder + "/cluster.yaml", line: 9, column: 19))
        #expect(
            scenario.location(of: "clusters[1].workloads[1].name")
                == SourceLocation(file: folder + "/k8s/web.yaml", line: 3, column: 18))
        #expect(
            scenario.location(of: "clusters[1].nodeGroups[0].instanceType")
                == SourceLocation(file: folder + "/scenario.yaml", line: 15, column: 49))
        #expect(
            prod.workloads[1].load
                == WorkloadLoad(
                    cpu: CurveReference(curve: "traffic", column: "web_cpu"),
                    metrics: ["rps": CurveReference(curve: "traffic", column: "web_rps")]))
        #expect(prod.workloads[0].load == nil)
    }

    @Test func aScenarioWithoutClustersGetsTheEksctlCluster() throws {
        let folder = Self.folder(
            scenario: """
                apiVersion: ekscost/v1
                kind: Scenario
                metadata: {name: from-files}
                spec:
                  region: eu-west-1
                  sources: {eksctl: cluster.yaml, manifests: k8s/web.yaml}
                """)
        let (loaded, diagnostics) = ScenarioLoader.load(path: folder + "/scenario.yaml")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let scenario = try #require(loaded)
        #expect(scenario.clusters.map(\.name) == ["prod"])
        #expect(scenario.clusters[0].kubernetesVersion == "1.32")
        #expect(scenario.clusters[0].nodeGroups.first?.desiredSize == 2)
        #expect(scenario.clusters[0].workloads.map(\.replicas) == [4])
        #expect(
            scenario.location(of: "clusters[0].name")
                == SourceLocation(file: folder + "/cluster.yaml", line: 4, column: 9))
    }

    @Test func missingFilesAndUnknownLoadsAreLocatedInTheScenario() {
        let folder = Self.folder(
            scenario: """
                apiVersion: ekscost/v1
                kind: Scenario
                metadata: {name: broken}
                spec:
                  sources:
                    eksctl: clustr.yaml
                    manifests: [k8s, nothing]
                  loads:
                    shop/wbe: {cpu: traffic/web}
                    justaname: {cpu: x}
                """)
        let (_, diagnostics) = ScenarioLoader.load(path: folder + "/scenario.yaml")
        #expect(
            diagnostics.errors.map(\.description) == [
                "\(folder)/scenario.yaml:6:13: error: cannot open eksctl file '\(folder)/clustr.yaml': no such file",
                "\(folder)/scenario.yaml:7:22: error: cannot read manifests '\(folder)/nothing': no such file or folder",
                "\(folder)/scenario.yaml:6:5: error: manifests need a cluster to run in: name an eksctl file in sources, or add a cluster under clusters",
                "\(folder)/scenario.yaml:9:5: error: loads names shop/wbe, but no workload of the scenario (written or from its sources) is shop/wbe",
                "\(folder)/scenario.yaml:10:5: error: a key of loads must be a workload's \"namespace/name\", such as \"shop/web\", found \"justaname\"",
            ])
    }

    @Test func theCommandLineScenarioIsNamedAfterTheCluster() throws {
        let folder = Self.folder(scenario: "")
        let (loaded, diagnostics) = KubernetesSources.scenario(
            eksctl: folder + "/cluster.yaml", manifests: [folder + "/k8s"])
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let scenario = try #require(loaded)
        #expect(scenario.name == "prod" && scenario.region == "eu-west-1")
        #expect(scenario.pricingSnapshot == nil && scenario.period == nil && scenario.asOf == nil)
        #expect(scenario.clusters.map(\.name) == ["prod"])
        #expect(scenario.clusters[0].workloads.map(\.qualifiedName) == ["shop/web"])

        let (none, problems) = KubernetesSources.scenario(eksctl: nil, manifests: [folder + "/k8s"])
        #expect(none == nil)
        #expect(
            problems.map(\.description) == [
                "error: --manifests needs --eksctl (the cluster's region and node groups), or a scenario whose spec.sources names the manifests"
            ])
    }
}

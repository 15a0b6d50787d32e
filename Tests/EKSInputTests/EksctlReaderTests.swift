import EKSModel
import Testing

@testable import EKSInput

@Suite struct EksctlReaderTests {
    static let gib: Int64 = 1 << 30

    @Test func mapsNodeGroupsAndFargateProfilesWithEksctlDefaults() throws {
        let (read, diagnostics) = EksctlReader.parse(
            yaml: """
                apiVersion: eksctl.io/v1alpha5
                kind: ClusterConfig
                metadata: {name: shop, region: eu-west-1, version: "1.33", tags: {team: a}}
                vpc: {cidr: 10.10.0.0/16, nat: {gateway: Single}}
                iam: {withOIDC: true}
                addons: [{name: vpc-cni}]
                nodeGroups:
                  - name: plain
                  - name: fixed
                    instanceType: c5.xlarge
                    desiredCapacity: 4
                    volumeSize: 30
                    volumeType: gp2
                    privateNetworking: true
                    labels: {tier: batch}
                    taints: {dedicated: "batch:NoSchedule", spot: ":PreferNoSchedule"}
                    ssh: {allow: false}
                  - name: mixed-spot
                    minSize: 1
                    maxSize: 5
                    instancesDistribution:
                      instanceTypes: [m5.large, m5a.large]
                      onDemandBaseCapacity: 0
                      onDemandPercentageAboveBaseCapacity: 0
                      spotAllocationStrategy: capacity-optimized
                managedNodeGroups:
                  - name: web
                    instanceTypes: [m6i.large, m5.large]
                    spot: true
                    minSize: 2
                    desiredCapacity: 3
                    taints:
                      - {key: web, value: "true", effect: NoExecute}
                  - name: min-only
                    minSize: 3
                  - name: desired-and-max
                    desiredCapacity: 2
                    maxSize: 6
                fargateProfiles:
                  - name: fp-default
                    selectors:
                      - namespace: default
                      - {namespace: jobs, labels: {runtime: fargate}}
                """, file: "cluster.yaml")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let cluster = try #require(read)
        #expect(cluster.name == "shop" && cluster.region == "eu-west-1" && cluster.kubernetesVersion == "1.33")
        #expect(
            cluster.nodeGroups.map(\.name) == ["plain", "fixed", "mixed-spot", "web", "min-only", "desired-and-max"])

        // Nothing given: eksctl's m5.large, 2 nodes (DefaultNodeCount), 80 GiB gp3, public subnets.
        let plain = cluster.nodeGroups[0]
        #expect(plain.instanceType == "m5.large" && plain.instanceTypes == nil)
        #expect(plain.desiredSize == 2 && plain.minSize == nil && plain.maxSize == nil && !plain.isAutoscaled)
        #expect(plain.rootVolume == RootVolume(type: "gp3", sizeGiB: 80))
        #expect(plain.publicIPv4 && plain.capacityType == .onDemand)
        #expect(plain.labels == ["alpha.eksctl.io/cluster-name": "shop", "alpha.eksctl.io/nodegroup-name": "plain"])

        // desiredCapacity alone: min = max = desired, a fixed group.
        let fixed = cluster.nodeGroups[1]
        #expect(fixed.instanceType == "c5.xlarge" && fixed.desiredSize == 4 && !fixed.isAutoscaled)
        #expect(fixed.rootVolume == RootVolume(type: "gp2", sizeGiB: 30) && !fixed.publicIPv4)
        #expect(fixed.labels["tier"] == "batch")
        #expect(
            Set(fixed.taints) == [
                Taint(key: "dedicated", value: "batch", effect: .noSchedule),
                Taint(key: "spot", value: "", effect: .preferNoSchedule),
            ])

        // instancesDistribution with no on-demand part is spot; min 1 and max 5 autoscale.
        let mixed = cluster.nodeGroups[2]
        #expect(mixed.instanceTypes == ["m5.large", "m5a.large"] && mixed.instanceType == "m5.large")
        #expect(mixed.capacityType == .spot && mixed.minSize == 1 && mixed.maxSize == 5 && mixed.desiredSize == nil)

        // Managed: instanceTypes, spot; maxSize defaults to desiredCapacity (3), min stays 2.
        let web = cluster.nodeGroups[3]
        #expect(web.instanceTypes == ["m6i.large", "m5.large"] && web.capacityType == .spot)
        #expect(web.minSize == 2 && web.desiredSize == 3 && web.maxSize == 3 && web.isAutoscaled)
        #expect(web.taints == [Taint(key: "web", value: "true", effect: .noExecute)])

        // minSize alone: maxSize = minSize, so a fixed group of 3.
        #expect(cluster.nodeGroups[4].desiredSize == 3 && !cluster.nodeGroups[4].isAutoscaled)
        // desiredCapacity 2 and maxSize 6: minSize = 2, autoscaled 2…6.
        let desiredAndMax = cluster.nodeGroups[5]
        #expect(desiredAndMax.minSize == 2 && desiredAndMax.maxSize == 6 && desiredAndMax.desiredSize == 2)

        #expect(
            cluster.fargateProfiles == [
                FargateProfile(
                    name: "fp-default",
                    selectors: [
                        FargateSelector(namespace: "default"),
                        FargateSelector(namespace: "jobs", labels: ["runtime": "fargate"]),
                    ])
            ])
        // Locations use the model's key names, managed groups numbered after the unmanaged ones.
        #expect(
            cluster.locations["nodeGroups[1].desiredSize"] == SourceLocation(file: "cluster.yaml", line: 11, column: 22)
        )
        #expect(
            cluster.locations["nodeGroups[1].rootVolume.type"]
                == SourceLocation(file: "cluster.yaml", line: 13, column: 17))
        #expect(
            cluster.locations["nodeGroups[3].instanceTypes"]
                == SourceLocation(file: "cluster.yaml", line: 28, column: 20))
    }

    @Test func reportsTyposInThePartsItReadsWithTheirPlace() {
        let (_, diagnostics) = EksctlReader.parse(
            yaml: """
                apiVersion: eksctl.io/v1alpha5
                kind: ClusterConfig
                metadata:
                  name: shop
                  region: us-east-1
                managedNodeGroups:
                  - name: ng-1
                    desiredCapcity: 3
                    volumeType: gp4
                    taints:
                      - {key: a, effect: NoSchedul}
                fargateProfile:
                  - name: fp
                """, file: "k8s/cluster.yaml")
        #expect(
            diagnostics.map(\.description) == [
                "k8s/cluster.yaml:12:1: error: unknown key 'fargateProfile' in the eksctl ClusterConfig; did you mean 'fargateProfiles'?",
                "k8s/cluster.yaml:8:5: error: unknown key 'desiredCapcity' in managed node group ng-1; did you mean 'desiredCapacity'?",
                "k8s/cluster.yaml:9:17: error: 'volumeType' in managed node group ng-1 must be one of gp2, gp3, io1, sc1, st1, found \"gp4\"; did you mean 'gp2'?",
                "k8s/cluster.yaml:11:26: error: 'effect' in a taint of managed node group ng-1 must be one of NoSchedule, PreferNoSchedule, NoExecute, found \"NoSchedul\"; did you mean 'NoSchedule'?",
            ])
    }

    @Test func warnsAboutWhatItCannotPrice() {
        let (read, diagnostics) = EksctlReader.parse(
            yaml: """
                apiVersion: eksctl.io/v1alpha5
                kind: ClusterConfig
                metadata: {name: shop, region: us-east-1}
                nodeGroups:
                  - name: half-spot
                    desiredCapacity: 4
                    maxPodsPerNode: 50
                    additionalVolumes: [{volumeName: /dev/sdf, volumeSize: 100}]
                    instancesDistribution:
                      instanceTypes: [m5.large]
                      onDemandPercentageAboveBaseCapacity: 50
                """, file: "cluster.yaml")
        #expect(
            diagnostics.map(\.description) == [
                "cluster.yaml:10:7: warning: node group half-spot mixes on-demand and spot instances (onDemandBaseCapacity 0, onDemandPercentageAboveBaseCapacity 50); ekscost prices a group with one capacity type and prices it all on-demand: split it into an on-demand and a spot group to price the mix",
                "cluster.yaml:7:21: warning: node group half-spot: maxPodsPerNode is not applied per node group; set networking.maxPodsCap on the scenario's cluster to cap pods per node",
            ])
        #expect(read?.nodeGroups.first?.capacityType == .onDemand)
        // A volume without volumeType gets EC2's default type, gp2.
        #expect(read?.nodeGroups.first?.additionalVolumes == [EBSVolume(type: "gp2", sizeGiB: 100)])
    }

    @Test func nodesOnAnOutpostAreAnErrorNamingOutposts() {
        // A local cluster (control plane on an Outpost, its node groups with it) and a Region's
        // cluster with one group extended to an Outpost; eksctl's Outposts guide (userdocs
        // outposts.md) describes both. The Region's group beside it is still read.
        let (_, local) = EksctlReader.parse(
            yaml: """
                apiVersion: eksctl.io/v1alpha5
                kind: ClusterConfig
                metadata: {name: edge, region: us-west-2}
                nodeGroups: [{name: ng, instanceType: m5d.large, privateNetworking: true}]
                outpost:
                  controlPlaneOutpostARN: "arn:aws:outposts:us-west-2:1234:outpost/op-1234"
                  controlPlaneInstanceType: m5d.large
                """, file: "local.yaml")
        #expect(
            local.errors.map(\.description) == [
                "local.yaml:6:27: error: outpost.controlPlaneOutpostARN places the control plane and the node groups of cluster edge on AWS Outposts, which ekscost does not price: capacity on an Outpost is bought with the Outpost (racks or servers), not billed at the Region's EC2 rates; remove outpost to price the same cluster in the Region"
            ])
        let (_, extended) = EksctlReader.parse(
            yaml: """
                apiVersion: eksctl.io/v1alpha5
                kind: ClusterConfig
                metadata: {name: shop, region: us-west-2}
                nodeGroups:
                  - name: ng
                  - name: outpost-ng
                    privateNetworking: true
                    outpostARN: "arn:aws:outposts:us-west-2:1234:outpost/op-1234"
                """, file: "extended.yaml")
        #expect(
            extended.errors.map(\.description) == [
                "extended.yaml:8:17: error: node group outpost-ng: outpostARN places its nodes on AWS Outposts, which ekscost does not price: capacity on an Outpost is bought with the Outpost (racks or servers), not billed at the Region's EC2 rates; remove outpostARN to price the group in the Region"
            ])
    }

    @Test func aSecondDocumentIsAnErrorNamingIt() {
        let (_, diagnostics) = EksctlReader.parse(
            yaml: """
                apiVersion: eksctl.io/v1alpha5
                kind: ClusterConfig
                metadata: {name: shop, region: us-east-1}
                nodeGroups: [{name: a, desiredCapacity: 1}]
                ---
                apiVersion: apps/v1
                kind: Deployment
                """, file: "cluster.yaml")
        #expect(
            diagnostics.errors.map(\.description) == [
                "cluster.yaml:6:1: (document 2) error: an eksctl file holds one ClusterConfig; this is a second document (give manifests with --manifests or spec.sources.manifests)"
            ])
    }
}

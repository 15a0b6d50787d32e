import Foundation
import Testing

/// The issue's cases run through the binary on the bundled snapshot (aws-2026-11: g4dn.xlarge
/// 0.526, m5.xlarge 0.192, m5.large 0.096 on-demand in us-east-1) and catalog (g4dn.xlarge: 1 GPU).
@Suite struct PlacementRulesCommandTests {
    static func scenario(_ name: String, _ body: String) throws -> String {
        let folder = Binary.temporaryFolder()
        let path = folder + "/\(name).yaml"
        try """
        apiVersion: ekscost/v1
        kind: Scenario
        metadata: {name: \(name)}
        spec:
          region: us-east-1
          pricing: aws-2026-11
          asOf: "2026-11-23"
          clusters:
            - name: lab
        \(body)
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func gpuPodsRunOnThreeGPUNodesAndTheTwoGPUPodFitsNowhere() throws {
        // NodeResourcesFit: m5.xlarge has no nvidia.com/gpu; g4dn.xlarge has 1, so one 1-GPU pod per
        // node → 3 nodes; the 2-GPU pod needs 2 on one node and fits nowhere: exit status 2.
        // 3 × 0.526 × 730 = 1151.94.
        let path = try Self.scenario(
            "gpu",
            """
                  nodeGroups:
                    - {name: general, instanceType: m5.xlarge, minSize: 0, maxSize: 10}
                    - {name: gpu, instanceType: g4dn.xlarge, minSize: 0, maxSize: 10}
                  workloads:
                    - name: train
                      replicas: 3
                      containers:
                        - name: trainer
                          resources: {requests: {cpu: 500m, memory: 1Gi}, limits: {nvidia.com/gpu: 1}}
                    - name: train-big
                      containers:
                        - name: trainer
                          resources: {requests: {cpu: 500m, memory: 1Gi}, limits: {nvidia.com/gpu: 2}}
            """)
        let out = Binary.temporaryFolder()
        let capacity = try Binary.run(["capacity", path, "--out", out])
        #expect(capacity.status == 2, "\(capacity.stderr)")
        #expect(capacity.stdout.contains("gpu / cluster lab: 3 nodes"))
        #expect(
            capacity.stdout.contains(
                "UNSCHEDULABLE default/train-big: 1 pod: each pod requests 2 nvidia.com/gpu; the most a node it may use has is 1 (gpu/g4dn.xlarge)"
            ))
        let rows = Binary.csvRows(try #require(Binary.read(out + "/gpu/capacity.csv")))
        let nodes = rows.filter { $0["row_type"] == "node-group" && $0["nodes"] != "0" }.map {
            "\($0["node_group"]!)/\($0["instance_type"]!):\($0["nodes"]!)"
        }
        #expect(nodes == ["gpu/g4dn.xlarge:3"])
        let estimate = try Binary.run(["estimate", path, "--out", out, "--format", "csv"])
        #expect(estimate.status == 2)
        let lines = Binary.csvRows(try #require(Binary.read(out + "/gpu/estimate.csv")))
        #expect(lines.first { $0["resource"] == "g4dn.xlarge on-demand" }?["monthly_usd"] == "1151.94")
        #expect(lines.first { $0["resource"] == "m5.xlarge on-demand" }?["quantity"] == "0")
    }

    @Test func eightPodsSharingAHostPortNeedEightNodes() throws {
        // NodePorts: 8080/TCP on every address can be bound once per node. 8 × 0.096 × 730 = 560.64.
        let path = try Self.scenario(
            "edge",
            """
                  nodeGroups:
                    - {name: general, instanceType: m5.large, minSize: 0, maxSize: 20}
                  workloads:
                    - name: ingress
                      replicas: 8
                      containers:
                        - name: proxy
                          ports: [{containerPort: 80, hostPort: 8080}]
                          resources: {requests: {cpu: 450m, memory: 256Mi}}
            """)
        let out = Binary.temporaryFolder()
        let run = try Binary.run(["estimate", path, "--out", out, "--format", "csv"])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = Binary.csvRows(try #require(Binary.read(out + "/edge/estimate.csv")))
        let compute = try #require(lines.first { $0["resource"] == "m5.large on-demand" })
        #expect(compute["quantity"] == "8" && compute["monthly_usd"] == "560.64")
    }
}

import Foundation
import Testing

@Suite struct CapacityCommandTests {
    @Test func fortyPodsNeedFourteenNodes() throws {
        let out = Binary.temporaryFolder()
        let run = try Binary.run(["capacity", "Examples/forty-pods.yaml", "--out", out])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("forty-pods / cluster prod: 14 nodes"))
        let rows = Binary.csvRows(try #require(Binary.read(out + "/forty-pods/capacity.csv")))
        let row = try #require(rows.first)
        #expect(row["row_type"] == "node-group" && row["instance_type"] == "m5.large")
        #expect(row["nodes"] == "14" && row["pods"] == "40" && row["max_pods_per_node"] == "29")
        #expect(row["allocatable_cpu_m_per_node"] == "1930" && row["allocatable_memory_mib_per_node"] == "6903")
        // 20000 / (14 × 1930) = 74.02 %; 40960 / (14 × 6903) = 42.38 %.
        #expect(row["requested_cpu_m"] == "20000" && row["requested_memory_mib"] == "40960")
        #expect(row["cpu_utilization_pct"] == "74.0" && row["memory_utilization_pct"] == "42.4")
        #expect(row["enis"] == "28" && row["subnet_ips"] == "280")
    }

    @Test func theEstimatePricesThoseNodes() throws {
        let out = Binary.temporaryFolder()
        let run = try Binary.run(["estimate", "Examples/forty-pods.yaml", "--out", out])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = Binary.csvRows(try #require(Binary.read(out + "/forty-pods/estimate.csv")))
        let compute = try #require(rows.first { $0["component"] == "compute" })
        #expect(compute["quantity"] == "14" && compute["monthly_usd"] == "981.12")
        #expect(FileManager.default.fileExists(atPath: out + "/forty-pods/capacity.csv"))
        let markdown = try #require(Binary.read(out + "/forty-pods/estimate.md"))
        #expect(markdown.contains("## Capacity"))
        #expect(markdown.contains("| prod | general | m5.large | 14 | 40 | 29 | 1930m, 6903 MiB |"))
    }

    @Test func anIncompletePlanListsItsPodsAndExitsWith2() throws {
        let out = Binary.temporaryFolder()
        let capacity = try Binary.run(["capacity", "Examples/incomplete-plan.yaml", "--out", out])
        #expect(capacity.status == 2)
        // general is a managed node group listing m5.large first: the Cluster Autoscaler judges pods
        // against its first type (1930m, 6903 MiB allocatable).
        #expect(
            capacity.stdout.contains(
                "UNSCHEDULABLE default/simulation: 1 pod: each pod requests 16000m CPU, 32768 MiB; the largest node it may use (general/m5.large) has 1930m CPU, 6903 MiB"
            ))
        #expect(
            capacity.stdout.contains(
                "UNSCHEDULABLE default/trainer: 2 pods: node group gpu has taint nvidia.com/gpu=true:NoSchedule that the pod does not tolerate"
            ))
        let estimate = try Binary.run(["estimate", "Examples/incomplete-plan.yaml", "--out", out])
        #expect(estimate.status == 2)
        #expect(estimate.stdout.contains("**Incomplete plan:** 3 pods fit on no node and are not in the cost"))
        let markdown = try #require(Binary.read(out + "/incomplete-plan/estimate.md"))
        #expect(markdown.contains("### Pods that fit nowhere"))
        let rows = Binary.csvRows(try #require(Binary.read(out + "/incomplete-plan/capacity.csv")))
        let reasons = rows.filter { $0["row_type"] == "unschedulable" }.map {
            $0["workload"]! + ":" + $0["unschedulable_pods"]!
        }
        #expect(reasons == ["default/simulation:1", "default/trainer:2"])
    }

    @Test func subnetExhaustionNamesTheGroupAndTheNumbers() throws {
        let folder = Binary.temporaryFolder()
        let text = Binary.read(Binary.packageRoot.path + "/Examples/forty-pods.yaml")!
            .replacingOccurrences(of: "subnets: {prefixLength: 24, count: 3}", with: "subnets: {prefixLength: 24}")
        try text.write(toFile: folder + "/tight.yaml", atomically: true, encoding: .utf8)
        let run = try Binary.run(["capacity", folder + "/tight.yaml", "--out", folder])
        #expect(run.status == 1)
        #expect(
            run.stderr.contains("tight.yaml:15:18: error: node group general of cluster prod need 280 subnet addresses")
        )
        #expect(run.stderr.contains("have 251 usable"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/forty-pods"))
    }
}

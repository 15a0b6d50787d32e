import Foundation
import Testing

/// Savings Plans rates through `pricing fetch` (scripts/price-mirror's synthetic
/// AWSComputeSavingsPlan files) and `pricing import`.
@Suite(.serialized) struct SavingsPlanPricingCommandTests {
    @Test func fetchPutsEveryOffersRatesInTheSnapshot() throws {
        let mirror = try PriceMirror(["us-east-1", "--types=m5.large,t3.medium", "--version", "20261101000000"])
        let folder = Binary.temporaryFolder()
        let run = try Binary.run(
            ["pricing", "fetch", "us-east-1", "--endpoint", mirror.endpoint],
            environment: ["EKSCOST_PRICING_DIR": folder])
        #expect(run.status == 0, "\(run.stderr)")
        // 2 types × 2 plan kinds × 6 offers + Fargate vCPU and memory × 6 Compute offers = 36.
        #expect(
            run.stdout.contains("AWSComputeSavingsPlan us-east-1 version 20261101000000: 36 Savings Plans rates"),
            "\(run.stdout)")
        let name = try #require(
            ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).first { $0.hasSuffix(".csv") })
        let text = try #require(Binary.read(folder + "/" + name))
        // The mirror's synthetic m5.large: (0.024 × 2 + 0.003 × 8) × 1.06 (its us-east-1 factor) =
        // 0.07632 an hour; its Compute plan 1yr no-upfront at 72 %: 0.0549504; its EC2 Instance
        // plan 3yr all-upfront at 62 − 4 = 58 %: 0.0442656.
        #expect(
            text.contains(
                ",us-east-1,ec2,m5.large,savings-plan-compute-1yr-no-upfront,hour,0.0549504,\"AWS Price List AWSComputeSavingsPlan us-east-1, version 20261101000000\",2026-11-01\n"
            ), "\(text)")
        #expect(text.contains(",us-east-1,ec2,m5.large,savings-plan-ec2-instance-3yr-all-upfront,hour,0.0442656,"))
        // Fargate vCPU 0.04048 × 1.06 at 80 %: 0.03432704.
        #expect(text.contains(",us-east-1,fargate,vcpu,savings-plan-compute-1yr-no-upfront,vCPU-hour,0.03432704,"))
    }
}

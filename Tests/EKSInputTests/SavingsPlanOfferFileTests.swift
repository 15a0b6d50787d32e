import EKSModel
import Foundation
import Testing

@testable import EKSInput

/// A Savings Plans price list in AWS's layout (metadata rows, the 24-column header of the
/// AWSComputeSavingsPlan CSV) with generated test rates, never AWS's.
@Suite struct SavingsPlanOfferFileTests {
    static let header =
        "\"SKU\",\"RateCode\",\"Unit\",\"EffectiveDate\",\"DiscountedRate\",\"Currency\",\"DiscountedSKU\",\"DiscountedServiceCode\",\"DiscountedUsageType\",\"DiscountedOperation\",\"PurchaseOption\",\"LeaseContractLength\",\"LeaseContractLengthUnit\",\"ServiceCode\",\"UsageType\",\"Operation\",\"Description\",\"Instance Family\",\"Location\",\"Location Type\",\"Granularity\",\"Product Family\",\"DiscountedRegionCode\",\"DiscountedInstanceType\""

    /// A row: rate, service, usage type, operation, purchase option, years, product family, region.
    static func row(
        _ rate: String, _ service: String, _ usage: String, _ operation: String, _ payment: String, _ years: String,
        _ family: String, _ region: String, unit: String = "Hrs"
    ) -> String {
        let plan = family == "ComputeSavingsPlans" ? "ComputeSP:\(years)yr" : "EC2SP:m5.\(years)yr"
        return
            "\"SKU1\",\"SKU1.D1\",\"\(unit)\",\"2026-11-01T00:00:00Z\",\"\(rate)\",\"USD\",\"D1\",\"\(service)\",\"\(usage)\",\"\(operation)\",\"\(payment)\",\"\(years)\",\"year\",\"\(family)\",\"\(plan)\",,\"test\",,\"Any\",\"AWS Region\",\"hourly\",\"\(family)\",\"\(region)\",\"m5.large\""
    }

    static let text = """
        "FormatVersion","v1.0"
        "Disclaimer","test file"
        "Publication Date","2026-11-20T10:00:00Z"
        "Version","20261120100000"
        "OfferCode","AWSComputeSavingsPlan"
        \(header)
        \(row("0.068", "AmazonEC2", "BoxUsage:m5.large", "RunInstances", "No Upfront", "1", "ComputeSavingsPlans", "us-east-1"))
        \(row("0.16", "AmazonEC2", "BoxUsage:m5.large", "RunInstances:0002", "No Upfront", "1", "ComputeSavingsPlans", "us-east-1"))
        \(row("0.07", "AmazonEC2", "DedicatedUsage:m5.large", "RunInstances", "No Upfront", "1", "ComputeSavingsPlans", "us-east-1"))
        \(row("0.041", "AmazonEC2", "BoxUsage:m5.large", "RunInstances", "All Upfront", "3", "EC2InstanceSavingsPlans", "us-east-1"))
        \(row("0.032", "AmazonECS", "USE1-Fargate-vCPU-Hours:perCPU", "", "No Upfront", "1", "ComputeSavingsPlans", "us-east-1"))
        \(row("0.0321", "AmazonEKS", "USE1-Fargate-vCPU-Hours:perCPU", "", "No Upfront", "1", "ComputeSavingsPlans", "us-east-1"))
        \(row("0.0035", "AmazonECS", "USE1-Fargate-GB-Hours", "", "No Upfront", "1", "ComputeSavingsPlans", "us-east-1"))
        \(row("0.0000133", "AWSLambda", "USE1-Lambda-GB-Second", "Invoke", "No Upfront", "1", "ComputeSavingsPlans", "us-east-1", unit: "Lambda-GB-Second"))
        \(row("0.082", "AmazonEC2", "APN2-BoxUsage:m5.large", "RunInstances", "Partial Upfront", "1", "ComputeSavingsPlans", "ap-northeast-2"))
        \(row("0.09", "AmazonEC2", "USW2-DEN1-BoxUsage:m5.large", "RunInstances", "No Upfront", "1", "ComputeSavingsPlans", "us-west-2-den-1"))

        """

    func file(_ text: String = Self.text) -> String {
        let path = TestPaths.temporaryFolder() + "/index.csv"
        TestPaths.write(text, to: path)
        return path
    }

    @Test func readsInstanceAndFargateRatesUnderTheOffersTerms() throws {
        let path = file()
        #expect(SavingsPlanOfferFile.isSavingsPlanFile(path: path))
        let imported = try SavingsPlanOfferFile.read(path: path, regions: ["us-east-1"]).get()
        let rates = Dictionary(
            uniqueKeysWithValues: imported.prices.map { ($0.key.description, DecimalText.format($0.usd)) })
        #expect(
            rates == [
                "ec2 m5.large savings-plan-compute-1yr-no-upfront in us-east-1": "0.068",
                "ec2-windows m5.large savings-plan-compute-1yr-no-upfront in us-east-1": "0.16",
                "ec2 m5.large savings-plan-ec2-instance-3yr-all-upfront in us-east-1": "0.041",
                // The AmazonEKS row of the same usage type wins over the AmazonECS one.
                "fargate vcpu savings-plan-compute-1yr-no-upfront in us-east-1": "0.0321",
                "fargate memory savings-plan-compute-1yr-no-upfront in us-east-1": "0.0035",
            ])
        let memory = try #require(imported.prices.first { $0.key.item == "memory" })
        #expect(memory.unit == .gbHour && memory.sourceDate == "2026-11-20")
        #expect(
            memory.source
                == "AWS Price List AWSComputeSavingsPlan index.csv, version 20261120100000 (AmazonECS Fargate rate)")
        #expect(imported.records == 10 && imported.skipped == 4)
        // Without --region, the Seoul row too (a Local Zone never).
        let all = try SavingsPlanOfferFile.read(path: path).get()
        #expect(all.prices.map(\.key.region).filter { $0 != "us-east-1" } == ["ap-northeast-2"])
    }

    @Test func aSecondRateForOneKeyIsALocatedError() {
        let path = file(
            Self.text
                + Self.row(
                    "0.07", "AmazonEC2", "BoxUsage:m5.large", "RunInstances", "No Upfront", "1", "ComputeSavingsPlans",
                    "us-east-1") + "\n")
        guard case .failure(let diagnostic) = SavingsPlanOfferFile.read(path: path) else {
            Issue.record("expected an error")
            return
        }
        #expect(
            diagnostic.description
                == "\(path):17: error: record 17: a second rate for ec2 m5.large savings-plan-compute-1yr-no-upfront in us-east-1, 0.07, where line 7 gave 0.068"
        )
    }

    @Test func anEC2OfferFileIsNotASavingsPlanFile() {
        #expect(!SavingsPlanOfferFile.isSavingsPlanFile(path: TestPaths.fixture("generated-ec2-4mb-seed7.csv")))
    }
}

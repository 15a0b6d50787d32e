import Foundation
import Testing

@testable import EKSModel
@testable import EKSReport

@Suite struct CompareFormatterTests {
    @Test func aWorkloadThatFitsNowhereIsNotShownAsFree() {
        #expect(
            CompareMarkdown.shareCell(CostShare(kind: .workload, name: "a", usd: 0, unplacedPods: 2))
                == "fits nowhere (2 pods)")
        #expect(CompareMarkdown.shareCell(CostShare(kind: .workload, name: "b", usd: 0)) == "0.00")
        #expect(
            CompareMarkdown.shareCell(
                CostShare(kind: .workload, name: "c", usd: Decimal(string: "12.5")!, unplacedPods: 1))
                == "12.50 (1 pod fits nowhere)")
    }
}

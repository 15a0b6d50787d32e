import EKSModel
import Foundation
import Testing

@testable import EKSInput

/// `spec.commitments`: Savings Plans and Reserved Instances, and located errors.
@Suite struct CommitmentsReaderTests {
    private func load(_ commitments: String) -> (Scenario?, [Diagnostic]) {
        ScenarioLoader.parse(
            yaml: """
                apiVersion: ekscost/v1
                kind: Scenario
                metadata:
                  name: held
                spec:
                  region: us-east-1
                  clusters:
                    - name: prod
                      nodeGroups:
                        - {name: general, instanceType: m5.large, desiredSize: 3}
                  commitments:
                \(commitments)
                """, file: "c.yaml")
    }

    @Test func readsPlansAndReservations() throws {
        let (scenario, diagnostics) = load(
            """
                savingsPlans:
                  - {type: compute, term: 1yr, payment: partial-upfront, hourlyCommitment: 0.25, upfrontPercent: 60}
                  - {type: ec2-instance, family: m5, term: 3yr, payment: all-upfront, hourlyCommitment: "0.1"}
                reservedInstances:
                  - {instanceType: m5.large, count: 2, term: 1yr, payment: no-upfront}
            """)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let held = try #require(scenario?.commitments)
        #expect(held.savingsPlans.count == 2 && held.reservations.count == 1)
        let compute = held.savingsPlans[0]
        #expect(compute.offer.priceTerm == "savings-plan-compute-1yr-partial-upfront")
        #expect(compute.hourlyCommitmentUSD == Decimal(string: "0.25")! && compute.upfrontPercent == 60)
        #expect(compute.family == nil && compute.region == nil)
        let instance = held.savingsPlans[1]
        #expect(instance.offer.priceTerm == "savings-plan-ec2-instance-3yr-all-upfront")
        #expect(instance.family == "m5" && instance.region == "us-east-1" && instance.upfrontPercent == 100)
        let reservation = held.reservations[0]
        #expect(reservation.instanceType == "m5.large" && reservation.count == 2 && reservation.region == "us-east-1")
        #expect(reservation.term.priceTerm == "reserved-1yr-standard-no-upfront")
        // Each one's location is kept for later errors (missing rates).
        #expect(scenario?.location(of: "commitments.savingsPlans[1]")?.line == 14)
        #expect(scenario?.location(of: "commitments.reservedInstances[0]")?.line == 16)
    }

    @Test func reportsEveryMistakeWithItsLocation() {
        let (_, diagnostics) = load(
            """
                savingsPlans:
                  - {type: compute-plan, term: 2yr, payment: no-upfront, hourlyCommitment: -1}
                  - {type: ec2-instance, term: 1yr, payment: all-upfront, hourlyCommitment: 1, upfrontPercent: 50}
                reservedInstances:
                  - {instanceType: m5.large, term: 1yr}
            """)
        #expect(
            diagnostics.map(\.description) == [
                "c.yaml:13:16: error: 'type' in a Savings Plan must be one of compute, ec2-instance, found \"compute-plan\"",
                "c.yaml:13:36: error: 'term' in a Savings Plan must be one of 1yr, 3yr, found \"2yr\"; did you mean '1yr'?",
                "c.yaml:13:80: error: 'hourlyCommitment' in a Savings Plan must be a number greater than 0 and at most 1000000, found \"-1\"",
                "c.yaml:14:9: error: a Savings Plan needs 'family': the instance family the plan covers, such as m5",
                "c.yaml:14:100: error: upfrontPercent is for payment: partial-upfront (no-upfront pays 0 %, all-upfront 100 %)",
                "c.yaml:16:9: error: a Reserved Instance needs 'count': how many instances are reserved",
            ])
    }
}

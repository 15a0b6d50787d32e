import EKSModel
import Foundation
import Testing

@testable import EKSInput

@Suite struct ScenarioLoaderTests {
    static let valid = """
        apiVersion: ekscost/v1
        kind: Scenario
        metadata:
          name: shop
        spec:
          region: us-east-1
          pricing: aws-2026-11
          hoursPerMonth: 720
          asOf: "2026-11-23"
          clusters:
            - name: prod
              kubernetesVersion: 1.30
              supportType: STANDARD
              networking:
                prefixDelegation: true
                maxPodsCap: recommended
                warmIPTarget: 5
              nodeGroups:
                - name: general
                  instanceType: m5.large
                  capacityType: spot
                  desiredSize: 3
                  minSize: 2
                  maxSize: 6
                  rootVolume: {type: gp3, size: 20Gi}
                  publicIPv4: true
        """

    @Test func readsEveryField() throws {
        let (scenario, diagnostics) = ScenarioLoader.parse(yaml: Self.valid, file: "shop.yaml")
        #expect(diagnostics.isEmpty)
        let s = try #require(scenario)
        #expect(s.name == "shop")
        #expect(s.region == "us-east-1")
        #expect(s.pricingSnapshot == "aws-2026-11")
        #expect(s.period == BillingPeriod(hoursPerMonth: 720))
        #expect(s.asOf == CalendarDate("2026-11-23"))
        let cluster = try #require(s.clusters.first)
        // A plain 1.30 in YAML is a float; the version keeps the text as written.
        #expect(cluster.kubernetesVersion == "1.30")
        #expect(cluster.supportPolicy == .standard)
        #expect(cluster.networking.addressMode == .prefixDelegation)
        #expect(cluster.networking.maxPodsCap == .recommended)
        #expect(cluster.networking.warmPool.warmIPTarget == 5)
        let group = try #require(cluster.nodeGroups.first)
        #expect(group.instanceType == "m5.large")
        #expect(group.capacityType == .spot)
        #expect(group.desiredSize == 3 && group.minSize == 2 && group.maxSize == 6)
        #expect(group.rootVolume == RootVolume(type: "gp3", sizeGiB: 20))
        #expect(group.publicIPv4)
        #expect(
            s.location(of: "clusters[0].nodeGroups[0].instanceType")
                == SourceLocation(file: "shop.yaml", line: 20, column: 25))
    }

    @Test func reportsEveryMistakeWithItsLineAndColumn() {
        let yaml = """
            apiVersion: ekscost/v1
            kind: Scenario
            notAKey: 1
            metadata:
              name: shop
            spec:
              region: us-east-1
              clusters:
                - name: prod
                  nodeGroups:
                    - name: general
                      instancetype: m5.large
                      desiredSize: three
                      rootVolume: {type: gp3, size: 20GB}
            """
        let (_, diagnostics) = ScenarioLoader.parse(yaml: yaml, file: "bad.yaml")
        let errors = diagnostics.errors.map(\.description)
        #expect(
            errors.contains(
                "bad.yaml:3:1: error: unknown key 'notAKey' in the scenario; expected one of: apiVersion, kind, metadata, spec"
            ))
        #expect(
            errors.contains(
                "bad.yaml:12:11: error: unknown key 'instancetype' in node group general; did you mean 'instanceType'?")
        )
        #expect(
            errors.contains(
                "bad.yaml:13:24: error: 'desiredSize' in node group general must be a whole number, found \"three\""))
        #expect(
            errors.contains {
                $0.hasPrefix(
                    "bad.yaml:14:41: error: 'size' in rootVolume of node group general: '20GB' is not a Kubernetes quantity"
                )
            })
        #expect(
            errors.contains(
                "bad.yaml:11:11: error: node group general needs 'instanceType': an EC2 instance type such as m5.large (or instanceTypes: [...], or instanceRequirements)"
            ))
        #expect(errors.count == 5)
    }

    @Test func rejectsWrongTypesAndChoices() {
        let yaml = """
            apiVersion: ekscost/v2
            kind: Scenario
            metadata: {name: Shop}
            spec:
              region: useast1
              month: 2026-13
              clusters:
                - name: prod
                  supportType: extended
                  nodeGroups:
                    - name: g
                      instanceType: m5.large
                      desiredSize: 1
                      capacityType: ondemand
                      publicIPv4: yes
            """
        let (_, diagnostics) = ScenarioLoader.parse(yaml: yaml, file: "s.yaml")
        let messages = diagnostics.errors.map(\.message)
        #expect(messages.contains("apiVersion must be ekscost/v1, found \"ekscost/v2\""))
        #expect(messages.contains { $0.hasPrefix("metadata.name must be lower-case") })
        #expect(messages.contains { $0.hasPrefix("region must be an AWS region code") })
        #expect(messages.contains("month must be written YYYY-MM, found \"2026-13\""))
        #expect(
            messages.contains(
                "'supportType' in cluster prod must be one of EXTENDED, STANDARD, found \"extended\"; did you mean 'EXTENDED'?"
            ))
        #expect(
            messages.contains(
                "'capacityType' in node group g must be one of on-demand, spot, found \"ondemand\"; did you mean 'on-demand'?"
            ))
        #expect(messages.contains("'publicIPv4' in node group g must be true or false, found \"yes\""))
    }

    @Test func reportsYAMLSyntaxErrorsWithTheirLine() {
        let (scenario, diagnostics) = ScenarioLoader.parse(yaml: "spec:\n  region: [us-east-1\n", file: "broken.yaml")
        #expect(scenario == nil)
        #expect(diagnostics.count == 1)
        #expect(diagnostics[0].location?.file == "broken.yaml")
        #expect(diagnostics[0].message.hasPrefix("invalid YAML"))
    }

    @Test func acceptsVolumeSizesInGiBOnly() {
        func size(_ text: String) -> (Int?, [Diagnostic]) {
            let yaml = Self.valid.replacingOccurrences(of: "size: 20Gi", with: "size: \(text)")
            let (scenario, diagnostics) = ScenarioLoader.parse(yaml: yaml, file: "s.yaml")
            return (scenario?.clusters.first?.nodeGroups.first?.rootVolume?.sizeGiB, diagnostics)
        }
        #expect(size("80").0 == 80)
        #expect(size("1Ti").0 == 1024)
        #expect(size("20G").1.errors.first?.message.contains("must be whole GiB") == true)
        #expect(size("1.5Gi").1.errors.first?.message.contains("must be whole GiB") == true)
    }

    @Test func usesTheFileNameWhenMetadataHasNoName() throws {
        let yaml = Self.valid.replacingOccurrences(of: "  name: shop\n", with: "  description: x\n")
        let (scenario, _) = ScenarioLoader.parse(yaml: yaml, file: "/tmp/my-cluster.yaml")
        #expect(scenario?.name == "my-cluster")
    }
}

@Suite struct ReservedNodeGroupTests {
    private func load(_ group: String) -> (Scenario?, [Diagnostic]) {
        ScenarioLoader.parse(
            yaml: """
                apiVersion: ekscost/v1
                kind: Scenario
                metadata:
                  name: reserved
                spec:
                  region: us-east-1
                  clusters:
                    - name: prod
                      nodeGroups:
                        - name: general
                          instanceType: m5.large
                          desiredSize: 3
                \(group)
                """, file: "r.yaml")
    }

    @Test func readsTheTermClassAndPayment() throws {
        let (scenario, diagnostics) = load(
            "          reserved: {term: 3yr, offeringClass: convertible, payment: all-upfront}")
        // The old form is still read, with a note pointing at spec.commitments.
        #expect(diagnostics.map(\.severity) == [.note])
        #expect(diagnostics.first?.message.contains("spec.commitments.reservedInstances") == true)
        let term = try #require(scenario?.clusters[0].nodeGroups[0].reserved)
        #expect(term == ReservedTerm(length: .threeYears, offeringClass: .convertible, payment: .allUpfront))
        #expect(term.priceTerm == "reserved-3yr-convertible-all-upfront" && term.months == 36)
    }

    @Test func defaultsToStandardWithNoUpfront() throws {
        let (scenario, _) = load("          reserved: {term: 1yr}")
        #expect(scenario?.clusters[0].nodeGroups[0].reserved?.priceTerm == "reserved-1yr-standard-no-upfront")
    }

    @Test func reportsABadTermAndSpotCapacity() {
        let (_, diagnostics) = load("          capacityType: spot\n          reserved: {term: 2yr, payment: partial}")
        #expect(
            diagnostics.errors.map(\.description) == [
                "r.yaml:14:28: error: 'term' in reserved of node group general must be one of 1yr, 3yr, found \"2yr\"; did you mean '1yr'?",
                "r.yaml:14:42: error: 'payment' in reserved of node group general must be one of no-upfront, partial-upfront, all-upfront, found \"partial\"",
                "r.yaml:14:21: error: node group general is spot capacity; a reservation covers on-demand instances only",
            ])
    }
}

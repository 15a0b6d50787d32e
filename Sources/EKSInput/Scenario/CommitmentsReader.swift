import EKSModel
import Foundation
import Yams

/// Reads `spec.commitments`: the Savings Plans and Reserved Instances a scenario holds.
///
/// ```yaml
/// commitments:
///   savingsPlans:
///     - type: compute            # or ec2-instance, with family (and region, default spec.region)
///       term: 1yr                # or 3yr
///       payment: no-upfront      # partial-upfront (upfrontPercent 50–99, default 50), all-upfront
///       hourlyCommitment: 0.25   # USD per hour
///   reservedInstances:
///     - instanceType: m5.large
///       count: 2
///       term: 1yr
///       offeringClass: standard  # or convertible
///       payment: no-upfront
/// ```
enum CommitmentsReader {
    static let terms = ReservedTerm.Length.allCases.map(\.rawValue)
    static let payments = ReservedTerm.Payment.allCases.map(\.rawValue)

    static func read(_ spec: MappingReader, region: String) -> CommitmentPortfolio {
        var portfolio = CommitmentPortfolio()
        guard
            let map = spec.mapping(
                "commitments", what: "commitments", allowedKeys: ["savingsPlans", "reservedInstances"])
        else {
            return portfolio
        }
        for (path, node) in map.list("savingsPlans") ?? [] {
            if let plan = readSavingsPlan(node, path: path, context: map.context, region: region) {
                portfolio.savingsPlans.append(plan)
            }
        }
        for (path, node) in map.list("reservedInstances") ?? [] {
            if let reservation = readReservation(node, path: path, context: map.context, region: region) {
                portfolio.reservations.append(reservation)
            }
        }
        return portfolio
    }

    static func readSavingsPlan(_ node: Node, path: String, context: YAMLDiagnostics, region: String) -> SavingsPlan? {
        guard
            let map = MappingReader(
                node, context: context, path: path, what: "a Savings Plan",
                allowedKeys: [
                    "type", "family", "region", "term", "payment", "hourlyCommitment", "upfrontPercent",
                ])
        else { return nil }
        let kind = map.choice("type", from: SavingsPlanKind.allCases.map(\.rawValue)).flatMap(
            SavingsPlanKind.init(rawValue:))
        if !map.has("type") { map.missing("type", "compute or ec2-instance") }
        let length = map.choice("term", from: terms).flatMap(ReservedTerm.Length.init(rawValue:))
        if !map.has("term") { map.missing("term", "the plan's length, 1yr or 3yr") }
        let payment = map.choice("payment", from: payments).flatMap(ReservedTerm.Payment.init(rawValue:))
        if !map.has("payment") { map.missing("payment", "no-upfront, partial-upfront or all-upfront") }
        // CreateSavingsPlan takes 0.001 to 1 million USD per hour.
        let commitment = map.positiveDecimal("hourlyCommitment", maximum: 1_000_000)
        if !map.has("hourlyCommitment") {
            map.missing("hourlyCommitment", "the commitment in USD per hour, such as 0.25")
        }
        var family = map.string("family")
        let planRegion = map.string("region") ?? region
        if kind == .ec2Instance {
            if family == nil { map.missing("family", "the instance family the plan covers, such as m5") }
        } else if let node = map.value("family") {
            context.error("a Compute Savings Plan covers every family; 'family' is for type: ec2-instance", at: node)
            family = nil
        }
        if let node = map.value("region"), !ScenarioLoader.isRegionCode(planRegion) {
            context.error("region must be an AWS region code such as us-east-1, found \"\(planRegion)\"", at: node)
        }
        var upfrontPercent: Decimal?
        if let node = map.value("upfrontPercent") {
            let value = node.scalarText.flatMap { Int($0) }
            if payment != .partialUpfront {
                context.error(
                    "upfrontPercent is for payment: partial-upfront (no-upfront pays 0 %, all-upfront 100 %)", at: node)
            } else if let value, (50...99).contains(value) {
                upfrontPercent = Decimal(value)
            } else {
                context.error(
                    "upfrontPercent must be a whole number from 50 to 99 (AWS's range for Partial Upfront), found \(node.kindDescription)",
                    at: node)
            }
        }
        guard let kind, let length, let payment, let commitment else { return nil }
        return SavingsPlan(
            offer: SavingsPlanOffer(kind: kind, length: length, payment: payment), hourlyCommitmentUSD: commitment,
            family: kind == .ec2Instance ? family : nil, region: kind == .ec2Instance ? planRegion : nil,
            upfrontPercent: upfrontPercent)
    }

    static func readReservation(_ node: Node, path: String, context: YAMLDiagnostics, region: String)
        -> ReservedInstances?
    {
        guard
            let map = MappingReader(
                node, context: context, path: path, what: "a Reserved Instance",
                allowedKeys: [
                    "instanceType", "count", "term", "offeringClass", "payment", "region", "os",
                ])
        else { return nil }
        let type = map.string("instanceType", required: "the reserved instance type, such as m5.large")
        let count = map.integer("count", in: 1...100_000, required: "how many instances are reserved")
        let length = map.choice("term", from: terms).flatMap(ReservedTerm.Length.init(rawValue:))
        if !map.has("term") { map.missing("term", "the reservation's length, 1yr or 3yr") }
        let offeringClass =
            map.choice("offeringClass", from: ReservedTerm.OfferingClass.allCases.map(\.rawValue))
            .flatMap(ReservedTerm.OfferingClass.init(rawValue:)) ?? .standard
        let payment = map.choice("payment", from: payments).flatMap(ReservedTerm.Payment.init(rawValue:)) ?? .noUpfront
        let os =
            map.choice("os", from: OperatingSystem.allCases.map(\.rawValue)).flatMap(OperatingSystem.init(rawValue:))
            ?? .linux
        let reservationRegion = map.string("region") ?? region
        if let node = map.value("region"), !ScenarioLoader.isRegionCode(reservationRegion) {
            context.error(
                "region must be an AWS region code such as us-east-1, found \"\(reservationRegion)\"", at: node)
        }
        guard let type, let count, let length else { return nil }
        return ReservedInstances(
            instanceType: type, count: count,
            term: ReservedTerm(length: length, offeringClass: offeringClass, payment: payment),
            region: reservationRegion, os: os)
    }
}

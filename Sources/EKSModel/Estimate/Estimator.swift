import Foundation

/// Everything an estimate is computed from.
public struct EstimateInputs: Sendable {
    public var scenario: Scenario
    public var snapshot: PriceSnapshot
    public var catalog: InstanceCatalog
    public var period: BillingPeriod
    public var asOf: CalendarDate

    public init(scenario: Scenario, snapshot: PriceSnapshot, catalog: InstanceCatalog,
                period: BillingPeriod, asOf: CalendarDate) {
        self.scenario = scenario
        self.snapshot = snapshot
        self.catalog = catalog
        self.period = period
        self.asOf = asOf
    }
}

/// Prices a scenario whose node groups run a fixed number of nodes all month.
public enum Estimator {
    /// The estimate, or the diagnostics that prevent it. Warnings may come with an estimate.
    public static func estimate(_ inputs: EstimateInputs) -> (estimate: Estimate?, diagnostics: [Diagnostic]) {
        var pricer = LinePricer(inputs: inputs)
        var notes: [String] = []
        let scenario = inputs.scenario

        for (clusterIndex, cluster) in scenario.clusters.enumerated() {
            let clusterPath = "clusters[\(clusterIndex)]"
            let support = SupportDecision.decide(version: cluster.kubernetesVersion, policy: cluster.supportPolicy, asOf: inputs.asOf)
            notes.append("\(cluster.name): \(support.reason).")
            if let warning = support.warning {
                pricer.diagnostics.append(.warning("cluster \(cluster.name): \(warning)",
                                                   at: scenario.location(of: "\(clusterPath).kubernetesVersion")))
            }
            pricer.addControlPlane(cluster: cluster, tier: support.tier, path: clusterPath)
            for (groupIndex, group) in cluster.nodeGroups.enumerated() {
                pricer.addNodeGroup(group, cluster: cluster, path: "\(clusterPath).nodeGroups[\(groupIndex)]")
            }
        }
        guard !pricer.diagnostics.hasErrors else { return (nil, pricer.diagnostics) }
        let estimate = Estimate(scenario: scenario.name, region: scenario.region, snapshotID: inputs.snapshot.id,
                                snapshotDate: inputs.snapshot.date, period: inputs.period,
                                lines: pricer.lines, notes: notes)
        return (estimate, pricer.diagnostics)
    }
}

/// Builds cost lines, collecting every missing price instead of stopping at the first.
struct LinePricer {
    let inputs: EstimateInputs
    var lines: [CostLine] = []
    var diagnostics: [Diagnostic] = []

    init(inputs: EstimateInputs) { self.inputs = inputs }

    var region: String { inputs.scenario.region }
    var hours: Decimal { inputs.period.hours }

    /// The price for `key`, or an error naming exactly what was looked up, at `path`.
    mutating func price(_ key: PriceKey, for path: String, expecting unit: PriceUnit) -> Price? {
        guard let price = inputs.snapshot.price(key) else {
            var message = "price snapshot \(inputs.snapshot.id) has no price for \(key)"
            if !inputs.snapshot.hasRegion(key.region) {
                message += " (it has prices for \(inputs.snapshot.regions.joined(separator: ", ")) only)"
            }
            diagnostics.append(.error(message, at: inputs.scenario.location(of: path)))
            return nil
        }
        guard price.unit == unit else {
            diagnostics.append(.error("price snapshot \(inputs.snapshot.id) quotes \(key) per \(price.unit.rawValue), expected per \(unit.rawValue)",
                                      at: inputs.scenario.location(of: path)))
            return nil
        }
        return price
    }

    mutating func addControlPlane(cluster: Cluster, tier: SupportDecision.Tier, path: String) {
        let key = PriceKey(region: region, service: "eks", item: "cluster")
        if let price = price(key, for: "\(path).name", expecting: .hour) {
            lines.append(CostLine(cluster: cluster.name, component: .controlPlane,
                                  resource: tier == .extended ? "EKS cluster (extended support, base fee)" : "EKS cluster, standard support",
                                  quantity: 1, unit: "cluster", price: price, hours: hours, hoursPerMonth: hours))
        }
        if tier == .extended {
            // The Price List bills extended support as a surcharge row on top of the cluster fee.
            let surcharge = PriceKey(region: region, service: "eks", item: "extended-support")
            if let price = price(surcharge, for: "\(path).kubernetesVersion", expecting: .hour) {
                lines.append(CostLine(cluster: cluster.name, component: .controlPlane,
                                      resource: "EKS extended support surcharge", quantity: 1, unit: "cluster",
                                      price: price, hours: hours, hoursPerMonth: hours))
            }
        }
    }

    mutating func addNodeGroup(_ group: NodeGroup, cluster: Cluster, path: String) {
        guard let type = inputs.catalog[group.instanceType] else { return }  // reported by validation
        let nodes = Decimal(group.desiredSize)
        let term = group.reserved?.priceTerm ?? (group.capacityType == .spot ? PriceKey.spot : PriceKey.onDemand)
        let instanceKey = PriceKey(region: region, service: "ec2", item: type.name, term: term)
        let termPath = group.reserved == nil ? "\(path).instanceType" : "\(path).reserved"
        if let price = price(instanceKey, for: termPath, expecting: .hour) {
            let resource = group.reserved.map { "\(type.name) reserved \($0)" } ?? "\(type.name) \(term)"
            lines.append(CostLine(cluster: cluster.name, component: .compute, group: group.name,
                                  resource: resource, quantity: nodes, unit: "node",
                                  price: price, hours: hours, hoursPerMonth: hours))
        }
        if let reserved = group.reserved, reserved.hasUpfrontFee {
            // The one-time fee, spread evenly over the term's months, as its own line.
            if let fee = inputs.snapshot.upfrontFee(instanceKey) {
                lines.append(CostLine(cluster: cluster.name, component: .compute, group: group.name,
                                      resource: "\(type.name) reserved \(reserved) upfront fee", quantity: nodes, unit: "node",
                                      price: fee, hours: hours, hoursPerMonth: hours,
                                      basis: "upfront fee spread over \(reserved.months) months",
                                      spreadOverMonths: reserved.months))
            } else {
                diagnostics.append(.error("price snapshot \(inputs.snapshot.id) has no upfront fee for \(instanceKey)",
                                          at: inputs.scenario.location(of: "\(path).reserved")))
            }
        }
        if let volume = group.rootVolume {
            let key = PriceKey(region: region, service: "ebs", item: volume.type)
            if let price = price(key, for: "\(path).rootVolume.type", expecting: .gbMonth) {
                lines.append(CostLine(cluster: cluster.name, component: .storage, group: group.name,
                                      resource: "\(volume.type) root volume", quantity: nodes * Decimal(volume.sizeGiB),
                                      unit: "GiB", price: price, hours: hours, hoursPerMonth: hours,
                                      basis: "\(group.desiredSize) nodes × \(volume.sizeGiB) GiB"))
            }
        }
        // A node without pods still holds its warm pool: ceil(0 / S) + WARM_ENI_TARGET ENIs.
        let perNode = SubnetAddresses.use(pods: 0, on: type, mode: cluster.networking.addressMode,
                                          warmPool: cluster.networking.warmPool)
        let eniKey = PriceKey(region: region, service: "vpc", item: "eni")
        if let price = price(eniKey, for: "\(path).name", expecting: .hour) {
            lines.append(CostLine(cluster: cluster.name, component: .network, group: group.name,
                                  resource: "ENI (VPC CNI)", quantity: nodes * Decimal(perNode.enis), unit: "ENI",
                                  price: price, hours: hours, hoursPerMonth: hours,
                                  basis: "\(group.desiredSize) nodes × \(perNode.enis) ENI each, the warm pool of a node without pods"))
        }
        if group.publicIPv4 {
            let ipKey = PriceKey(region: region, service: "vpc", item: "public-ipv4")
            if let price = price(ipKey, for: "\(path).publicIPv4", expecting: .hour) {
                lines.append(CostLine(cluster: cluster.name, component: .network, group: group.name,
                                      resource: "public IPv4 address", quantity: nodes, unit: "address",
                                      price: price, hours: hours, hoursPerMonth: hours))
            }
        }
    }
}

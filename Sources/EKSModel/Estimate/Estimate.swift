public import Foundation

/// The part of a cluster a cost line belongs to.
public enum CostComponent: String, Sendable, Hashable, CaseIterable {
    case controlPlane = "control-plane"
    case compute
    case fargate
    case storage
    case network
    /// Savings Plans and Reserved Instances of `spec.commitments`: their fees, and the on-demand
    /// cost of the usage they covered taken off again (as AWS's Cost and Usage Report negates it).
    case commitments

    /// Summary order and wording.
    public var title: String {
        switch self {
        case .controlPlane: "EKS control plane"
        case .compute: "EC2 compute"
        case .fargate: "Fargate"
        case .storage: "EBS storage"
        case .network: "Network"
        case .commitments: "Commitments (Savings Plans, Reserved Instances)"
        }
    }
}

/// One priced line: quantity × unit price × hours.
public struct CostLine: Sendable, Hashable {
    /// What a line bills, as a value: spreading a simulated month's cost over its steps (and
    /// anything else that needs to know what a line is for) reads this, never the words of
    /// `resource`. The line's `group` says which node group (or, for Fargate, which workload) it
    /// is for.
    public enum Kind: Sendable, Hashable {
        /// The EKS control plane: the cluster fee, the extended support surcharge, a provisioned tier.
        case controlPlane
        /// Nodes of an instance type in the line's group: instance-hours, or a Reserved upfront fee's share.
        case instances(type: String)
        /// EKS Auto Mode's management fee of nodes of an instance type in the line's group; `jobRuns`
        /// names the Job or CronJob when the nodes are launched for its runs.
        case autoModeFee(type: String, jobRuns: String?)
        /// Nodes of an instance type launched for the runs of a Job or CronJob.
        case jobInstances(type: String, workload: String)
        /// Root and additional volumes of the line's group's nodes (storage, IOPS, throughput).
        case nodeVolumes
        /// PersistentVolumeClaims, static volumes and StatefulSets' claim templates.
        case persistentVolumes
        /// ENIs the VPC CNI holds on nodes (and Fargate pods' ENIs in a simulated month).
        case eni
        /// One ENI per Fargate pod, in a plan that is not simulated.
        case fargateENI
        /// Public IPv4 addresses of the line's group's nodes.
        case publicIPv4
        /// NAT gateway hours or data processed.
        case natGateway
        /// A load balancer's hours, capacity units or data processed.
        case loadBalancer
        /// Fargate vCPU, memory or ephemeral storage of a workload.
        case fargate(workload: String)
        /// A commitment's fee (a Savings Plan's commitment, a reservation's hourly fee, or the
        /// share of an upfront payment), billed every hour whether used or not.
        case commitmentFee
        /// The on-demand cost of usage a commitment covered, taken off (a negative amount);
        /// `perStep` holds the amount covered in each simulated step (empty when not simulated).
        case commitmentCovered(resource: UsageResource, perStep: [Decimal])
    }

    public var cluster: String
    public var component: CostComponent
    /// Node group (or other part) the line is for; empty for cluster-wide lines.
    public var group: String
    /// What is billed, in words: `m5.large on-demand`, `EKS cluster, standard support`.
    public var resource: String
    public var quantity: Decimal
    /// What `quantity` counts: node, cluster, GiB, ENI, address.
    public var unit: String
    public var price: Price
    /// Hours the quantity is held in the month.
    public var hours: Decimal
    /// The period's hours per month, to prorate prices quoted per month.
    public var hoursPerMonth: Decimal
    /// How the quantity was worked out, when it is not given directly.
    public var basis: String?
    /// For an upfront fee: the months it is spread over (12 or 36).
    public var spreadOverMonths: Int?
    /// What the line bills, as a value.
    public var kind: Kind

    public init(
        cluster: String, component: CostComponent, group: String = "", resource: String,
        quantity: Decimal, unit: String, price: Price, hours: Decimal, hoursPerMonth: Decimal,
        basis: String? = nil, spreadOverMonths: Int? = nil, kind: Kind
    ) {
        self.cluster = cluster
        self.component = component
        self.group = group
        self.resource = resource
        self.quantity = quantity
        self.unit = unit
        self.price = price
        self.hours = hours
        self.hoursPerMonth = hoursPerMonth
        self.basis = basis
        self.spreadOverMonths = spreadOverMonths
        self.kind = kind
    }

    /// The exact cost before rounding: `quantity × price × hours`, or for prices quoted per
    /// month `quantity × price × hours / hoursPerMonth`, or for an upfront fee
    /// `quantity × fee / months of the term` whatever the month's hours.
    public var exactUSD: Decimal {
        if price.unit == .upfront { return quantity * price.usd / Decimal(spreadOverMonths ?? 1) }
        if price.unit.isPerQuantity { return quantity * price.usd }
        let amount = quantity * price.usd * hours
        return price.unit.isMonthly ? amount / hoursPerMonth : amount
    }

    /// The line's cost rounded to the cent, half away from zero. Reports add these up.
    public var monthlyUSD: Decimal { DecimalText.roundedResult(exactUSD, scale: 2) }

    /// `quantity × hours` for hourly prices (instance-hours, ENI-hours).
    public var unitHours: Decimal { quantity * hours }
}

/// A priced scenario.
public struct Estimate: Sendable {
    public var scenario: String
    public var region: String
    public var snapshotID: String
    public var snapshotDate: CalendarDate
    public var period: BillingPeriod
    public var lines: [CostLine]
    /// Facts the reader should see next to the numbers (support tier decisions, assumptions).
    public var notes: [String]
    /// Nodes, pods and addresses per cluster.
    public var capacity: [ClusterCapacity]
    /// Low / expected / high monthly cost when replicas vary: every HPA at its minimum, the
    /// simulated period, every HPA at its maximum.
    public var range: CostRange?
    /// Requests as written against as VPA would set them, when workloads have a VPA.
    public var vpa: VPAComparison?
    /// What the commitments held did, and the Savings Plan commitments to buy.
    public var commitments: CommitmentReport?

    public init(
        scenario: String, region: String, snapshotID: String, snapshotDate: CalendarDate,
        period: BillingPeriod, lines: [CostLine], notes: [String], capacity: [ClusterCapacity] = []
    ) {
        self.scenario = scenario
        self.region = region
        self.snapshotID = snapshotID
        self.snapshotDate = snapshotDate
        self.period = period
        self.lines = lines
        self.notes = notes
        self.capacity = capacity
    }

    /// Whether every pod found a node.
    public var isComplete: Bool { capacity.allSatisfy(\.isComplete) }

    /// Most nodes at once over the period (the static count when nothing varies).
    public var peakNodes: Int {
        capacity.reduce(0) { $0 + ($1.timeline?.peakNodes ?? $1.nodeCount) }
    }

    /// The sum of the rounded lines, so that a spreadsheet SUM over the lines equals it exactly.
    public var totalUSD: Decimal { lines.reduce(0) { $0 + $1.monthlyUSD } }

    public var clusters: [String] {
        var seen = Set<String>()
        return lines.map(\.cluster).filter { seen.insert($0).inserted }
    }

    /// Rounded totals per cluster and component, in report order.
    public var subtotals: [(cluster: String, component: CostComponent, usd: Decimal)] {
        clusters.flatMap { cluster in
            CostComponent.allCases.compactMap { component in
                let lines = self.lines.filter { $0.cluster == cluster && $0.component == component }
                guard !lines.isEmpty else { return nil }
                return (cluster, component, lines.reduce(0) { $0 + $1.monthlyUSD })
            }
        }
    }
}

/// Monthly cost at HPA minimum, as simulated, and at HPA maximum.
public struct CostRange: Sendable, Hashable {
    public var lowUSD: Decimal
    public var expectedUSD: Decimal
    public var highUSD: Decimal
}

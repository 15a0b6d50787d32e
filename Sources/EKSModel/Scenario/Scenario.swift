import Foundation

/// Everything a user describes: where, on which prices, for how long, and the clusters.
public struct Scenario: Sendable {
    public var name: String
    public var description: String?
    public var region: String
    /// Snapshot id named in the scenario; nil means the default snapshot.
    public var pricingSnapshot: String?
    /// The scenario's own period; the command line may override it.
    public var period: BillingPeriod?
    /// The scenario's own "today"; `--as-of` overrides it.
    public var asOf: CalendarDate?
    public var clusters: [Cluster]
    /// The file it was read from.
    public var origin: SourceLocation?
    /// Where its fields were written, by key path (`spec.region`, `clusters[0].nodeGroups[1].instanceType`).
    public var locations: [String: SourceLocation]

    public init(name: String, description: String? = nil, region: String, pricingSnapshot: String? = nil,
                period: BillingPeriod? = nil, asOf: CalendarDate? = nil, clusters: [Cluster],
                origin: SourceLocation? = nil, locations: [String: SourceLocation] = [:]) {
        self.name = name
        self.description = description
        self.region = region
        self.pricingSnapshot = pricingSnapshot
        self.period = period
        self.asOf = asOf
        self.clusters = clusters
        self.origin = origin
        self.locations = locations
    }

    /// Where `path` was written, or the closest enclosing thing that was.
    public func location(of path: String) -> SourceLocation? {
        var path = path
        while true {
            if let location = locations[path] { return location }
            guard let cut = path.lastIndex(where: { $0 == "." || $0 == "[" }) else { return origin }
            path = String(path[..<cut])
        }
    }
}

/// One EKS cluster.
public struct Cluster: Sendable {
    public var name: String
    /// `1.31`; nil when not given.
    public var kubernetesVersion: String?
    public var supportPolicy: SupportPolicy
    public var nodeGroups: [NodeGroup]
    public var networking: Networking

    public init(name: String, kubernetesVersion: String? = nil, supportPolicy: SupportPolicy = .extended,
                nodeGroups: [NodeGroup] = [], networking: Networking = Networking()) {
        self.name = name
        self.kubernetesVersion = kubernetesVersion
        self.supportPolicy = supportPolicy
        self.nodeGroups = nodeGroups
        self.networking = networking
    }
}

/// The cluster's upgrade policy (EKS `upgradePolicy.supportType`).
public enum SupportPolicy: String, Sendable, Hashable, CaseIterable {
    /// Stay on the version into extended support, at extended-support prices (AWS's default).
    case extended = "EXTENDED"
    /// Let EKS upgrade the cluster at the end of standard support: never billed extended support.
    case standard = "STANDARD"
}

/// EC2 purchase option of a node group.
public enum CapacityType: String, Sendable, Hashable, CaseIterable {
    case onDemand = "on-demand"
    case spot
}

/// A group of identical EC2 nodes.
public struct NodeGroup: Sendable {
    public var name: String
    public var instanceType: String
    public var capacityType: CapacityType
    /// Nodes running through the month (desired size).
    public var desiredSize: Int
    public var minSize: Int?
    public var maxSize: Int?
    public var rootVolume: RootVolume?
    /// Whether each node gets a public IPv4 address (billed per hour since February 2024).
    public var publicIPv4: Bool
    /// The Reserved Instance term the nodes are covered by; nil for on-demand or spot prices.
    public var reserved: ReservedTerm?

    public init(name: String, instanceType: String, capacityType: CapacityType = .onDemand,
                desiredSize: Int, minSize: Int? = nil, maxSize: Int? = nil,
                rootVolume: RootVolume? = nil, publicIPv4: Bool = false, reserved: ReservedTerm? = nil) {
        self.name = name
        self.instanceType = instanceType
        self.capacityType = capacityType
        self.desiredSize = desiredSize
        self.minSize = minSize
        self.maxSize = maxSize
        self.rootVolume = rootVolume
        self.publicIPv4 = publicIPv4
        self.reserved = reserved
    }
}

/// An EBS root volume per node.
public struct RootVolume: Sendable, Hashable {
    /// EBS volume type: gp3, gp2, io1, io2, st1, sc1, standard.
    public var type: String
    public var sizeGiB: Int

    public init(type: String, sizeGiB: Int) {
        self.type = type
        self.sizeGiB = sizeGiB
    }
}

/// Cluster networking: the VPC CNI's address mode and warm pool.
public struct Networking: Sendable, Hashable {
    public var addressMode: IPAddressMode
    public var maxPodsCap: MaxPodsCap
    public var warmPool: WarmPoolSettings

    public init(addressMode: IPAddressMode = .secondaryIP, maxPodsCap: MaxPodsCap = .none,
                warmPool: WarmPoolSettings = .defaults) {
        self.addressMode = addressMode
        self.maxPodsCap = maxPodsCap
        self.warmPool = warmPool
    }
}

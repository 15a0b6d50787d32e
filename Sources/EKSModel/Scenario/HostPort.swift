/// One entry of a container's `ports`.
public struct ContainerPort: Sendable, Hashable {
    public enum PortProtocol: String, Sendable, Hashable, CaseIterable {
        case tcp = "TCP"
        case udp = "UDP"
        case sctp = "SCTP"
    }

    public var containerPort: Int
    /// The port bound on the node; nil when the pod does not bind one.
    public var hostPort: Int?
    /// `protocol`, TCP by default.
    public var portProtocol: PortProtocol
    /// `hostIP`; empty means every address of the node.
    public var hostIP: String

    public init(containerPort: Int, hostPort: Int? = nil, portProtocol: PortProtocol = .tcp, hostIP: String = "") {
        self.containerPort = containerPort
        self.hostPort = hostPort
        self.portProtocol = portProtocol
        self.hostIP = hostIP
    }
}

/// A port a pod binds on its node.
///
/// kube-scheduler's NodePorts filter (pkg/scheduler/framework/plugins/nodeports/node_ports.go
/// `fitsPorts`, framework/types.go `HostPortInfo.CheckConflict`) keeps two pods apart when they bind
/// the same port with the same protocol on overlapping addresses: an empty `hostIP` means 0.0.0.0,
/// which overlaps every address; two specific addresses overlap only when equal.
public struct HostPort: Sendable, Hashable, CustomStringConvertible {
    /// `HostPortInfo.sanitize`: the address an empty `hostIP` stands for.
    public static let allAddresses = "0.0.0.0"

    public var port: Int
    public var portProtocol: ContainerPort.PortProtocol
    public var hostIP: String

    public init(port: Int, portProtocol: ContainerPort.PortProtocol = .tcp, hostIP: String = "") {
        self.port = port
        self.portProtocol = portProtocol
        self.hostIP = hostIP.isEmpty ? Self.allAddresses : hostIP
    }

    public func conflicts(with other: HostPort) -> Bool {
        port == other.port && portProtocol == other.portProtocol
            && (hostIP == Self.allAddresses || other.hostIP == Self.allAddresses || hostIP == other.hostIP)
    }

    /// `8080/TCP`, or `10.0.0.1:8080/TCP` on one address.
    public var description: String {
        (hostIP == Self.allAddresses ? "" : "\(hostIP):") + "\(port)/\(portProtocol.rawValue)"
    }
}

extension Array where Element == HostPort {
    /// Whether any port here conflicts with any of `others`.
    public func conflicts(with others: [HostPort]) -> Bool {
        contains { port in others.contains { port.conflicts(with: $0) } }
    }
}

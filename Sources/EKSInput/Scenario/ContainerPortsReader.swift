import EKSModel
import Foundation
import Yams

/// Reads a container's `ports` (scenario files and manifests alike), checked as the API server
/// validates them (pkg/apis/core/validation `validateContainerPorts`): `containerPort` 1–65535,
/// `hostPort` 0–65535 (0 means none), `protocol` TCP, UDP or SCTP (TCP by default), `hostIP` an IP
/// address.
enum ContainerPortsReader {
    static let portKeys = ["name", "containerPort", "hostPort", "protocol", "hostIP"]

    static func read(_ map: MappingReader) -> [ContainerPort] {
        guard let items = map.list("ports") else { return [] }
        var ports: [ContainerPort] = []
        for (path, node) in items {
            guard
                let entry = MappingReader(
                    node, context: map.context, path: path, what: "a port of \(map.what)",
                    allowedKeys: portKeys)
            else { continue }
            _ = entry.value("name")
            // Every key is checked, so one run reports all the entry's mistakes.
            let number = entry.integer(
                "containerPort", in: 1...65_535, required: "the port the container listens on, 1 to 65535")
            var port = ContainerPort(containerPort: number ?? 0)
            if let host = entry.integer("hostPort", in: 0...65_535), host > 0 { port.hostPort = host }
            if let text = entry.choice("protocol", from: ContainerPort.PortProtocol.allCases.map(\.rawValue)) {
                port.portProtocol = ContainerPort.PortProtocol(rawValue: text)!
            }
            if let address = entry.string("hostIP") {
                if isIPAddress(address) {
                    port.hostIP = address
                } else {
                    map.context.error(
                        "'hostIP' in a port of \(map.what) must be an IP address such as 10.0.0.1, found \"\(address)\"",
                        at: entry.value("hostIP")!)
                }
            }
            if number != nil { ports.append(port) }
        }
        return ports
    }

    static func isIPAddress(_ text: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }
}

import Foundation

extension LinePricer {
    /// Every type a group lists must have a price, as its only type would: whichever rule picks the
    /// type, a listed type without one could not be priced. Requirements range over the whole catalog,
    /// so there only the priced types are candidates, and none priced is the error.
    mutating func checkInstanceTypesPriced(_ group: NodeGroup, path: String) {
        guard group.choosesInstanceType else { return }
        let term = Self.term(of: group)
        let snapshot = inputs.snapshot, region = region
        let key = { (type: String) in PriceKey.instance(type, os: group.os, term: term, region: region) }
        let isPriced = { (type: String) in snapshot.price(key(type)) != nil }
        if group.instanceRequirements == nil {
            for (index, type) in (group.instanceTypes ?? []).enumerated() where inputs.catalog[type] != nil && !isPriced(type) {
                diagnostics.append(.error("node group \(group.name) lists instance type \(type), and every listed type needs a price: \(MissingPrice.message(key(type), in: snapshot))",
                                          at: inputs.scenario.location(of: "\(path).instanceTypes[\(index)]")))
            }
            return
        }
        let candidates = CapacityPlanner.candidateTypes(of: group, catalog: inputs.catalog)
        guard !candidates.contains(where: { isPriced($0.name) }) else { return }
        let names = candidates.prefix(5).map(\.name).joined(separator: ", ") + (candidates.count > 5 ? ", …" : "")
        let message = candidates.isEmpty
            ? "node group \(group.name): no instance type in the catalog meets its instanceRequirements"
            : "node group \(group.name): none of its instance types (\(names)) has a \(group.os == .windows ? "Windows " : "")price (\(term)) in \(region) in snapshot \(inputs.snapshot.id); \(MissingPrice.remedy(for: key("")))"
        diagnostics.append(.error(message, at: inputs.scenario.location(of: "\(path).instanceRequirements")))
    }
}

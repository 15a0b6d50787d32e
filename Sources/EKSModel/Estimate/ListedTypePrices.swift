import Foundation

extension LinePricer {
    /// Every type a group lists must have a price, as its only type would: whichever rule picks the
    /// type, a listed type without one could not be priced.
    mutating func checkInstanceTypesPriced(_ group: NodeGroup, path: String) {
        diagnostics += ListedTypePrices.problems(
            of: group, term: Self.term(of: group), path: path, in: inputs.scenario,
            snapshot: inputs.snapshot, catalog: inputs.catalog)
    }
}

/// The prices a group that chooses among instance types (several listed, or requirements) needs
/// at its operating system's rate: the estimate and the capacity plan choose by them.
public enum ListedTypePrices {
    /// Each listed type must have a price; requirements range over the whole catalog, so there
    /// only the priced types are candidates, and none priced is the error. Errors at `path`
    /// (`clusters[i].nodeGroups[j]`) naming the command that gets the prices.
    public static func problems(
        of group: NodeGroup, term: String, path: String, in scenario: Scenario,
        snapshot: PriceSnapshot, catalog: InstanceCatalog
    ) -> [Diagnostic] {
        guard group.choosesInstanceType else { return [] }
        let region = scenario.region
        let key = { (type: String) in PriceKey.instance(type, os: group.os, term: term, region: region) }
        let isPriced = { (type: String) in snapshot.price(key(type)) != nil }
        if group.instanceRequirements == nil {
            return (group.instanceTypes ?? []).enumerated().compactMap { index, type in
                guard catalog[type] != nil && !isPriced(type) else { return nil }
                return .error(
                    "node group \(group.name) lists instance type \(type), and every listed type needs a price: \(MissingPrice.message(key(type), in: snapshot))",
                    at: scenario.location(of: "\(path).instanceTypes[\(index)]"))
            }
        }
        let candidates = CapacityPlanner.candidateTypes(of: group, catalog: catalog)
        guard !candidates.contains(where: { isPriced($0.name) }) else { return [] }
        let names = candidates.prefix(5).map(\.name).joined(separator: ", ") + (candidates.count > 5 ? ", …" : "")
        let message =
            candidates.isEmpty
            ? "node group \(group.name): no instance type in the catalog meets its instanceRequirements"
            : "node group \(group.name): none of its instance types (\(names)) has a \(group.os == .windows ? "Windows " : "")price (\(term)) in \(region) in snapshot \(snapshot.id); \(MissingPrice.remedy(for: key("")))"
        return [.error(message, at: scenario.location(of: "\(path).instanceRequirements"))]
    }
}

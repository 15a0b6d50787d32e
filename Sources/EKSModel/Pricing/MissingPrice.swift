import Foundation

/// How a price a snapshot lacks is reported: what was looked up, what the snapshot covers, and
/// the command that gets it.
public enum MissingPrice {
    /// `no price for ec2 m6g.large on-demand in eu-west-1 (snapshot aws-2026-11 covers us-east-1,
    /// ap-northeast-2); run 'ekscost pricing fetch eu-west-1'`.
    public static func message(_ key: PriceKey, in snapshot: PriceSnapshot) -> String {
        "no price for \(key) (snapshot \(snapshot.id) covers \(snapshot.regions.joined(separator: ", "))); \(remedy(for: key))"
    }

    /// What gets a price for `key`: the fetch command, or for Spot where observed prices come from.
    public static func remedy(for key: PriceKey) -> String {
        if key.term == PriceKey.spot {
            return
                "run 'ekscost pricing fetch \(key.region)', which also records the Spot prices of AWS's Spot pricing page (the Price List has none), or put observed Spot prices in a snapshot (Pricing/README.md), or compare Spot with 'ekscost compare --spot-discount'"
        }
        return "run 'ekscost pricing fetch \(key.region)'"
    }

    /// The same for a region the snapshot has no price for at all.
    public static func regionMessage(_ region: String, in snapshot: PriceSnapshot) -> String {
        "price snapshot \(snapshot.id) has no prices for region \(region); it covers \(snapshot.regions.joined(separator: ", ")); run 'ekscost pricing fetch \(region)'"
    }
}

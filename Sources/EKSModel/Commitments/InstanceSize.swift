public import Foundation

/// Instance sizes as Reserved Instance size flexibility counts them.
public enum InstanceSize {
    /// `m5` of `m5.large`.
    public static func family(of type: String) -> String { String(type.prefix { $0 != "." }) }

    /// `large` of `m5.large`.
    public static func size(of type: String) -> String {
        guard let dot = type.firstIndex(of: ".") else { return "" }
        return String(type[type.index(after: dot)...])
    }

    /// The normalization factor of a size: the units a running instance of it uses per hour and
    /// a reservation of it supplies. The table of the EC2 User Guide, "Instance size flexibility
    /// determined by normalization factor" (nano 0.25 … 112xlarge 896). Bare metal sizes have a
    /// factor per family that the table does not give: nil, and a reservation of or usage by
    /// them matches its exact type only.
    public static func normalizationFactor(of type: String) -> Decimal? {
        factors[size(of: type)]
    }

    static let factors: [String: Decimal] = [
        "nano": Decimal(string: "0.25")!, "micro": Decimal(string: "0.5")!, "small": 1, "medium": 2, "large": 4,
        "xlarge": 8, "2xlarge": 16, "3xlarge": 24, "4xlarge": 32, "6xlarge": 48, "8xlarge": 64, "9xlarge": 72,
        "10xlarge": 80, "12xlarge": 96, "16xlarge": 128, "18xlarge": 144, "24xlarge": 192, "32xlarge": 256,
        "48xlarge": 384, "56xlarge": 448, "112xlarge": 896,
    ]

    /// Families whose Reserved Instances have no size flexibility (EC2 User Guide, "Limitations").
    public static let familiesWithoutSizeFlexibility: Set<String> = ["g4ad", "g4dn", "g5", "g5g", "inf1"]
}

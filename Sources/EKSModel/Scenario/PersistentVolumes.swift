import Foundation

/// One EBS volume: its type, size and, where the type bills them, provisioned IOPS and
/// throughput. Node root volumes, eksctl's `additionalVolumes` and the volumes of persistent
/// volume claims are all this.
public struct EBSVolume: Sendable, Hashable {
    /// EBS volume type: gp3, gp2, io1, io2, st1, sc1, standard.
    public var type: String
    public var sizeGiB: Int
    /// Provisioned IOPS; nil takes the type's default (gp3: the 3000 included).
    public var iops: Int?
    /// Provisioned throughput in MiB/s (gp3 only); nil takes the 125 MiB/s included.
    public var throughputMiBps: Int?

    public init(type: String, sizeGiB: Int, iops: Int? = nil, throughputMiBps: Int? = nil) {
        self.type = type
        self.sizeGiB = sizeGiB
        self.iops = iops
        self.throughputMiBps = throughputMiBps
    }

    /// gp3's baseline, included in its GB-month price (Amazon EBS User Guide, "General Purpose SSD
    /// volumes": 3,000 IOPS and 125 MiB/s at no extra charge; above them IOPS-months and
    /// MiB/s-months are billed).
    public static let gp3IncludedIOPS = 3000
    public static let gp3IncludedThroughputMiBps = 125
    /// io2's IOPS price tiers: up to 32,000 IOPS, 32,001 to 64,000, above 64,000 (Amazon EBS
    /// pricing; the Price List's `EBS:VolumeP-IOPS.io2`, `.io2.tier2`, `.io2.tier3`).
    public static let io2TierBounds = [32_000, 64_000]

    /// Billed IOPS above what the GB price includes, per price tier (tier 1 first): gp3 above 3000,
    /// io1 all of them, io2 split over its three tiers; none for the other types.
    public var billedIOPSByTier: [Int] {
        switch type {
        case "gp3": return [max(0, (iops ?? Self.gp3IncludedIOPS) - Self.gp3IncludedIOPS)]
        case "io1": return [iops ?? 0]
        case "io2":
            let total = iops ?? 0
            let first = min(total, Self.io2TierBounds[0])
            let second = max(0, min(total, Self.io2TierBounds[1]) - Self.io2TierBounds[0])
            return [first, second, max(0, total - Self.io2TierBounds[1])]
        default: return []
        }
    }

    /// Billed throughput in MiB/s above the 125 included (gp3 only).
    public var billedThroughputMiBps: Int {
        type == "gp3"
            ? max(0, (throughputMiBps ?? Self.gp3IncludedThroughputMiBps) - Self.gp3IncludedThroughputMiBps) : 0
    }

    /// `200 GiB gp3`, with IOPS and throughput when they are not the defaults.
    public var description: String {
        var text = "\(sizeGiB) GiB \(type)"
        if let iops { text += ", \(iops) IOPS" }
        if let throughputMiBps { text += ", \(throughputMiBps) MiB/s" }
        return text
    }
}

/// A node's root volume.
public typealias RootVolume = EBSVolume

/// A PersistentVolumeClaim as written (or a StatefulSet's claim template, or a statically
/// provisioned PersistentVolume): the volume it gets is decided by its storage class when the
/// cluster is priced (`StorageClassResolution`).
public struct VolumeClaim: Sendable, Hashable {
    /// `namespace/name` of the claim (the template's name for a StatefulSet), or the
    /// PersistentVolume's name.
    public var name: String
    /// What the volume comes from, for the report: `PersistentVolumeClaim shop/data`.
    public var source: String
    public var sizeGiB: Int
    /// `storageClassName` as written; nil asks for the default class; "" asks for none (binds only
    /// to a PersistentVolume without class).
    public var storageClass: String?
    /// A volume already decided (a static EBS PersistentVolume names no parameters, so this is set
    /// only by readers that know the type); nil lets the class decide.
    public var volume: EBSVolume?

    public init(name: String, source: String, sizeGiB: Int, storageClass: String? = nil, volume: EBSVolume? = nil) {
        self.name = name
        self.source = source
        self.sizeGiB = sizeGiB
        self.storageClass = storageClass
        self.volume = volume
    }
}

/// A StorageClass of the cluster, as the manifests give it.
public struct StorageClassSpec: Sendable, Hashable {
    public var name: String
    public var provisioner: String
    public var parameters: [String: String]
    /// `storageclass.kubernetes.io/is-default-class: "true"`.
    public var isDefault: Bool

    public init(name: String, provisioner: String, parameters: [String: String] = [:], isDefault: Bool = false) {
        self.name = name
        self.provisioner = provisioner
        self.parameters = parameters
        self.isDefault = isDefault
    }

    /// Provisioners that create EBS volumes: the EBS CSI driver, EKS Auto Mode's, and the in-tree
    /// plugin (its default type is gp2, the CSI driver's gp3).
    public static let csiProvisioners = ["ebs.csi.aws.com", "ebs.csi.eks.amazonaws.com"]
    public static let inTreeProvisioner = "kubernetes.io/aws-ebs"
    public var createsEBSVolumes: Bool {
        Self.csiProvisioners.contains(provisioner) || provisioner == Self.inTreeProvisioner
    }
}

/// What a claim costs: the EBS volume it gets, or why it gets none ekscost can price.
public enum ClaimResolution: Sendable, Hashable {
    case ebs(EBSVolume, basis: String)
    case notPriced(reason: String)
    /// The claim cannot be provisioned as written (io1 without IOPS…): an input error.
    case invalid(reason: String)
}

/// Decides the EBS volume of each claim from the storage classes, as the EBS CSI driver creates
/// them (kubernetes-sigs/aws-ebs-csi-driver docs/parameters.md: `type` default gp3, `iops`,
/// `iopsPerGB`, `throughput`; pkg/cloud/cloud.go caps IOPS per GiB and per volume).
public enum StorageClassResolution {
    /// EBS limits the driver applies (pkg/cloud/cloud.go): IOPS per GiB and per volume.
    static let iopsLimits: [String: (minimum: Int, maximum: Int, perGiB: Int)] = [
        "gp3": (3000, 16_000, 500), "io1": (100, 64_000, 50), "io2": (100, 256_000, 1000),
    ]
    /// EKS creates a `gp2` StorageClass (in-tree provisioner, type gp2) in every cluster, no longer
    /// marked default from Kubernetes 1.30 (EKS User Guide, "Storage classes").
    public static let eksBuiltInClass = "gp2"

    public static func resolve(_ claim: VolumeClaim, classes: [StorageClassSpec], defaultClass: String?)
        -> ClaimResolution
    {
        if let volume = claim.volume { return .ebs(volume, basis: "\(claim.source): \(volume.type) as written") }
        if claim.storageClass == "" {
            return .notPriced(
                reason:
                    "\(claim.source) asks for no storage class (storageClassName: \"\"), so it binds only to an existing PersistentVolume and none in the manifests is bound to it"
            )
        }
        let className = claim.storageClass ?? defaultClass ?? classes.first(where: \.isDefault)?.name
        guard let className else {
            return .ebs(
                EBSVolume(type: "gp3", sizeGiB: claim.sizeGiB),
                basis:
                    "\(claim.source) names no storage class and no default class is stated (EKS marks none default from Kubernetes 1.30): priced as gp3, the EBS CSI driver's default; give the scenario's cluster defaultStorageClass to change it"
            )
        }
        guard let storageClass = classes.first(where: { $0.name == className }) else {
            if className == eksBuiltInClass {
                return .ebs(
                    EBSVolume(type: "gp2", sizeGiB: claim.sizeGiB),
                    basis: "\(claim.source): StorageClass gp2 is the one EKS creates (in-tree provisioner, type gp2)")
            }
            if EBSVolumeLimits.types.contains(className) && claim.storageClass == nil {
                // The scenario's defaultStorageClass may name a volume type directly.
                return sized(
                    EBSVolume(type: className, sizeGiB: claim.sizeGiB), claim: claim,
                    basis: "\(claim.source): the cluster's default class, \(className)")
            }
            return .ebs(
                EBSVolume(type: "gp3", sizeGiB: claim.sizeGiB),
                basis:
                    "\(claim.source): StorageClass \(className) is not in the manifests: priced as gp3, the EBS CSI driver's default type"
            )
        }
        guard storageClass.createsEBSVolumes else {
            return .notPriced(
                reason:
                    "\(claim.source) uses StorageClass \(className), provisioned by \(storageClass.provisioner), not EBS: not priced"
            )
        }
        let inTree = storageClass.provisioner == StorageClassSpec.inTreeProvisioner
        let parameters = Dictionary(storageClass.parameters.map { ($0.key.lowercased(), $0.value) }) { a, _ in a }
        let type = (parameters["type"] ?? (inTree ? "gp2" : "gp3")).lowercased()
        guard EBSVolumeLimits.types.contains(type) else {
            return .invalid(
                reason:
                    "StorageClass \(className) asks for EBS volume type '\(type)'; EBS has \(EBSVolumeLimits.types.joined(separator: ", "))"
            )
        }
        var volume = EBSVolume(type: type, sizeGiB: claim.sizeGiB)
        if let text = parameters["iopspergb"] {
            guard let perGiB = Int(text), perGiB > 0 else {
                return .invalid(
                    reason: "iopsPerGB of StorageClass \(className) must be a whole number, found \"\(text)\"")
            }
            volume.iops = perGiB * claim.sizeGiB
        }
        if let text = parameters["iops"] {
            guard let iops = Int(text), iops > 0 else {
                return .invalid(reason: "iops of StorageClass \(className) must be a whole number, found \"\(text)\"")
            }
            volume.iops = iops
        }
        if let text = parameters["throughput"] {
            guard let throughput = Int(text), throughput > 0 else {
                return .invalid(
                    reason: "throughput of StorageClass \(className) must be MiB/s as a whole number, found \"\(text)\""
                )
            }
            volume.throughputMiBps = throughput
        }
        return sized(
            volume, claim: claim,
            basis: "\(claim.source): StorageClass \(className) (\(storageClass.provisioner), type \(type))")
    }

    /// Applies the driver's IOPS caps; io1 and io2 need IOPS (EC2 CreateVolume requires them).
    static func sized(_ written: EBSVolume, claim: VolumeClaim, basis: String) -> ClaimResolution {
        var volume = written
        var note = basis
        if ["io1", "io2"].contains(volume.type) && volume.iops == nil {
            return .invalid(
                reason:
                    "\(claim.source) gets an \(volume.type) volume, which needs provisioned IOPS: give the StorageClass iops or iopsPerGB"
            )
        }
        if let iops = volume.iops, let limits = iopsLimits[volume.type] {
            let capped = max(limits.minimum, min(iops, limits.maximum, limits.perGiB * max(volume.sizeGiB, 1)))
            if capped != iops {
                volume.iops = capped
                note +=
                    "; IOPS \(iops) set to \(capped) (\(volume.type): \(limits.minimum) to \(limits.maximum), at most \(limits.perGiB) per GiB)"
            }
        }
        return .ebs(volume, basis: note)
    }
}

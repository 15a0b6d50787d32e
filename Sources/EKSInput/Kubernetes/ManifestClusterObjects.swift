import EKSModel
import Foundation
import Yams

extension ManifestReader {
    /// Average capacity units per hour (LCU for an ALB, NLCU for an NLB) of a Service's or
    /// Ingress's load balancer, which a manifest cannot say.
    public static let capacityUnitsAnnotation = "ekscost.io/capacity-units"
    /// GB a Classic Load Balancer processes in the month.
    public static let dataProcessedAnnotation = "ekscost.io/data-processed-gb"
    /// How long one rollout of an Argo Rollout lasts, and how many it has in the month.
    public static let rolloutDurationAnnotation = "ekscost.io/rollout-duration"
    public static let rolloutsPerMonthAnnotation = "ekscost.io/rollouts-per-month"
    static let serviceAnnotations = [
        capacityUnitsAnnotation, dataProcessedAnnotation, rolloutDurationAnnotation, rolloutsPerMonthAnnotation,
    ]
}

/// Services, Ingresses and storage objects, as read, joined when every file has been read.
struct ClusterObjects {
    struct PendingIngress {
        var namespace: String
        var name: String
        var className: String?
        var group: String?
        var capacityUnits: Decimal?
        var location: SourceLocation
    }
    struct PendingClaim {
        var claim: VolumeClaim
        var namespace: String
        var name: String
        var volumeName: String?
        var location: SourceLocation
    }
    struct PendingVolume {
        var name: String
        var sizeGiB: Int
        /// Why it is not an EBS volume, or nil when it is one.
        var notEBS: String?
        var storageClass: String?
        var claim: String?
        var location: SourceLocation
    }

    var loadBalancers: [LoadBalancer] = []
    /// Where each load balancer's object is written.
    var loadBalancerLocations: [SourceLocation] = []
    var ingresses: [PendingIngress] = []
    /// IngressClass name → (controller, default class, IngressClassParams it names).
    var ingressClasses: [String: (controller: String, isDefault: Bool, parameters: String?)] = [:]
    /// IngressClassParams name → its `group.name`.
    var ingressGroups: [String: String] = [:]
    var storageClasses: [StorageClassSpec] = []
    var claims: [PendingClaim] = []
    var volumes: [PendingVolume] = []
    var rollouts: [PendingRollout] = []
    /// Load balancers whose traffic no annotation states.
    var withoutTraffic: [String] = []
}

/// A lenient look into a mapping, for objects whose spec ekscost reads only a few keys of.
extension Node {
    func child(_ key: String) -> Node? {
        guard case .mapping(let mapping) = self else { return nil }
        return mapping.first { $0.key.scalarText == key }?.value
    }

    func child(_ keys: String...) -> Node? { keys.reduce(Optional(self)) { $0?.child($1) } }
}

extension ManifestCollector {
    /// AWS Load Balancer Controller (kubernetes-sigs/aws-load-balancer-controller docs/guide/service/
    /// annotations.md, nlb_ip_mode.md) and EKS Auto Mode classes that make a Service an NLB.
    static let nlbClasses = ["service.k8s.aws/nlb", "eks.amazonaws.com/nlb"]
    static let nlbTypeAnnotation = "service.beta.kubernetes.io/aws-load-balancer-type"
    /// Ingress controllers that create ALBs: the AWS Load Balancer Controller and EKS Auto Mode.
    static let albControllers = ["ingress.k8s.aws/alb", "eks.amazonaws.com/alb"]
    static let albGroupAnnotation = "alb.ingress.kubernetes.io/group.name"

    /// Services, Ingresses, IngressClasses, StorageClasses, PersistentVolumeClaims and
    /// PersistentVolumes, Argo Rollouts, KEDA ScaledObjects and ScaledJobs. False for kinds it
    /// does not read.
    mutating func addOtherObject(
        _ node: Node, kind: String, group: String, apiVersion: String, what: String,
        context: YAMLDiagnostics
    ) -> Bool {
        let known: Set<String> = [
            "/Service", "networking.k8s.io/Ingress", "extensions/Ingress", "networking.k8s.io/IngressClass",
            "elbv2.k8s.aws/IngressClassParams", "storage.k8s.io/StorageClass", "/PersistentVolumeClaim",
            "/PersistentVolume", "argoproj.io/Rollout", "keda.sh/ScaledObject", "keda.sh/ScaledJob",
        ]
        guard known.contains("\(group)/\(kind)") else { return false }
        guard
            let top = MappingReader(
                node, context: context, path: "", what: what,
                allowedKeys: Self.topKeys + [
                    "provisioner", "parameters", "reclaimPolicy", "mountOptions",
                    "allowVolumeExpansion", "volumeBindingMode", "allowedTopologies",
                ]),
            let metadata = readMetadata(top, kind: kind)
        else { return true }
        let owner = "\(kind) \(metadata.namespace)/\(metadata.name)"
        switch kind {
        case "Service": readService(node, metadata: metadata, owner: owner, context: context)
        case "Ingress": readIngress(node, metadata: metadata, context: context)
        case "IngressClass":
            let isDefault = metadata.annotations["ingressclass.kubernetes.io/is-default-class"]?.text == "true"
            let parameters = node.child("spec", "parameters").flatMap {
                $0.child("kind")?.scalarText == "IngressClassParams" ? $0.child("name")?.scalarText : nil
            }
            clusterObjects.ingressClasses[metadata.name] = (
                node.child("spec", "controller")?.scalarText ?? "", isDefault, parameters
            )
        case "IngressClassParams":
            if let group = node.child("spec", "group", "name")?.scalarText {
                clusterObjects.ingressGroups[metadata.name] = group
            }
        case "StorageClass":
            var parameters: [String: String] = [:]
            if case .mapping(let entries)? = node.child("parameters") {
                for (key, value) in entries {
                    if let key = key.scalarText, let text = value.scalarText { parameters[key] = text }
                }
            }
            let isDefault = [
                "storageclass.kubernetes.io/is-default-class", "storageclass.beta.kubernetes.io/is-default-class",
            ]
            .contains { metadata.annotations[$0]?.text == "true" }
            clusterObjects.storageClasses.append(
                StorageClassSpec(
                    name: metadata.name, provisioner: node.child("provisioner")?.scalarText ?? "",
                    parameters: parameters, isDefault: isDefault))
        case "PersistentVolumeClaim": readClaim(top, metadata: metadata, owner: owner)
        case "PersistentVolume": readVolume(node, metadata: metadata, context: context)
        case "Rollout": readRollout(top, metadata: metadata, context: context)
        case "ScaledJob": readScaledJob(top, metadata: metadata, context: context)
        default: readScaledObject(top, metadata: metadata, context: context)
        }
        return true
    }

    func decimalAnnotation(_ key: String, _ metadata: ObjectMetadata, owner: String, context: YAMLDiagnostics)
        -> Decimal?
    {
        guard let (text, node) = metadata.annotations[key] else { return nil }
        guard let value = DecimalText.parse(text), value >= 0 else {
            context.error("annotation \(key) of \(owner) must be a number such as 2.5, found \"\(text)\"", at: node)
            return nil
        }
        return value
    }

    /// A Service of type LoadBalancer: an NLB when the AWS Load Balancer Controller or EKS Auto
    /// Mode handles it (`loadBalancerClass`, or `aws-load-balancer-type: external` / `nlb-ip`), or
    /// when `aws-load-balancer-type: nlb` asks the AWS cloud provider for one; otherwise the AWS
    /// cloud provider creates a Classic Load Balancer (kubernetes/cloud-provider-aws
    /// pkg/providers/v1/aws.go: `ServiceAnnotationLoadBalancerType`, classic ELB by default).
    mutating func readService(_ node: Node, metadata: ObjectMetadata, owner: String, context: YAMLDiagnostics) {
        guard node.child("spec", "type")?.scalarText == "LoadBalancer" else {
            skipped["Service", default: 0] += 1
            return
        }
        let name = "Service \(metadata.namespace)/\(metadata.name)"
        let type = metadata.annotations[Self.nlbTypeAnnotation]?.text
        let kind: LoadBalancerKind
        let reason: String
        if let loadBalancerClass = node.child("spec", "loadBalancerClass")?.scalarText {
            guard Self.nlbClasses.contains(loadBalancerClass) else {
                context.diagnostics.append(
                    Diagnostic(
                        .note,
                        "\(name) has loadBalancerClass \(loadBalancerClass), which neither the AWS Load Balancer Controller nor EKS Auto Mode handles: its load balancer is not priced",
                        at: metadata.location))
                skipped["Service (loadBalancerClass \(loadBalancerClass))", default: 0] += 1
                return
            }
            (kind, reason) = (.network, "loadBalancerClass \(loadBalancerClass): a Network Load Balancer")
        } else if let type, ["external", "nlb-ip"].contains(type) {
            (kind, reason) = (
                .network,
                "\(Self.nlbTypeAnnotation): \(type): the AWS Load Balancer Controller creates a Network Load Balancer"
            )
        } else if type == "nlb" {
            (kind, reason) = (
                .network, "\(Self.nlbTypeAnnotation): nlb: the AWS cloud provider creates a Network Load Balancer"
            )
        } else {
            (kind, reason) = (
                .classic,
                "type LoadBalancer without the AWS Load Balancer Controller's annotations: the AWS cloud provider creates a Classic Load Balancer"
            )
        }
        var balancer = LoadBalancer(name: name, kind: kind, reason: reason)
        let units = decimalAnnotation(ManifestReader.capacityUnitsAnnotation, metadata, owner: owner, context: context)
        let data = decimalAnnotation(ManifestReader.dataProcessedAnnotation, metadata, owner: owner, context: context)
        if kind == .classic {
            balancer.dataProcessedGB = data
            if units != nil {
                context.diagnostics.append(
                    .error(
                        "\(name) gets a Classic Load Balancer, billed per GB processed: give \(ManifestReader.dataProcessedAnnotation), not \(ManifestReader.capacityUnitsAnnotation)",
                        at: metadata.annotationsLocation))
            }
        } else {
            balancer.capacityUnits = units
            if data != nil {
                context.diagnostics.append(
                    .error(
                        "\(name) gets a Network Load Balancer, billed per NLCU: give \(ManifestReader.capacityUnitsAnnotation), not \(ManifestReader.dataProcessedAnnotation)",
                        at: metadata.annotationsLocation))
            }
        }
        if units == nil && data == nil { clusterObjects.withoutTraffic.append(name) }
        clusterObjects.loadBalancers.append(balancer)
        clusterObjects.loadBalancerLocations.append(metadata.location)
    }

    mutating func readIngress(_ node: Node, metadata: ObjectMetadata, context: YAMLDiagnostics) {
        let className =
            node.child("spec", "ingressClassName")?.scalarText
            ?? metadata.annotations["kubernetes.io/ingress.class"]?.text
        clusterObjects.ingresses.append(
            ClusterObjects.PendingIngress(
                namespace: metadata.namespace, name: metadata.name, className: className,
                group: metadata.annotations[Self.albGroupAnnotation]?.text,
                capacityUnits: decimalAnnotation(
                    ManifestReader.capacityUnitsAnnotation, metadata,
                    owner: "Ingress \(metadata.namespace)/\(metadata.name)", context: context),
                location: metadata.location))
    }

    mutating func readClaim(_ top: MappingReader, metadata: ObjectMetadata, owner: String) {
        guard let spec = top.mapping("spec", what: "spec of \(owner)", allowedKeys: VolumeClaimReader.claimSpecKeys)
        else {
            if !top.has("spec") { top.missing("spec", "the claim's spec, with resources.requests.storage") }
            return
        }
        let annotation = metadata.annotations[VolumeClaimReader.betaClassAnnotation]?.text
        guard
            let (claim, volumeName) = VolumeClaimReader.readSpec(
                spec, name: "\(metadata.namespace)/\(metadata.name)", source: owner,
                classAnnotation: annotation)
        else { return }
        clusterObjects.claims.append(
            ClusterObjects.PendingClaim(
                claim: claim, namespace: metadata.namespace, name: metadata.name,
                volumeName: volumeName, location: metadata.location))
    }

    /// A PersistentVolume: priced when it is an EBS volume (in-tree `awsElasticBlockStore` or the
    /// EBS CSI driver), once, and not again through the claim bound to it.
    mutating func readVolume(_ node: Node, metadata: ObjectMetadata, context: YAMLDiagnostics) {
        let spec = node.child("spec")
        var size = 1
        if let text = spec?.child("capacity", "storage")?.scalarText,
            case .success(let quantity) = ResourceQuantity.parse(text)
        {
            let gib = quantity.amount / Decimal(1 << 30)
            size = max(1, (gib == DecimalText.truncated(gib) ? gib : DecimalText.truncated(gib) + 1).intValue)
        }
        let driver = spec?.child("csi", "driver")?.scalarText
        var notEBS: String?
        if spec?.child("awsElasticBlockStore") == nil && !StorageClassSpec.csiProvisioners.contains(driver ?? "") {
            let source =
                driver.map { "CSI driver \($0)" }
                ?? (spec.flatMap { node -> String? in
                    guard case .mapping(let entries) = node else { return nil }
                    return entries.compactMap { $0.key.scalarText }.first {
                        ![
                            "capacity", "accessModes", "persistentVolumeReclaimPolicy", "storageClassName",
                            "claimRef", "mountOptions", "volumeMode", "nodeAffinity", "volumeAttributesClassName",
                        ].contains($0)
                    }
                } ?? "an unknown source")
            notEBS = source
        }
        var claim: String?
        if let reference = spec?.child("claimRef"), let name = reference.child("name")?.scalarText {
            claim = "\(reference.child("namespace")?.scalarText ?? "default")/\(name)"
        }
        clusterObjects.volumes.append(
            ClusterObjects.PendingVolume(
                name: metadata.name, sizeGiB: size, notEBS: notEBS,
                storageClass: spec?.child("storageClassName")?.scalarText,
                claim: claim, location: metadata.location))
    }

    // MARK: Joining

    mutating func finishClusterObjects(_ set: inout ManifestSet) {
        var objects = clusterObjects
        // Ingresses: ALBs by class, one per Ingress or one per group.
        var groups: [String: [ClusterObjects.PendingIngress]] = [:]
        var groupOrder: [String] = []
        let defaultClass = objects.ingressClasses.first { $0.value.isDefault }?.key
        for ingress in objects.ingresses {
            let ingressName = "\(ingress.namespace)/\(ingress.name)"
            guard let className = ingress.className ?? defaultClass else {
                diagnostics.append(
                    Diagnostic(
                        .note,
                        "Ingress \(ingressName) names no ingress class and no IngressClass is marked default: no load balancer is priced for it"
                    ))
                skipped["Ingress (no class)", default: 0] += 1
                continue
            }
            let ingressClass = objects.ingressClasses[className]
            guard className == "alb" || Self.albControllers.contains(ingressClass?.controller ?? "") else {
                skipped["Ingress (class \(className), not an ALB)", default: 0] += 1
                continue
            }
            let group = ingress.group ?? ingressClass?.parameters.flatMap { objects.ingressGroups[$0] }
            let key = group.map { "group \($0)" } ?? "Ingress \(ingressName)"
            if groups[key] == nil { groupOrder.append(key) }
            groups[key, default: []].append(ingress)
        }
        for key in groupOrder {
            let members = groups[key]!
            let names = members.map { "\($0.namespace)/\($0.name)" }
            let stated = members.compactMap(\.capacityUnits)
            let reason =
                key.hasPrefix("group ")
                ? "Ingresses \(names.joined(separator: ", ")) share one Application Load Balancer (\(Self.albGroupAnnotation): \(key.dropFirst(6)))"
                : "Ingress of class \(members[0].className ?? defaultClass ?? "alb"): the AWS Load Balancer Controller creates one Application Load Balancer"
            let name = key.hasPrefix("group ") ? "ingress \(key)" : key
            objects.loadBalancers.append(
                LoadBalancer(
                    name: name, kind: .application, reason: reason,
                    capacityUnits: stated.isEmpty ? nil : stated.reduce(0, +)))
            objects.loadBalancerLocations.append(members[0].location)
            if stated.count < members.count { objects.withoutTraffic.append(name) }
        }
        if !objects.withoutTraffic.isEmpty {
            diagnostics.append(
                Diagnostic(
                    .note,
                    "load balancer capacity units (LCU, NLCU) and Classic Load Balancer data are not included for \(objects.withoutTraffic.joined(separator: ", ")): state them with the annotations \(ManifestReader.capacityUnitsAnnotation) (average per hour) or \(ManifestReader.dataProcessedAnnotation) (GB per month)"
                ))
        }
        set.loadBalancers = objects.loadBalancers
        set.loadBalancerLocations = objects.loadBalancerLocations
        set.storageClasses = objects.storageClasses

        // Volumes: a claim bound to a PersistentVolume of the manifests is priced through it, once.
        let volumeNames = Set(objects.volumes.map(\.name))
        let claimedByVolume = Set(objects.volumes.compactMap(\.claim))
        for pending in objects.claims {
            let claimName = "\(pending.namespace)/\(pending.name)"
            if let volumeName = pending.volumeName {
                if !volumeNames.contains(volumeName) {
                    diagnostics.append(
                        Diagnostic(
                            .note,
                            "PersistentVolumeClaim \(claimName) is bound to PersistentVolume \(volumeName), which is not in the manifests: not priced",
                            at: pending.location))
                }
                continue
            }
            if claimedByVolume.contains(claimName) { continue }
            set.volumeClaims.append(pending.claim)
            set.volumeClaimLocations.append(pending.location)
        }
        for volume in objects.volumes {
            if let source = volume.notEBS {
                diagnostics.append(
                    Diagnostic(
                        .note, "PersistentVolume \(volume.name) is backed by \(source), not EBS: not priced",
                        at: volume.location))
                continue
            }
            set.volumeClaims.append(
                VolumeClaim(
                    name: "pv/\(volume.name)", source: "PersistentVolume \(volume.name) (an existing EBS volume)",
                    sizeGiB: volume.sizeGiB, storageClass: volume.storageClass))
            set.volumeClaimLocations.append(volume.location)
        }
        clusterObjects = objects
    }
}

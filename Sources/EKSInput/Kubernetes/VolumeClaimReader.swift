import EKSModel
import Foundation
import Yams

/// Reads PersistentVolumeClaim specs: a StatefulSet's `volumeClaimTemplates` (in manifests and in
/// scenario files, written the Kubernetes way) and PersistentVolumeClaim objects.
enum VolumeClaimReader {
    /// `PersistentVolumeClaimSpec` (k8s.io/api/core/v1 types.go).
    static let claimSpecKeys = [
        "accessModes", "selector", "resources", "volumeName", "storageClassName", "volumeMode", "dataSource",
        "dataSourceRef", "volumeAttributesClassName",
    ]
    /// The class annotation older manifests use instead of `storageClassName`.
    static let betaClassAnnotation = "volume.beta.kubernetes.io/storage-class"

    /// A claim spec: its size (`resources.requests.storage`, rounded up to whole GiB as the EBS CSI
    /// driver provisions it: pkg/util `RoundUpGiB`), its class and the volume it names.
    static func readSpec(_ spec: MappingReader, name: String, source: String, classAnnotation: String?) -> (
        claim: VolumeClaim, volumeName: String?
    )? {
        let context = spec.context
        guard
            let resources = spec.mapping(
                "resources", what: "resources of \(source)", allowedKeys: ["requests", "limits"])
        else {
            if !spec.has("resources") {
                spec.missing("resources", "resources.requests.storage, the volume's size such as 20Gi")
            }
            return nil
        }
        guard
            let requests = resources.mapping(
                "requests", what: "resources.requests of \(source)", allowedKeys: ["storage"])
        else {
            resources.missing("requests", "requests.storage, the volume's size such as 20Gi")
            return nil
        }
        guard let quantity = requests.quantity("storage") else {
            if !requests.has("storage") { requests.missing("storage", "the volume's size such as 20Gi") }
            return nil
        }
        let gibibyte = Decimal(1 << 30)
        var gib = quantity.amount / gibibyte
        if gib != DecimalText.truncated(gib) { gib = DecimalText.truncated(gib) + 1 }
        guard gib >= 0, gib <= 1_048_576 else {
            context.error(
                "storage of \(source) must be a size from 1Gi to 1Pi, found \"\(quantity.text)\"",
                at: requests.value("storage")!)
            return nil
        }
        let storageClass = spec.string("storageClassName") ?? classAnnotation
        let claim = VolumeClaim(name: name, source: source, sizeGiB: max(1, gib.intValue), storageClass: storageClass)
        return (claim, spec.string("volumeName"))
    }

    /// `volumeClaimTemplates: [{metadata: {name}, spec: {...}}]` of a StatefulSet.
    static func readTemplates(_ parent: MappingReader, owner: String) -> [VolumeClaim] {
        let context = parent.context
        var claims: [VolumeClaim] = []
        for (path, node) in parent.list("volumeClaimTemplates") ?? [] {
            guard
                let template = MappingReader(
                    node, context: context, path: path, what: "a volume claim template of \(owner)",
                    allowedKeys: ["apiVersion", "kind", "metadata", "spec"])
            else { continue }
            var name = "volume"
            var annotation: String?
            if let metadata = template.mapping(
                "metadata", what: "metadata of a volume claim template of \(owner)",
                allowedKeys: PodTemplateReader.objectMetaKeys)
            {
                name = metadata.string("name", required: "the template's name") ?? name
                annotation = annotations(metadata)[betaClassAnnotation]
            } else {
                template.missing("metadata", "a mapping with the template's name")
            }
            guard
                let spec = template.mapping(
                    "spec", what: "spec of volume claim template \(name) of \(owner)", allowedKeys: claimSpecKeys)
            else {
                if !template.has("spec") {
                    template.missing("spec", "the claim's spec, with resources.requests.storage")
                }
                continue
            }
            if let (claim, _) = readSpec(
                spec, name: name, source: "volume claim template \(name) of \(owner)", classAnnotation: annotation)
            {
                claims.append(claim)
            }
        }
        return claims
    }

    /// `persistentVolumeClaimRetentionPolicy.whenScaled` of a StatefulSet: Retain (the default)
    /// keeps the volumes of replicas scaled away.
    static func retainsWhenScaled(_ spec: MappingReader, owner: String) -> Bool {
        guard
            let policy = spec.mapping(
                "persistentVolumeClaimRetentionPolicy", what: "persistentVolumeClaimRetentionPolicy of \(owner)",
                allowedKeys: ["whenDeleted", "whenScaled"])
        else { return true }
        _ = policy.choice("whenDeleted", from: ["Retain", "Delete"])
        return policy.choice("whenScaled", from: ["Retain", "Delete"]) != "Delete"
    }

    /// The text annotations of a metadata mapping.
    static func annotations(_ metadata: MappingReader) -> [String: String] {
        guard case .mapping(let entries)? = metadata.value("annotations") else { return [:] }
        var result: [String: String] = [:]
        for (key, value) in entries {
            if let key = key.scalarText, let text = value.scalarText { result[key] = text }
        }
        return result
    }
}

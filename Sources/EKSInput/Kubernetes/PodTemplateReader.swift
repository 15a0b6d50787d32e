import EKSModel
import Foundation
import Yams

/// A container as written in a manifest, before the API server's defaulting and LimitRange
/// admission fill in what is missing (so "not written" stays distinct from "0").
struct ManifestContainer {
    var name: String
    var requests = WorkloadReader.ResourceList()
    var limits = WorkloadReader.ResourceList()
    var privileged = false
    var isSidecar = false
    var ports: [ContainerPort] = []
    var location: SourceLocation
}

/// A pod spec as written in a manifest.
struct ManifestPodSpec {
    var labels: [String: String] = [:]
    var containers: [ManifestContainer] = []
    var initContainers: [ManifestContainer] = []
    var nodeSelector: [String: String] = [:]
    var nodeAffinity: [[NodeSelectorRequirement]] = []
    var tolerations: [Toleration] = []
    var hostNetwork = false
}

/// Reads pod templates and pod specs of Kubernetes objects. Every key of the Kubernetes API
/// types is accepted (keys capacity planning does not need are ignored); other keys are
/// reported, with a hint, so typos do not go unnoticed.
enum PodTemplateReader {
    /// `ObjectMeta` (k8s.io/apimachinery/pkg/apis/meta/v1 types.go).
    static let objectMetaKeys = [
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
        "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers",
        "managedFields",
    ]
    /// `PodSpec` (k8s.io/api/core/v1 types.go).
    static let podSpecKeys = [
        "volumes", "initContainers", "containers", "ephemeralContainers", "restartPolicy",
        "terminationGracePeriodSeconds",
        "activeDeadlineSeconds", "dnsPolicy", "nodeSelector", "serviceAccountName", "serviceAccount",
        "automountServiceAccountToken", "nodeName", "hostNetwork", "hostPID", "hostIPC", "shareProcessNamespace",
        "securityContext", "imagePullSecrets", "hostname", "subdomain", "affinity", "schedulerName", "tolerations",
        "hostAliases", "priorityClassName", "priority", "dnsConfig", "readinessGates", "runtimeClassName",
        "enableServiceLinks", "preemptionPolicy", "overhead", "topologySpreadConstraints", "setHostnameAsFQDN", "os",
        "hostUsers", "schedulingGates", "resourceClaims", "resources", "hostnameOverride",
    ]
    /// `Container` (k8s.io/api/core/v1 types.go).
    static let containerKeys = [
        "name", "image", "command", "args", "workingDir", "ports", "envFrom", "env", "resources", "resizePolicy",
        "restartPolicy", "restartPolicyRules", "volumeMounts", "volumeDevices", "livenessProbe", "readinessProbe",
        "startupProbe", "lifecycle", "terminationMessagePath", "terminationMessagePolicy", "imagePullPolicy",
        "securityContext", "stdin", "stdinOnce", "tty",
    ]
    static let securityContextKeys = [
        "privileged", "runAsUser", "runAsGroup", "runAsNonRoot", "readOnlyRootFilesystem", "allowPrivilegeEscalation",
        "capabilities", "seccompProfile", "seLinuxOptions", "procMount", "appArmorProfile", "windowsOptions",
    ]

    /// `template: {metadata, spec}` under `parent` (a Deployment's or Job's spec).
    static func readTemplate(_ parent: MappingReader, owner: String) -> ManifestPodSpec? {
        guard
            let template = parent.mapping(
                "template", what: "the pod template of \(owner)", allowedKeys: ["metadata", "spec"])
        else {
            if !parent.has("template") {
                parent.missing("template", "the pod template, with metadata.labels and spec.containers")
            }
            return nil
        }
        var labels: [String: String] = [:]
        if let metadata = template.mapping(
            "metadata", what: "metadata of the pod template of \(owner)", allowedKeys: objectMetaKeys)
        {
            labels = WorkloadReader.stringMap(metadata, "labels") ?? [:]
        }
        guard let spec = template.mapping("spec", what: "the pod spec of \(owner)", allowedKeys: podSpecKeys) else {
            if !template.has("spec") { template.missing("spec", "the pod spec, with containers") }
            return nil
        }
        var pod = readPodSpec(spec, owner: owner)
        pod.labels = labels
        return pod
    }

    static func readPodSpec(_ spec: MappingReader, owner: String) -> ManifestPodSpec {
        let context = spec.context
        var pod = ManifestPodSpec()
        if let items = spec.list("containers", required: "a list of containers with their resources") {
            if items.isEmpty { context.error("\(owner) needs at least one container", at: spec.value("containers")!) }
            pod.containers = items.compactMap {
                readContainer($0.node, path: $0.path, owner: owner, initContainer: false, context: context)
            }
        }
        if let items = spec.list("initContainers") {
            pod.initContainers = items.compactMap {
                readContainer($0.node, path: $0.path, owner: owner, initContainer: true, context: context)
            }
        }
        pod.nodeSelector = WorkloadReader.stringMap(spec, "nodeSelector") ?? [:]
        if let affinity = spec.mapping(
            "affinity", what: "affinity of \(owner)", allowedKeys: ["nodeAffinity", "podAffinity", "podAntiAffinity"])
        {
            pod.nodeAffinity = WorkloadReader.readNodeAffinity(affinity, context: context)
        }
        if let items = spec.list("tolerations") {
            pod.tolerations = items.compactMap {
                WorkloadReader.readToleration($0.node, path: $0.path, owner: owner, context: context)
            }
        }
        pod.hostNetwork = spec.bool("hostNetwork") ?? false
        if let node = spec.value("resources") {
            context.warning(
                "pod-level resources of \(owner) are not used: ekscost sizes pods from their containers' requests",
                at: node)
        }
        return pod
    }

    static func readContainer(_ node: Node, path: String, owner: String, initContainer: Bool, context: YAMLDiagnostics)
        -> ManifestContainer?
    {
        var what = "a container of \(owner)"
        if case .mapping(let mapping) = node,
            let name = mapping.first(where: { $0.key.scalarText == "name" })?.value.scalarText
        {
            what = "\(initContainer ? "init container" : "container") \(name) of \(owner)"
        }
        guard let map = MappingReader(node, context: context, path: path, what: what, allowedKeys: containerKeys) else {
            return nil
        }
        let name = map.string("name", required: "a name for the container") ?? "container"
        var container = ManifestContainer(name: name, location: context.location(node))
        if let resources = map.mapping("resources", what: what, allowedKeys: ["requests", "limits", "claims"]) {
            container.requests = WorkloadReader.readResourceList(resources, "requests")
            container.limits = WorkloadReader.readResourceList(resources, "limits")
            WorkloadReader.checkNotOvercommitted(requests: container.requests, limits: container.limits, in: resources)
        }
        if let security = map.mapping(
            "securityContext", what: "securityContext of \(what)", allowedKeys: securityContextKeys)
        {
            container.privileged = security.bool("privileged") ?? false
        }
        container.ports = ContainerPortsReader.read(map)
        if initContainer {
            // KEP-753: an init container with restartPolicy: Always is a sidecar.
            container.isSidecar = map.choice("restartPolicy", from: ["Always"]) == "Always"
        }
        return container
    }
}

extension WorkloadReader.ResourceList {
    /// Each resource not given here, taken from `other`.
    func filled(from other: WorkloadReader.ResourceList) -> WorkloadReader.ResourceList {
        var result = self
        result.cpu = cpu ?? other.cpu
        result.memory = memory ?? other.memory
        result.ephemeralStorage = ephemeralStorage ?? other.ephemeralStorage
        for (name, amount) in other.extended where result.extended[name] == nil {
            result.extended[name] = amount
            result.extendedNodes[name] = other.extendedNodes[name]
        }
        return result
    }

    var isEmpty: Bool { cpu == nil && memory == nil && ephemeralStorage == nil && extended.isEmpty }
}

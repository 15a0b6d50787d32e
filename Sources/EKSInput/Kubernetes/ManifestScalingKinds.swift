import Autoscaling
import EKSModel
import Foundation
import Yams

/// An Argo Rollout whose pod template is a Deployment's (`workloadRef`), resolved once every file
/// has been read.
struct PendingRollout {
    var metadata: ObjectMetadata
    var replicas: Int?
    var surge: Int?
    var reference: (kind: String, name: String)
    var locations: [String: SourceLocation]
}

/// Argo Rollouts (`argoproj.io/v1alpha1` Rollout: a Deployment with canary or blue-green
/// rollouts) and KEDA ScaledObjects (`keda.sh/v1alpha1`: the HPA KEDA creates for its target).
extension ManifestCollector {
    static let rolloutSpecKeys = [
        "replicas", "selector", "template", "workloadRef", "strategy", "minReadySeconds", "revisionHistoryLimit",
        "paused",
        "progressDeadlineSeconds", "progressDeadlineAbort", "restartAt", "rollbackWindow", "analysis",
    ]
    static let scaledObjectSpecKeys = [
        "scaleTargetRef", "pollingInterval", "cooldownPeriod", "initialCooldownPeriod", "idleReplicaCount",
        "minReplicaCount",
        "maxReplicaCount", "fallback", "advanced", "triggers",
    ]

    /// A Rollout runs like a Deployment of `replicas` (default 1). During a rollout it runs more
    /// pods for a while: a blue-green rollout a preview set (`previewReplicaCount`, default all
    /// replicas), a canary `maxSurge` more (default 25 %, rounded up; Argo Rollouts
    /// pkg/apis/rollouts/v1alpha1 types.go defaults) or, with traffic routing, its largest
    /// `setWeight` share. That surge is priced as a Job run `ekscost.io/rollouts-per-month` times
    /// for `ekscost.io/rollout-duration` when both are stated.
    mutating func readRollout(_ top: MappingReader, metadata: ObjectMetadata, context: YAMLDiagnostics) {
        let owner = "Rollout \(metadata.namespace)/\(metadata.name)"
        guard let spec = spec(top, owner: owner, keys: Self.rolloutSpecKeys) else { return }
        let replicas = spec.integer("replicas", in: 0...1_000_000)
        let surge = rolloutSurge(top.node.child("spec", "strategy"), replicas: replicas ?? 1)
        var locations: [String: SourceLocation] = ["": metadata.location, "name": metadata.nameLocation]
        if let location = context.locations["spec.replicas"] { locations["replicas"] = location }
        if spec.has("template") {
            guard let pod = PodTemplateReader.readTemplate(spec, owner: owner) else { return }
            addRollout(
                metadata: metadata, replicas: replicas, pod: pod, surge: surge, locations: locations, context: context)
        } else if let reference = spec.mapping(
            "workloadRef", what: "workloadRef of \(owner)", allowedKeys: ["apiVersion", "kind", "name", "scaleDown"]),
            let kind = reference.string(
                "kind", required: "the kind of the workload whose template it uses, Deployment"),
            let name = reference.string("name", required: "the name of that workload")
        {
            clusterObjects.rollouts.append(
                PendingRollout(
                    metadata: metadata, replicas: replicas, surge: surge,
                    reference: (kind, name), locations: locations))
        } else if !spec.has("workloadRef") {
            spec.missing("template", "the pod template, or workloadRef naming a Deployment whose template it uses")
        }
    }

    func rolloutSurge(_ strategy: Node?, replicas: Int) -> Int? {
        if let blueGreen = strategy?.child("blueGreen") {
            return blueGreen.child("previewReplicaCount")?.scalarText.flatMap(Int.init) ?? replicas
        }
        guard let canary = strategy?.child("canary") else { return nil }
        if canary.child("trafficRouting") != nil, case .sequence(let steps)? = canary.child("steps") {
            let weights = steps.compactMap { $0.child("setWeight")?.scalarText.flatMap(Int.init) }
            if let weight = weights.max() { return (replicas * weight + 99) / 100 }
        }
        let surge = canary.child("maxSurge")?.scalarText ?? "25%"
        if surge.hasSuffix("%"), let percent = Int(surge.dropLast()) { return (replicas * percent + 99) / 100 }
        return Int(surge)
    }

    mutating func addRollout(
        metadata: ObjectMetadata, replicas: Int?, pod: ManifestPodSpec, surge: Int?,
        locations: [String: SourceLocation], context: YAMLDiagnostics
    ) {
        let owner = "Rollout \(metadata.namespace)/\(metadata.name)"
        workloads.append(
            PendingWorkload(
                manifestKind: "Rollout", kind: .deployment, name: metadata.name, namespace: metadata.namespace,
                replicas: replicas, pod: pod, job: nil, imageArchitectures: nil, controller: metadata.controller,
                location: metadata.location, locations: locations))
        guard let surge, surge > 0 else { return }
        let durationKey = ManifestReader.rolloutDurationAnnotation
        guard let (text, node) = metadata.annotations[durationKey] else {
            context.diagnostics.append(
                Diagnostic(
                    .note,
                    "\(owner): the \(surge) extra pods it runs during a rollout are not priced; state \(durationKey) and \(ManifestReader.rolloutsPerMonthAnnotation) to price them",
                    at: metadata.location))
            return
        }
        guard let seconds = DurationText.seconds(text), seconds > 0 else {
            context.error(
                "annotation \(durationKey) of \(owner) must be a duration such as 30m, found \"\(text)\"", at: node)
            return
        }
        let rollouts =
            decimalAnnotation(ManifestReader.rolloutsPerMonthAnnotation, metadata, owner: owner, context: context) ?? 1
        let job = JobSpec(completions: surge, parallelism: surge, runSeconds: seconds, runsPerMonth: rollouts)
        workloads.append(
            PendingWorkload(
                manifestKind: "Rollout", kind: .job, name: "\(metadata.name)-rollout-surge",
                namespace: metadata.namespace, replicas: nil, pod: pod, job: job, imageArchitectures: nil,
                controller: nil, location: metadata.location, locations: locations))
        context.diagnostics.append(
            Diagnostic(
                .note,
                "\(owner): its rollouts run \(surge) extra pods for \(text), \(DecimalText.format(rollouts)) time\(rollouts == 1 ? "" : "s") a month, priced as the Job \(metadata.namespace)/\(metadata.name)-rollout-surge",
                at: metadata.location))
    }

    /// Rollouts whose template is a Deployment's of the manifests.
    mutating func resolveRollouts() {
        for rollout in clusterObjects.rollouts {
            let owner = "Rollout \(rollout.metadata.namespace)/\(rollout.metadata.name)"
            guard
                let source = workloads.first(where: {
                    $0.manifestKind == rollout.reference.kind && $0.name == rollout.reference.name
                        && $0.namespace == rollout.metadata.namespace
                })
            else {
                diagnostics.append(
                    .warning(
                        "\(owner) takes its pod template from \(rollout.reference.kind) \(rollout.reference.name), which is not in the manifests: the Rollout is not priced",
                        at: rollout.metadata.location))
                skipped["Rollout (template not in the manifests)", default: 0] += 1
                continue
            }
            let context = YAMLDiagnostics(file: rollout.metadata.location.file)
            addRollout(
                metadata: rollout.metadata, replicas: rollout.replicas, pod: source.pod, surge: rollout.surge,
                locations: rollout.locations, context: context)
            diagnostics += context.diagnostics
        }
        clusterObjects.rollouts = []
    }

    /// A ScaledJob runs its `jobTargetRef` Job for the events its triggers see, which a manifest
    /// cannot say: priced as that Job, with `ekscost.io/run-duration` and
    /// `ekscost.io/runs-per-month` (one run unless stated), `maxReplicaCount` (default 100) at most
    /// at once (kedacore/keda apis/keda/v1alpha1 scaledjob_types.go).
    mutating func readScaledJob(_ top: MappingReader, metadata: ObjectMetadata, context: YAMLDiagnostics) {
        let owner = "ScaledJob \(metadata.namespace)/\(metadata.name)"
        guard
            let spec = spec(
                top, owner: owner,
                keys: [
                    "jobTargetRef", "pollingInterval", "successfulJobsHistoryLimit", "failedJobsHistoryLimit",
                    "envSourceContainerName",
                    "minReplicaCount", "maxReplicaCount", "rollout", "rolloutStrategy", "scalingStrategy", "triggers",
                ])
        else { return }
        _ = spec.list("triggers")
        guard let target = spec.mapping("jobTargetRef", what: "jobTargetRef of \(owner)", allowedKeys: Self.jobSpecKeys)
        else {
            if !spec.has("jobTargetRef") { spec.missing("jobTargetRef", "the Job each trigger event runs") }
            return
        }
        var parts = readJobSpec(target, owner: owner)
        if let maximum = spec.integer("maxReplicaCount", in: 0...1_000_000), let parallelism = parts.parallelism {
            parts.parallelism = min(parallelism, maximum)
        }
        guard let pod = parts.pod,
            let job = jobSpec(parts, schedule: nil, metadata: metadata, owner: owner, context: context)
        else { return }
        if metadata.annotations[ManifestReader.runsPerMonthAnnotation] == nil {
            context.diagnostics.append(
                Diagnostic(
                    .note,
                    "\(owner) runs a Job per trigger event, which a manifest cannot count: priced as one run; state \(ManifestReader.runsPerMonthAnnotation)",
                    at: metadata.location))
        }
        workloads.append(
            PendingWorkload(
                manifestKind: "ScaledJob", kind: .job, name: metadata.name, namespace: metadata.namespace,
                replicas: nil, pod: pod, job: job, imageArchitectures: nil, controller: metadata.controller,
                location: metadata.location, locations: ["": metadata.location, "name": metadata.nameLocation]))
    }

    /// A ScaledObject is the HPA KEDA creates for its target (kedacore/keda pkg/scaling/resolver,
    /// controllers/keda/hpa.go): `minReplicaCount` (default 0) to `maxReplicaCount` (default 100),
    /// cpu and memory triggers as Resource metrics, every other trigger as an External metric
    /// named like KEDA names it (`s<index>-<type>`), which only a load curve under `spec.loads`
    /// can drive. KEDA scales to zero only with a trigger other than cpu or memory (KEDA docs,
    /// CPU and memory scalers), so with those alone the minimum is at least 1.
    mutating func readScaledObject(_ top: MappingReader, metadata: ObjectMetadata, context: YAMLDiagnostics) {
        let owner = "ScaledObject \(metadata.namespace)/\(metadata.name)"
        guard let spec = spec(top, owner: owner, keys: Self.scaledObjectSpecKeys),
            let reference = spec.mapping(
                "scaleTargetRef", what: "scaleTargetRef of \(owner)",
                allowedKeys: ["apiVersion", "kind", "name", "envSourceContainerName"]),
            let name = reference.string("name", required: "the name of the workload it scales")
        else { return }
        let target = TargetReference(
            kind: reference.string("kind") ?? "Deployment", name: name, location: context.location(reference.node))
        var metrics: [MetricSpec] = []
        var others: [String] = []
        for (index, (path, node)) in (spec.list("triggers", required: "the triggers that scale the target") ?? [])
            .enumerated()
        {
            guard
                let trigger = MappingReader(
                    node, context: context, path: path, what: "a trigger of \(owner)",
                    allowedKeys: ["type", "name", "metadata", "metricType", "authenticationRef", "useCachedMetrics"]),
                let type = trigger.string("type", required: "the scaler's type, such as cpu or prometheus")
            else { continue }
            let value = node.child("metadata", "value")?.scalarText
            let metricType =
                trigger.string("metricType") ?? node.child("metadata", "type")?.scalarText
                ?? (["cpu", "memory"].contains(type) ? "Utilization" : "AverageValue")
            if let resource = ResourceName(rawValue: type) {
                guard let value else {
                    context.error("the \(type) trigger of \(owner) needs metadata.value, its target", at: node)
                    continue
                }
                if metricType == "Utilization", let percent = Int(value), percent > 0 {
                    metrics.append(.resource(resource, .utilization(percent: percent)))
                } else if case .success(let quantity) = ResourceQuantity.parse(value) {
                    let milli = NSDecimalNumber(decimal: quantity.amount * 1000).int64Value
                    metrics.append(.resource(resource, .averageValue(MetricQuantity(milliValue: milli))))
                } else {
                    context.error(
                        "metadata.value of the \(type) trigger of \(owner) must be a percentage or a quantity, found \"\(value)\"",
                        at: node)
                }
                continue
            }
            let metricName = "s\(index)-\(type)"
            let threshold = [
                "value", "threshold", "targetValue", "queueLength", "lagThreshold", "desiredReplicas",
                "targetPipelinesQueueLength",
            ]
            .lazy.compactMap { node.child("metadata", $0)?.scalarText.flatMap(DecimalText.parse) }.first
            if let threshold, threshold > 0 {
                metrics.append(
                    .external(
                        name: metricName,
                        target: .averageValue(
                            MetricQuantity(milliValue: NSDecimalNumber(decimal: threshold * 1000).int64Value))))
            }
            others.append(metricName)
        }
        let minimum = spec.integer("minReplicaCount", in: 0...1_000_000) ?? 0
        let maximum = spec.integer("maxReplicaCount", in: 1...1_000_000) ?? 100
        var hpa = HorizontalPodAutoscalerSpec(
            minReplicas: others.isEmpty ? max(1, minimum) : minimum, maxReplicas: maximum, metrics: metrics)
        if let advanced = spec.mapping(
            "advanced", what: "advanced of \(owner)",
            allowedKeys: ["horizontalPodAutoscalerConfig", "restoreToOriginalReplicaCount", "scalingModifiers"]),
            let config = advanced.mapping(
                "horizontalPodAutoscalerConfig", what: "horizontalPodAutoscalerConfig of \(owner)",
                allowedKeys: ["name", "behavior"]),
            let behavior = config.mapping(
                "behavior", what: "behavior of \(owner)", allowedKeys: ["scaleUp", "scaleDown"])
        {
            hpa.behavior = Behavior(
                scaleUp: AutoscalerReader.readRules(behavior, "scaleUp", owner: owner),
                scaleDown: AutoscalerReader.readRules(behavior, "scaleDown", owner: owner))
        }
        if !others.isEmpty {
            context.diagnostics.append(
                Diagnostic(
                    .note,
                    "\(owner): its triggers \(others.joined(separator: ", ")) are External metrics ekscost cannot observe: \(target.kind) \(metadata.namespace)/\(name) is priced at its replicas as deployed within \(hpa.effectiveMinReplicas) and \(maximum)\(minimum == 0 ? " (KEDA scales it to zero when they are inactive: the range's low end)" : ""); give load curves under spec.loads with those metric names to simulate them",
                    at: metadata.location))
        }
        hpas.append(
            PendingAutoscaler(
                owner: owner, namespace: metadata.namespace, target: target, spec: hpa, location: metadata.location))
    }
}

import Autoscaling
import CSVStream
import EKSModel
import Foundation
import Yams

/// Joining the objects read: owners, defaults, autoscalers and quotas.
extension ManifestCollector {
    mutating func finish() -> (ManifestSet, [Diagnostic]) {
        var set = ManifestSet()
        resolveRollouts()
        // Objects whose controller is also here (the ReplicaSets and Pods of a Deployment) are counted with it.
        let present = Set(workloads.map { "\($0.manifestKind)/\($0.namespace)/\($0.name)" })
        let kept = workloads.filter { workload in
            guard let controller = workload.controller,
                present.contains("\(controller.kind)/\(workload.namespace)/\(controller.name)")
            else { return true }
            skipped["\(workload.manifestKind) (counted with its \(controller.kind))", default: 0] += 1
            return false
        }

        var podLimits: [ResourceRequests] = []
        var missing: [[String]] = []
        var defaultedContainers: [String: Int] = [:]
        for pending in kept {
            let ranges = limitRanges[pending.namespace] ?? []
            var problems: [String] = []
            var absent = Set<String>()
            func admit(_ written: [ManifestContainer]) -> [(container: Container, limits: WorkloadReader.ResourceList)]
            {
                written.map { container in
                    let admitted = NamespacePolicies.admit(container, limitRanges: ranges)
                    if admitted.defaulted { defaultedContainers[pending.namespace, default: 0] += 1 }
                    problems += NamespacePolicies.violations(
                        container, requests: admitted.requests,
                        limits: admitted.limits, limitRanges: ranges)
                    if admitted.requests.cpu == nil { absent.insert("requests.cpu") }
                    if admitted.requests.memory == nil { absent.insert("requests.memory") }
                    if admitted.limits.cpu == nil { absent.insert("limits.cpu") }
                    if admitted.limits.memory == nil { absent.insert("limits.memory") }
                    return (admitted.container, admitted.limits)
                }
            }
            let containers = admit(pending.pod.containers)
            let initContainers = admit(pending.pod.initContainers)
            if !problems.isEmpty {
                diagnostics.append(
                    .warning(
                        "the API server would reject the pods of \(pending.owner): \(problems.joined(separator: "; "))",
                        at: pending.location))
            }
            var workload = Workload(
                name: pending.name, kind: pending.kind, namespace: pending.namespace,
                labels: pending.pod.labels,
                replicas: pending.kind == .daemonSet || pending.kind.runsToCompletion ? 0 : pending.replicas ?? 1,
                containers: containers.map(\.container), initContainers: initContainers.map(\.container),
                nodeSelector: pending.pod.nodeSelector, nodeAffinity: pending.pod.nodeAffinity,
                tolerations: pending.pod.tolerations, hostNetwork: pending.pod.hostNetwork, job: pending.job)
            if let architectures = pending.imageArchitectures { workload.imageArchitectures = architectures }
            workload.volumeClaimTemplates = pending.claimTemplates
            workload.retainsVolumesWhenScaled = pending.retainsVolumesWhenScaled
            set.workloads.append(workload)
            set.workloadLocations.append(pending.locations)
            podLimits.append(
                NamespacePolicies.podLimits(
                    app: containers.map(\.limits),
                    initContainers: initContainers.map { ($0.limits, $0.container.isSidecar) }))
            missing.append(absent.sorted())
        }
        for (namespace, count) in defaultedContainers.sorted(by: { $0.key < $1.key }) {
            diagnostics.append(
                Diagnostic(
                    .note,
                    "namespace \(namespace): LimitRange defaults set the requests or limits of \(count) container\(count == 1 ? "" : "s")"
                ))
        }

        finishClusterObjects(&set)
        matchHPAs(&set, kept: kept)
        matchVPAs(&set, kept: kept)
        checkQuotas(set, kept: kept, podLimits: podLimits, missing: missing)

        set.skipped = skipped
        if !skipped.isEmpty {
            let total = skipped.values.reduce(0, +)
            let kinds = skipped.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            diagnostics.append(
                Diagnostic(.note, "manifests: \(total) object\(total == 1 ? "" : "s") not priced: \(kinds)"))
        }
        return (set, diagnostics)
    }

    func index(of target: TargetReference, in namespace: String, kept: [PendingWorkload]) -> Int? {
        kept.firstIndex { $0.manifestKind == target.kind && $0.name == target.name && $0.namespace == namespace }
    }

    mutating func matchHPAs(_ set: inout ManifestSet, kept: [PendingWorkload]) {
        var scaled = 0
        for hpa in hpas {
            let target = "\(hpa.target.kind) \(hpa.namespace)/\(hpa.target.name)"
            guard let index = index(of: hpa.target, in: hpa.namespace, kept: kept) else {
                diagnostics.append(
                    .warning(
                        "\(hpa.owner) targets \(target), which is not in the manifests; the HPA is ignored",
                        at: hpa.target.location))
                continue
            }
            guard
                ["Deployment", "StatefulSet", "ReplicaSet", "ReplicationController", "Rollout"].contains(
                    hpa.target.kind)
            else {
                diagnostics.append(
                    .warning(
                        "\(hpa.owner) targets \(target), which has no replicas to scale; the HPA is ignored",
                        at: hpa.target.location))
                continue
            }
            guard set.workloads[index].hpa == nil else {
                diagnostics.append(
                    .warning(
                        "\(hpa.owner) targets \(target), which another HorizontalPodAutoscaler already scales; only the first one is used",
                        at: hpa.target.location))
                continue
            }
            set.workloads[index].hpa = hpa.spec
            scaled += 1
            // The HPA controller raises replicas below minReplicas and lowers those above
            // maxReplicas; a target scaled to 0 is left alone (horizontal.go `reconcileAutoscaler`).
            let declared = set.workloads[index].replicas
            let planned = min(max(declared, hpa.spec.effectiveMinReplicas), hpa.spec.maxReplicas)
            if declared > 0 && planned != declared {
                set.workloads[index].replicas = planned
                let written = kept[index].replicas == nil ? "1 (replicas not given)" : "\(declared)"
                diagnostics.append(
                    Diagnostic(
                        .note,
                        "\(target) runs \(planned) replicas, not \(written): \(hpa.owner) keeps it between \(hpa.spec.effectiveMinReplicas) and \(hpa.spec.maxReplicas)",
                        at: hpa.location))
            }
        }
        if scaled > 0 {
            diagnostics.append(
                Diagnostic(
                    .note,
                    "\(scaled) workload\(scaled == 1 ? " has" : "s have") a HorizontalPodAutoscaler and \(scaled == 1 ? "is" : "are") priced at \(scaled == 1 ? "its" : "their") replicas as deployed, within minReplicas and maxReplicas"
                ))
        }
    }

    mutating func matchVPAs(_ set: inout ManifestSet, kept: [PendingWorkload]) {
        for vpa in vpas {
            let target = "\(vpa.target.kind) \(vpa.namespace)/\(vpa.target.name)"
            guard let index = index(of: vpa.target, in: vpa.namespace, kept: kept) else {
                diagnostics.append(
                    .warning(
                        "\(vpa.owner) targets \(target), which is not in the manifests; the VPA is ignored",
                        at: vpa.target.location))
                continue
            }
            guard set.workloads[index].vpa == nil else {
                diagnostics.append(
                    .warning(
                        "\(vpa.owner) targets \(target), which another VerticalPodAutoscaler already targets; only the first one is used",
                        at: vpa.target.location))
                continue
            }
            set.workloads[index].vpa = vpa.spec
        }
    }

    /// ResourceQuota admission (kubernetes pkg/quota/v1/evaluator/core/pods.go): the namespace's
    /// pods may not ask for more than `spec.hard`, and when the quota tracks a resource every
    /// container must state it. Pods counted: each Deployment, StatefulSet, ReplicaSet and Pod at
    /// its planned replicas, and each Job's pods that run at once; DaemonSets (one pod per node)
    /// are left out. Going over is a warning: the API server would refuse the pods beyond the
    /// quota, so the cluster would run fewer than the manifests ask for.
    mutating func checkQuotas(
        _ set: ManifestSet, kept: [PendingWorkload], podLimits: [ResourceRequests], missing: [[String]]
    ) {
        for quota in quotas {
            let members = set.workloads.indices.filter {
                set.workloads[$0].namespace == quota.namespace && set.workloads[$0].kind != .daemonSet
            }
            func usage(atHPAMaximum: Bool) -> NamespaceUsage {
                var usage = NamespaceUsage()
                for index in members {
                    let workload = set.workloads[index]
                    var pods = workload.job.map { $0.podsAtOnce } ?? workload.replicas
                    if atHPAMaximum, let hpa = workload.hpa { pods = max(pods, hpa.maxReplicas) }
                    usage.pods += Int64(pods)
                    usage.requests = usage.requests + scaled(workload.podRequests, by: pods)
                    usage.limits = usage.limits + scaled(podLimits[index], by: pods)
                }
                return usage
            }
            let planned = usage(atHPAMaximum: false)
            let peak = usage(atHPAMaximum: true)
            for key in NamespacePolicies.quotaKeys {
                guard let hard = quota.hard[key] else { continue }
                let limit = NamespacePolicies.describe(key, hard.amount)
                if planned.value(key) > hard.amount {
                    diagnostics.append(
                        .warning(
                            "namespace \(quota.namespace) asks for \(NamespacePolicies.describe(key, planned.value(key))) (\(key)) at its planned replicas, above the \(limit) of ResourceQuota \(quota.name): the API server would refuse the pods beyond it (ekscost prices them all)",
                            at: hard.location))
                } else if peak.value(key) > hard.amount {
                    diagnostics.append(
                        .warning(
                            "namespace \(quota.namespace) would ask for \(NamespacePolicies.describe(key, peak.value(key))) (\(key)) with its HPAs at maxReplicas, above the \(limit) of ResourceQuota \(quota.name): scale-up would stop at the quota",
                            at: hard.location))
                }
                if key != "pods" {
                    let lacking = members.filter { missing[$0].contains(key) }.map { kept[$0].owner }
                    if !lacking.isEmpty {
                        diagnostics.append(
                            .warning(
                                "ResourceQuota \(quota.name) tracks \(key), so the API server refuses pods without it: \(lacking.joined(separator: ", ")) \(lacking.count == 1 ? "sets" : "set") none (and no LimitRange gives a default)",
                                at: hard.location))
                    }
                }
            }
        }
    }

    func scaled(_ requests: ResourceRequests, by count: Int) -> ResourceRequests {
        requests.scaled(by: count)
    }
}

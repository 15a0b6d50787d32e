import Autoscaling
import CSVStream
import EKSModel
import Foundation
import Yams

/// Workload objects: kind, replicas, the pod template, Jobs and CronJobs.
extension ManifestCollector {
    mutating func readWorkload(_ top: MappingReader, kind: String, metadata: ObjectMetadata, context: YAMLDiagnostics) {
        let owner = "\(kind) \(metadata.namespace)/\(metadata.name)"
        var modelKind: WorkloadKind =
            switch kind {
            case "StatefulSet": .statefulSet
            case "DaemonSet": .daemonSet
            case "Job": .job
            case "CronJob": .cronJob
            default: .deployment
            }
        var replicas: Int?
        var pod: ManifestPodSpec?
        var job: JobSpec?
        var claimTemplates: [VolumeClaim] = []
        var retainsVolumes = true
        if kind == "Pod" {
            guard
                let spec = top.mapping(
                    "spec", what: "the pod spec of \(owner)", allowedKeys: PodTemplateReader.podSpecKeys)
            else {
                if !top.has("spec") { top.missing("spec", "the pod spec, with containers") }
                return
            }
            pod = PodTemplateReader.readPodSpec(spec, owner: owner)
            pod?.labels = metadata.labels
            replicas = 1
            // A Helm hook Pod (`helm test`) runs to completion once, like a Job.
            if let hookJob = helmHookPod(metadata: metadata, owner: owner, context: context) {
                job = hookJob
                modelKind = .job
            }
        } else {
            guard let spec = spec(top, owner: owner, keys: Self.specKeys[kind]!) else { return }
            switch kind {
            case "Job":
                let parts = readJobSpec(spec, owner: owner)
                pod = parts.pod
                job = jobSpec(parts, schedule: nil, metadata: metadata, owner: owner, context: context)
            case "CronJob":
                var schedule: CronSchedule?
                if let text = spec.string("schedule", required: "a cron schedule such as \"0 2 * * *\"") {
                    switch CronSchedule.parse(text) {
                    case .success(let parsed): schedule = parsed
                    case .failure(let error):
                        context.error("schedule of \(owner): \(error)", at: spec.value("schedule")!)
                    }
                }
                guard
                    let template = spec.mapping(
                        "jobTemplate", what: "jobTemplate of \(owner)", allowedKeys: ["metadata", "spec"])
                else {
                    if !spec.has("jobTemplate") { spec.missing("jobTemplate", "the Job each run creates") }
                    return
                }
                guard
                    let jobSpec = template.mapping(
                        "spec", what: "the Job spec of \(owner)", allowedKeys: Self.jobSpecKeys)
                else {
                    if !template.has("spec") { template.missing("spec", "the Job spec, with its pod template") }
                    return
                }
                var parts = readJobSpec(jobSpec, owner: owner)
                if spec.bool("suspend") == true { parts.suspended = "suspend: true" }
                pod = parts.pod
                if let schedule {
                    job = self.jobSpec(parts, schedule: schedule, metadata: metadata, owner: owner, context: context)
                }
            default:
                if kind != "DaemonSet" { replicas = spec.integer("replicas", in: 0...1_000_000) }
                pod = PodTemplateReader.readTemplate(spec, owner: owner)
                if kind == "StatefulSet" {
                    claimTemplates = VolumeClaimReader.readTemplates(spec, owner: owner)
                    retainsVolumes = VolumeClaimReader.retainsWhenScaled(spec, owner: owner)
                }
            }
        }
        guard let pod else { return }
        if modelKind.runsToCompletion && job == nil { return }

        var architectures: [String]?
        if let (text, node) = metadata.annotations[ManifestReader.imageArchitecturesAnnotation] {
            let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            if names.isEmpty || !names.allSatisfy({ ["amd64", "arm64"].contains($0) }) {
                context.error(
                    "annotation \(ManifestReader.imageArchitecturesAnnotation) of \(owner) lists image architectures: amd64, arm64 or \"amd64,arm64\", found \"\(text)\"",
                    at: node)
            } else {
                architectures = names
            }
        }
        var locations: [String: SourceLocation] = [:]
        for (key, location) in context.locations where key != "." { locations[key] = location }
        locations[""] = metadata.location
        locations["name"] = metadata.nameLocation
        if let location = context.locations["spec.replicas"] { locations["replicas"] = location }
        workloads.append(
            PendingWorkload(
                manifestKind: kind, kind: modelKind, name: metadata.name, namespace: metadata.namespace,
                replicas: replicas, pod: pod, job: job, imageArchitectures: architectures,
                controller: metadata.controller, location: metadata.location, locations: locations,
                claimTemplates: claimTemplates, retainsVolumesWhenScaled: retainsVolumes))
    }

    struct JobParts {
        var completions: Int?
        var parallelism: Int?
        /// Why no pod runs, if none does.
        var suspended: String?
        var pod: ManifestPodSpec?
    }

    func readJobSpec(_ spec: MappingReader, owner: String) -> JobParts {
        var parts = JobParts()
        parts.completions = spec.integer("completions", in: 0...1_000_000)
        parts.parallelism = spec.integer("parallelism", in: 0...1_000_000)
        if spec.bool("suspend") == true { parts.suspended = "suspend: true" }
        parts.pod = PodTemplateReader.readTemplate(spec, owner: owner)
        return parts
    }

    /// A Job's or CronJob's runs. How long a pod runs is not in a manifest: the annotation
    /// `ekscost.io/run-duration` says it; `ekscost.io/runs-per-month` overrides the count.
    /// Kubernetes defaults: `parallelism` 1; without `completions` the Job is a work queue whose
    /// `parallelism` pods each run once.
    func jobSpec(
        _ parts: JobParts, schedule: CronSchedule?, metadata: ObjectMetadata, owner: String,
        context: YAMLDiagnostics
    ) -> JobSpec? {
        let durationKey = ManifestReader.runDurationAnnotation
        let seconds: Int
        if let (text, node) = metadata.annotations[durationKey] {
            switch DurationText.checkedSeconds(text) {
            case .success(let written): seconds = written
            case .failure(let problem):
                context.error("annotation \(durationKey) of \(owner) \(problem)", at: node)
                return nil
            }
        } else if let hookSeconds = helmHookRunSeconds(metadata: metadata, owner: owner, context: context) {
            seconds = hookSeconds
        } else {
            context.diagnostics.append(
                .error(
                    "\(owner) needs the annotation \(durationKey): how long each of its pods runs, such as 10m or 1h30m (a manifest does not say)",
                    at: metadata.annotationsLocation))
            return nil
        }
        let parallelism = parts.parallelism ?? 1
        let completions = parts.completions ?? parallelism
        var job = JobSpec(
            completions: max(completions, 1), parallelism: max(parallelism, 1), runSeconds: seconds, schedule: schedule)
        if let (text, node) = metadata.annotations[ManifestReader.runsPerMonthAnnotation] {
            switch CheckedNumber.decimal(text, in: InputLimits.runsPerMonth) {
            case .success(let runs): job.runsPerMonth = runs
            case .failure(let problem):
                context.error("annotation \(ManifestReader.runsPerMonthAnnotation) of \(owner) \(problem)", at: node)
            }
        }
        let idle = parts.suspended ?? (parallelism == 0 ? "parallelism: 0" : completions == 0 ? "completions: 0" : nil)
        if let idle {
            context.diagnostics.append(
                .warning("\(owner) runs no pods (\(idle)); it is priced at 0 runs", at: metadata.location))
            job.runsPerMonth = 0
        }
        return job
    }
}

import EKSModel
import Foundation
import Yams

/// Helm hooks: Pods and Jobs annotated `helm.sh/hook` (`test`, `pre-install`, `post-upgrade`,
/// `pre-delete`…) run to completion when Helm runs them, never all month. Helm waits for a hook
/// at most its `--timeout`, 5 minutes by default (helm/helm pkg/cli `install --timeout 5m0s`),
/// so each hook is priced as a Job run once whose pods run that long, unless
/// `ekscost.io/run-duration` and `ekscost.io/runs-per-month` say otherwise.
extension ManifestCollector {
    static let helmHookAnnotation = "helm.sh/hook"
    static let helmHookDefaultSeconds = 300

    /// The hooks an object is (`test`, `pre-install, post-install`), nil when it is none.
    func helmHooks(_ metadata: ObjectMetadata) -> String? {
        guard let (text, _) = metadata.annotations[Self.helmHookAnnotation] else { return nil }
        let hooks = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return hooks.isEmpty ? nil : hooks.joined(separator: ", ")
    }

    /// How long a hook Job's pods run when no `ekscost.io/run-duration` says: Helm's default
    /// hook timeout, with a note. Nil when the object is no hook.
    func helmHookRunSeconds(metadata: ObjectMetadata, owner: String, context: YAMLDiagnostics) -> Int? {
        guard let hooks = helmHooks(metadata) else { return nil }
        context.diagnostics.append(
            Diagnostic(
                .note,
                "\(owner) is a Helm hook (\(Self.helmHookAnnotation): \(hooks)): priced as a Job run once whose pods run at most Helm's default hook timeout of 5 minutes; set \(ManifestReader.runDurationAnnotation) and \(ManifestReader.runsPerMonthAnnotation) to change it",
                at: metadata.location))
        return Self.helmHookDefaultSeconds
    }

    /// A hook Pod (`helm test`) as a Job of one pod run once, or nil when the Pod is no hook.
    func helmHookPod(metadata: ObjectMetadata, owner: String, context: YAMLDiagnostics) -> JobSpec? {
        guard helmHooks(metadata) != nil else { return nil }
        let parts = JobParts(completions: 1, parallelism: 1)
        return jobSpec(parts, schedule: nil, metadata: metadata, owner: owner, context: context)
    }
}

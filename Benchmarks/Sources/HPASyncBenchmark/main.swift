import Autoscaling
import Foundation

// How long one HPA sync takes: a daily curve, 15 s syncs for 30 days.
let spec = HorizontalPodAutoscalerSpec(
    minReplicas: 2, maxReplicas: 50, metrics: [.resource(.cpu, .utilization(percent: 60))])
var hpa = try HorizontalPodAutoscalerController(spec: spec)
var replicas = 2
let start = DispatchTime.now().uptimeNanoseconds
var syncs = 0
for t in stride(from: 0.0, to: 30 * 86400, by: 15) {
    let hour = Int(t / 3600) % 24
    let usage = Int64(hour >= 9 && hour < 18 ? 6000 : 1000)
    replicas = try hpa.sync(
        at: t, currentReplicas: replicas,
        observations: [
            .resource(totalUsage: .millicores(usage), totalRequests: .millicores(500 * Int64(replicas)))
        ]
    ).replicas
    syncs += 1
}
let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
print("\(syncs) syncs in \(seconds) s: \(seconds / Double(syncs) * 1e9) ns per sync; final replicas \(replicas)")

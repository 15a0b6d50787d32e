import Foundation
import Testing

@testable import Autoscaling
@testable import EKSModel

/// The estimate's VPA recommender takes its samples in stretches; what it learns must be what the
/// samples one by one give: per minute, per container, the CPU sample and then the memory sample of
/// the workload's usage over its replicas in force, split by the containers' requests (the
/// definition in `VPAEstimation`'s documentation, written out here as a plain loop).
@Suite struct VPAEstimationTests {
    private func minuteByMinute(
        _ workload: Workload, usage: WorkloadUsage, trajectory: ReplicaTrajectory,
        period: BillingPeriod
    ) -> VerticalPodAutoscalerRecommender {
        var recommender = VerticalPodAutoscalerRecommender()
        let containers = workload.containers
        let totalCPU = containers.reduce(Int64(0)) { $0 + $1.requests.cpuMillicores }
        let totalMemory = containers.reduce(Int64(0)) { $0 + $1.requests.memoryBytes }
        for t in stride(from: 0, to: period.seconds, by: 60) {
            let replicas = max(1, trajectory.replicas(at: t))
            for container in containers {
                if let cpu = usage.cpu?.value(at: t) {
                    let perPod = cpu / Double(replicas) * (Double(container.requests.cpuMillicores) / Double(totalCPU))
                    recommender.addCPUSample(
                        container: container.name, at: Double(t),
                        usageMillicores: CheckedNumber.int64(clamping: perPod),
                        requestMillicores: container.requests.cpuMillicores)
                }
                if let memory = usage.memoryMiB?.value(at: t) {
                    let perPod =
                        memory * 1_048_576 / Double(replicas)
                        * (Double(container.requests.memoryBytes) / Double(totalMemory))
                    recommender.addMemorySample(
                        container: container.name, at: Double(t), usageBytes: CheckedNumber.int64(clamping: perPod))
                }
            }
        }
        return recommender
    }

    private func expectSameLearning(containers: [Container], memory: Bool) {
        // Ten days (two memory-window lengths' worth of days with the 8-day expiry in reach), a curve of
        // 7 hourly values repeating, anchored to the week, and replica changes off the hour.
        let cpu: [Double] = [1500, 1500, 400, 2600, 900, 900, 3100]
        let mib: [Double] = [900, 1400, 1400, 700, 2000, 600, 600]
        var columns = ["cpu": cpu]
        if memory { columns["mib"] = mib }
        let curves = ["load": LoadCurve(name: "load", intervalSeconds: 3600, anchor: .week, columns: columns)]
        var workload = Workload(name: "api", replicas: 2, containers: containers)
        workload.load = WorkloadLoad(cpu: CurveReference(curve: "load", column: "cpu"))
        if memory { workload.load?.memory = CurveReference(curve: "load", column: "mib") }
        workload.vpa = VPASettings(updateMode: .auto)
        let period = BillingPeriod(hoursPerMonth: 240)
        let trajectory = ReplicaTrajectory(changes: [
            (0, 2), (1_234, 5), (7_260, 3), (90_001, 7), (400_000, 2), (600_017, 4),
        ])
        let usage = WorkloadUsage(workload: workload, curves: curves, weekOffset: 3 * 86_400 + 5_400)
        let stretches = VPAEstimation.learn(workload, usage: usage, trajectory: trajectory, period: period)
        let single = minuteByMinute(workload, usage: usage, trajectory: trajectory, period: period)
        #expect(stretches.aggregates == single.aggregates)
        #expect(stretches.containers == single.containers)
        #expect(
            stretches.recommendation(at: Double(period.seconds)) == single.recommendation(at: Double(period.seconds)))
        // 240 hours of a CPU sample a minute per container name (a second container of the same name is
        // the same pod's to the recommender: its sample of the same minute is not after the last, and dropped).
        #expect(
            stretches.aggregates.values.map(\.totalSamplesCount)
                == Array(repeating: 14_400, count: Set(containers.map(\.name)).count))
    }

    @Test func stretchesLearnWhatMinutesLearn() {
        expectSameLearning(
            containers: [
                Container(name: "app", requests: ResourceRequests(cpuMillicores: 300, memoryBytes: 512 << 20)),
                Container(name: "sidecar", requests: ResourceRequests(cpuMillicores: 100, memoryBytes: 128 << 20)),
            ], memory: true)
        expectSameLearning(
            containers: [
                Container(name: "app", requests: ResourceRequests(cpuMillicores: 250, memoryBytes: 256 << 20))
            ],
            memory: false)
    }

    // Two containers of one name share an aggregate: their samples interleave minute by minute.
    @Test func containersSharingANameInterleave() {
        expectSameLearning(
            containers: [
                Container(name: "app", requests: ResourceRequests(cpuMillicores: 300, memoryBytes: 512 << 20)),
                Container(name: "app", requests: ResourceRequests(cpuMillicores: 700, memoryBytes: 128 << 20)),
            ], memory: true)
    }
}

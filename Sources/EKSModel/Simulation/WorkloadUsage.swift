import Autoscaling

/// One series of a load curve as a workload reads it through the period: its samples, where the
/// period meets them, and for each sample how long its value holds.
struct UsageSeries: Sendable {
    let values: [Double]
    let intervalSeconds: Int
    let lengthSeconds: Int
    /// Seconds from the curve's sample 0 to the period's start (the week offset of week-anchored curves).
    let shiftSeconds: Int
    /// For each sample, how many samples from it on (going round) hold its value; 0 when every
    /// sample holds the same.
    let holdsFor: [Int]

    init(values: [Double], curve: LoadCurve, weekOffset: Int) {
        self.values = values
        intervalSeconds = curve.intervalSeconds
        lengthSeconds = values.count * curve.intervalSeconds
        shiftSeconds = curve.anchor == .week ? weekOffset : 0
        var holds = Array(repeating: 0, count: values.count)
        // Start behind a sample whose successor differs, and walk backwards round the curve.
        if let last = values.indices.first(where: { values[$0] != values[($0 + 1) % values.count] }) {
            holds[last] = 1
            for step in 1..<values.count {
                let index = (last - step + values.count) % values.count
                let next = (index + 1) % values.count
                holds[index] = values[index] == values[next] ? holds[next] + 1 : 1
            }
        }
        holdsFor = holds
    }

    /// The position in the curve at `second` seconds after the period's start (`LoadCurve.sampleIndex`).
    @inline(__always)
    func position(at second: Int) -> Int {
        guard lengthSeconds > 0 else { return 0 }
        return ((second + shiftSeconds) % lengthSeconds + lengthSeconds) % lengthSeconds
    }

    func value(at second: Int) -> Double { values[position(at: second) / max(1, intervalSeconds)] }

    /// The first second after `second` at which the value differs from the one at `second`
    /// (`Int.max` when it never does).
    func nextChange(after second: Int) -> Int {
        guard lengthSeconds > 0 else { return Int.max }
        let position = position(at: second)
        let holds = holdsFor[position / intervalSeconds]
        guard holds > 0 else { return Int.max }
        return second + (intervalSeconds - position % intervalSeconds) + (holds - 1) * intervalSeconds
    }
}

/// Where the HPA's and the VPA's observations come from: the workload's load series, resolved once.
struct WorkloadUsage {
    let cpu: UsageSeries?
    let memoryMiB: UsageSeries?
    let metrics: [String: UsageSeries]

    init(workload: Workload, curves: [String: LoadCurve], weekOffset: Int) {
        func series(_ reference: CurveReference?) -> UsageSeries? {
            guard let reference, let curve = curves[reference.curve], let values = curve.series(reference.column) else {
                return nil
            }
            return UsageSeries(values: values, curve: curve, weekOffset: weekOffset)
        }
        cpu = series(workload.load?.cpu)
        memoryMiB = series(workload.load?.memory)
        var metrics: [String: UsageSeries] = [:]
        for (name, reference) in workload.load?.metrics ?? [:] { metrics[name] = series(reference) }
        self.metrics = metrics
    }

    /// The series an HPA metric reads.
    func series(for metric: MetricSpec) -> UsageSeries? {
        switch metric {
        case .resource(.cpu, _): cpu
        case .resource(.memory, _): memoryMiB
        case .pods(let name, _), .object(let name, _), .external(let name, _): metrics[name]
        }
    }
}

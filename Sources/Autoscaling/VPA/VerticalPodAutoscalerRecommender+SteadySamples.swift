extension VerticalPodAutoscalerRecommender {
    /// A stretch of samples that all read the same: for each `k` in `0..<count`, at
    /// `start + k × interval`, the CPU sample (`addCPUSample`, when `usageMillicores` is given) and
    /// then the memory sample (`addMemorySample`, when `usageBytes` is given) of one pod's container.
    ///
    /// The result is the one of those calls made one by one, bit for bit: every CPU sample's weight
    /// times its own decay factor `2^((t − reference) / halfLife)` is added to the bucket and the
    /// total in the same order, so the floating-point sums are the same. What a stretch saves is the
    /// work that does not change from one sample to the next: finding the container and the pod's
    /// state, the bucket of the unchanging CPU value (two logarithms), the checks that cannot fail
    /// (expiry with a CPU sample every minute, de-duplication of growing times), and the memory
    /// samples that cannot change their interval's peak.
    public mutating func addSteadySamples(
        container: String, pod: String = "", from start: Double, every interval: Double,
        count: Int, usageMillicores: Int64?, requestMillicores: Int64, usageBytes: Int64?
    ) {
        guard count > 0 else { return }
        let index = liveAggregate(container, at: start)
        let configuration = self.configuration
        let window = configuration.memoryAggregationWindowSeconds
        let memoryInterval = configuration.memoryAggregationIntervalSeconds
        let weighting = configuration.cpuSampleWeighting
        withPodState(index, pod) { state, aggregate in
            // The common case: CPU samples at growing times, all taken. Then the aggregate cannot
            // expire within the stretch (a CPU sample every interval, shorter than the window), CPU
            // and memory samples touch nothing of each other's, and each goes in one run.
            if let usageMillicores, usageMillicores >= 0, interval > 0, interval < window,
                state.lastCPUSampleStart.map({ start > $0 }) ?? true,
                usageBytes.map({ $0 >= 0 }) ?? true, state.lastMemorySampleStart.map({ start >= $0 }) ?? true
            {
                aggregate.addCPUSamples(
                    from: start, every: interval, count: count, bucket: aggregate.cpuBucket(usageMillicores),
                    requestMillicores: requestMillicores, weighting: weighting)
                state.lastCPUSampleStart = start + Double(count - 1) * interval
                if let usageBytes {
                    state.addSteadyMemorySamples(
                        from: start, every: interval, count: count, usageBytes: usageBytes,
                        intervalSeconds: memoryInterval, into: &aggregate)
                }
                return
            }
            // The bucket depends only on the value and the histogram options, the same for a replaced aggregate.
            let bucket = usageMillicores.map { aggregate.cpuBucket($0) }
            for k in 0..<count {
                let time = start + Double(k) * interval
                if let usageMillicores {
                    // `liveAggregate` before each sample: an aggregate that expired is replaced.
                    if aggregate.isExpired(at: time, windowSeconds: window) {
                        aggregate = AggregateContainerState(configuration: configuration, creationTime: time)
                    }
                    _ = state.addCPUSample(
                        at: time, usageMillicores: usageMillicores, requestMillicores: requestMillicores,
                        into: &aggregate, weighting: weighting, bucket: bucket)
                }
                if let usageBytes {
                    if aggregate.isExpired(at: time, windowSeconds: window) {
                        aggregate = AggregateContainerState(configuration: configuration, creationTime: time)
                    }
                    _ = state.addMemorySample(
                        at: time, usageBytes: usageBytes, isOOM: false, intervalSeconds: memoryInterval,
                        into: &aggregate)
                }
            }
        }
    }
}

extension VerticalPodAutoscalerRecommender {
    /// A stretch of samples that all read the same: for each `k` in `0..<count`, at
    /// `start + k × interval`, the CPU sample (`addCPUSample`, when `usageMillicores` is given) and
    /// then the memory sample (`addMemorySample`, when `usageBytes` is given) of one pod's container.
    ///
    /// The result is the one of those calls made one by one, bit for bit: every sample still goes
    /// through the same steps in the same order (the expiry check, the de-duplication, its decay
    /// factor `2^((t − reference) / halfLife)` and its weight added to the bucket and the total, the
    /// memory interval's peak), so the floating-point sums are the same. What a stretch saves is the
    /// work that does not change from one sample to the next: finding the container and the pod's
    /// state, and the bucket of the unchanging CPU value (two logarithms).
    public mutating func addSteadySamples(container: String, pod: String = "", from start: Double, every interval: Double,
                                          count: Int, usageMillicores: Int64?, requestMillicores: Int64, usageBytes: Int64?) {
        guard count > 0 else { return }
        let index = liveAggregate(container, at: start)
        let configuration = self.configuration
        let window = configuration.memoryAggregationWindowSeconds
        let memoryInterval = configuration.memoryAggregationIntervalSeconds
        let weighting = configuration.cpuSampleWeighting
        withPodState(index, pod) { state, aggregate in
            // The bucket depends only on the value and the histogram options, the same for a replaced aggregate.
            let bucket = usageMillicores.map { aggregate.cpuBucket($0) }
            for k in 0..<count {
                let time = start + Double(k) * interval
                if let usageMillicores {
                    // `liveAggregate` before each sample: an aggregate that expired is replaced.
                    if aggregate.isExpired(at: time, windowSeconds: window) {
                        aggregate = AggregateContainerState(configuration: configuration, creationTime: time)
                    }
                    _ = state.addCPUSample(at: time, usageMillicores: usageMillicores, requestMillicores: requestMillicores,
                                           into: &aggregate, weighting: weighting, bucket: bucket)
                }
                if let usageBytes {
                    if aggregate.isExpired(at: time, windowSeconds: window) {
                        aggregate = AggregateContainerState(configuration: configuration, creationTime: time)
                    }
                    _ = state.addMemorySample(at: time, usageBytes: usageBytes, isOOM: false, intervalSeconds: memoryInterval,
                                              into: &aggregate)
                }
            }
        }
    }
}

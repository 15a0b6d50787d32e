extension InstanceType {
    /// The extended resources a node of this type advertises, as far as the instance catalog knows
    /// them: its GPUs (`gpus`, `GpuInfo` of describe-instance-types) under the name their device
    /// plugin registers. The Cluster Autoscaler's AWS template node carries the same count
    /// (cluster-autoscaler/cloudprovider/aws/aws_manager.go `buildNodeFromTemplate`).
    ///
    /// Not known here, so 0: Neuron devices of inf1/inf2/trn1/trn2 (`aws.amazon.com/neuron…`; the
    /// catalog has no count for them), branch ENIs (`vpc.amazonaws.com/pod-eni`, not modelled), and
    /// any other device plugin's resources. Pods asking for those fit on no node, and the report
    /// says why.
    public var extendedResources: ExtendedResources {
        gpus > 0 ? ExtendedResources([gpuResourceName: Int64(gpus)]) : .none
    }

    /// The resource name of this type's GPUs: `nvidia.com/gpu` (NVIDIA k8s-device-plugin) for the
    /// NVIDIA GPUs of the p and g families; AMD's device plugin registers `amd.com/gpu` for g4ad
    /// (Radeon Pro V520), Habana's `habana.ai/gaudi` for dl1 (Gaudi accelerators, which
    /// describe-instance-types lists as GPUs). Source of the vendors: the EC2 accelerated computing
    /// instance type pages.
    public var gpuResourceName: String {
        switch family {
        case "g4ad": "amd.com/gpu"
        case "dl1": "habana.ai/gaudi"
        default: "nvidia.com/gpu"
        }
    }
}

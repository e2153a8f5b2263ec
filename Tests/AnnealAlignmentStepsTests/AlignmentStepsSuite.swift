import Testing

/// Every test of this target, one at a time: the steps run in-process here,
/// and the model kernels share per-process thread pools and buffers that two
/// trainings at once would contend for (the engine runs each step in its own
/// process, so production never does).
@Suite(.serialized) enum AlignmentStepsSuite {}

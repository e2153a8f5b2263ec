import Testing

/// Every test that submits to the cluster, one at a time: they share its two
/// cores and count its jobs. Skipped without a cluster unless `CI=true`, where
/// each test fails on `SlurmCluster.require()`.
@Suite(.serialized, .enabled(if: SlurmCluster.shouldRun, "no Slurm cluster answers (set SLURM_CONF, or bash scripts/slurm-ci.sh start)"))
struct SlurmSuite {}

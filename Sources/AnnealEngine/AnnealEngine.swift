/// AnnealEngine: the content-addressed store, step fingerprints, the action cache and the scheduler.

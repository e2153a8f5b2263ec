/// AnnealSpec: the pipeline language. YAML (through libyaml, with positions)
/// becomes a typed `Spec`, validated against each step kind's schema, and
/// compiles to a `Plan`: a DAG of resolved steps.

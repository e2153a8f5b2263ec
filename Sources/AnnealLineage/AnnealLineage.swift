/// AnnealLineage: the run history of every pipeline, kept in a git repository through libgit2.

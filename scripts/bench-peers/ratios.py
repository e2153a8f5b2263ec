#!/usr/bin/env python3
"""Anneal vs DVC / Snakemake: median wall and peak RSS per scenario and N, and
the ratio peer/Anneal (>1 = Anneal faster / smaller). Reads results/raw.jsonl."""
import json, os, statistics, sys
from collections import defaultdict
HERE = os.path.dirname(os.path.abspath(__file__))
path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "results", "raw.jsonl")
g = defaultdict(list)
for line in open(path):
    r = json.loads(line)
    if "wall_s" in r:
        g[(r["tool"], r["n"], r["scenario"])].append(r)
# (label, anneal scenario, dvc scenario, smk scenario)
ROWS = [
    ("startup", "z_startup:anneal --help", "z_startup:dvc --version", "z_startup:snakemake --version"),
    ("first run", "a_full", "a_full", "a_full"),
    ("no-op run", "b_noop:anneal run pipeline.yaml --params params.yaml", "b_noop:dvc repro", "b_noop:snakemake -c2"),
    ("status / dry run", "b_noop:anneal status pipeline.yaml --params params.yaml", "b_noop:dvc status", "b_noop:snakemake -n"),
    ("s0000 param changed", "c_param", "c_param", "c_param"),
    ("DAG display", "d_dag:anneal dag pipeline.yaml", "d_dag:dvc dag", "d_dag:snakemake --dag"),
]
def cell(tool, n, sc):
    rs = g.get((tool, n, sc))
    if not rs:
        return None
    return (statistics.median(r["wall_s"] for r in rs),
            statistics.median(r["maxrss_kb"] / 1024 for r in rs if r.get("maxrss_kb")),
            all(r["ok"] for r in rs), len(rs),
            "/".join(str(x) for x in sorted({r["executed"] for r in rs})))
ns = sorted({k[1] for k in g})
print("| N | operation | Anneal s (MiB) | DVC s (MiB) | Snakemake s (MiB) | DVC/Anneal wall | Snakemake/Anneal wall | DVC/Anneal RSS | Snakemake/Anneal RSS | steps run A/D/S |")
print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---|")
for n in ns:
    for label, a, d, s in ROWS:
        if (label == "startup") != (n == 0):
            continue
        ca, cd, cs = cell("anneal", n, a), cell("dvc", n, d), cell("smk", n, s)
        if not ca:
            continue
        f = lambda c: "-" if not c else f"{c[0]:.3f} ({c[1]:.0f}){'' if c[2] else ' FAIL'} x{c[3]}"
        rw = lambda c: "-" if not c else f"{c[0] / ca[0]:.1f}x"
        rm = lambda c: "-" if not c else f"{c[1] / ca[1]:.2f}x"
        ran = "/".join("-" if not c else c[4] for c in (ca, cd, cs))
        print(f"| {n or '-'} | {label} | {f(ca)} | {f(cd)} | {f(cs)} | {rw(cd)} | {rw(cs)} | {rm(cd)} | {rm(cs)} | {ran} |")

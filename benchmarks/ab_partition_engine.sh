#!/bin/bash
# A/B of the fast partition engine: an earlier commit (checked out at /tmp/old: git worktree add --detach /tmp/old COMMIT)
# against this checkout, interleaved run by run, 3 repeats, 2 torch threads, each run a fresh subprocess; summarise
# the output with benchmarks/ab_partition_summary.py (one row per size: medians, ratio, digests compared):
#   bash benchmarks/ab_partition_engine.sh > ab.txt; .venv/bin/python benchmarks/ab_partition_summary.py ab.txt
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OLD=${OLD:-/tmp/old}
cd /tmp
for spec in '[2,64,64,64,1]|1.0' '[2,128,128,128,1]|1.0' '[2,128,128,128,128,1]|2.0' '[2,256,256,256,1]|1.0' '[2,256,256,256,1]|2.0' '[2,64,64,64,64,64,64,1]|1.0' '[2,512,512,512,1]|1.0'; do
  ws=${spec%|*}; r=${spec#*|}
  for rep in 1 2 3; do
    for side in old new; do
      if [ $side = old ]; then PP=$OLD; B=$OLD/benchmarks; else PP=$ROOT; B=$ROOT/benchmarks; fi
      echo -n "$ws $r $side "; PYTHONPATH=$PP $ROOT/.venv/bin/python $B/bench_partition_engine.py --one "{\"widths\":$ws,\"radius\":$r,\"engine\":\"fast\",\"threads\":2}"
    done
  done
done

#!/usr/bin/env bash
# Trains the seed CAE in cae4j and in PyTorch from the same initial weights and batch order, and prints both loss
# trajectories side by side. Usage: bench/same-start.sh [STEPS=900] [SEED=0]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
steps="${1:-900}"; seed="${2:-0}"
data=/usr/share/datasets/fashion-mnist
[ -f "$data/train-images-idx3-ubyte.gz" ] || { echo "needs Fashion-MNIST: apt-get install dataset-fashion-mnist" >&2; exit 2; }
/usr/bin/python3 -c 'import torch' 2>/dev/null || { echo "needs PyTorch: apt-get install python3-torch" >&2; exit 2; }
jar="$here/bench/target/benchmarks.jar"
[ -f "$jar" ] || (cd "$here" && mvn -q -B -DskipTests install)
dir="$(mktemp -d)"
java --add-modules jdk.incubator.vector -cp "$jar" org.cae4j.bench.SameStart "$data" "$dir" "$steps" "$seed" 2>/dev/null > "$dir/cae4j.txt"
/usr/bin/python3 "$here/bench/peer/same_start.py" "$dir" "$steps" "$data" > "$dir/torch.txt"
paste -d'|' "$dir/cae4j.txt" "$dir/torch.txt" | awk -F'|' 'BEGIN{printf "%-28s %-28s\n","cae4j","PyTorch"} {printf "%-28s %-28s\n",$1,$2}'

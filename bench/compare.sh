#!/usr/bin/env bash
# Side-by-side run of cae4j and PyTorch on full Fashion-MNIST: trains each reference model EPOCHS epochs in each,
# RUNS times, alternating cae4j / PyTorch / PyTorch with OPENBLAS_NUM_THREADS=1 (and model after model within a
# run), then prints the medians per model.
#
# usage: bench/compare.sh EPOCHS [RUNS=3] [MODELS=A]     MODELS: letters of bench/peer/cae_peer.py, e.g. ABCD
# env:   DATA (default /usr/share/datasets/fashion-mnist), PYTHON (default /usr/bin/python3),
#        JAVA_OPTS (JVM flags; default -Xmx512m -XX:+UseParallelGC -Xmn64m, the launcher's collector and young
#        generation, with a heap that holds the full data set and the model's buffers), JAVA (the java launcher; default java on the PATH, e.g.
#        JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java)
set -euo pipefail

usage() { echo "usage: $0 EPOCHS [RUNS=3] [MODELS=A]  (MODELS: any of A, B, C, D, e.g. ABCD)" >&2; exit 2; }
[[ $# -ge 1 && $# -le 3 ]] || usage
EPOCHS=$1 RUNS=${2:-3} MODELS=${3:-A}
[[ $MODELS =~ ^[ABCD]+$ ]] || { echo "MODELS must be letters among A, B, C, D, got '$MODELS'" >&2; usage; }
JAVA_OPTS=${JAVA_OPTS:--Xmx512m -XX:+UseParallelGC -Xmn64m}
JAVA=${JAVA:-java}
command -v "$JAVA" >/dev/null || { echo "JAVA: no java launcher at '$JAVA'" >&2; exit 2; }
[[ $EPOCHS =~ ^[1-9][0-9]*$ ]] || { echo "EPOCHS must be a positive integer, got '$EPOCHS'" >&2; usage; }
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "RUNS must be a positive integer, got '$RUNS'" >&2; usage; }

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
DATA=${DATA:-/usr/share/datasets/fashion-mnist}
PYTHON=${PYTHON:-/usr/bin/python3}
JAR=bench/target/benchmarks.jar

missing=()
for f in train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz; do
  [[ -f $DATA/$f ]] || missing+=("$DATA/$f")
done
if (( ${#missing[@]} )) || ! "$PYTHON" -c 'import torch, numpy' 2>/dev/null; then
  (( ${#missing[@]} )) && echo "missing Fashion-MNIST: ${missing[*]}" >&2
  "$PYTHON" -c 'import torch, numpy' 2>/dev/null || echo "$PYTHON cannot import torch and numpy" >&2
  echo "install them with: apt-get install dataset-fashion-mnist python3-torch libopenblas0-pthread" >&2
  exit 1
fi

# PyTorch's matrix products go through the system BLAS (Debian's python3-torch: BLAS_INFO=generic). With only the
# reference BLAS (libblas3) installed they run at a few GFLOP/s and the comparison means nothing (seen here: model
# D trained at 3.7k img/s against 35k with OpenBLAS), so refuse unless an optimised BLAS provides libblas.so.3.
blas=$(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || true)
if [[ -n $blas && ! $blas =~ openblas|mkl|blis ]] && [[ ${ALLOW_REFERENCE_BLAS:-0} != 1 ]]; then
  echo "PyTorch would use the reference BLAS ($blas): install OpenBLAS with 'apt-get install libopenblas0-pthread'" >&2
  echo "(or set ALLOW_REFERENCE_BLAS=1 to compare anyway)" >&2
  exit 1
fi
echo "PyTorch's BLAS: ${blas:-unknown}"

# build when the jar is missing or older than any source or pom it is made from
if [[ ! -f $JAR ]] || [[ -n $(find pom.xml core/pom.xml core/src bench/pom.xml bench/src -newer "$JAR" -type f | head -1) ]]; then
  echo "building $JAR ..."
  mvn -q -pl bench -am package -DskipTests
fi

LOGS=bench/target/compare-$(date +%Y%m%d-%H%M%S)
mkdir -p "$LOGS"
echo "models $MODELS, $EPOCHS epoch(s), $RUNS run(s) of each; java: $("$JAVA" -version 2>&1 | head -1); JAVA_OPTS=$JAVA_OPTS; logs in $LOGS"

# run NAME LOG COMMAND...: runs the command, logs everything, shows its RESULT line
run() {
  local name=$1 log=$2; shift 2
  printf '  %-14s ' "$name"
  if ! "$@" >"$log" 2>&1; then
    echo "FAILED, last lines of $log:"; tail -20 "$log" >&2; exit 1
  fi
  grep '^RESULT' "$log" || { echo "no RESULT line in $log" >&2; exit 1; }
}

# corecheck WHEN: whether both CPUs deliver a whole core now (on a shared host a vCPU often gets half of one for
# minutes at a time, which slows a 2-thread engine more than a 1-thread one); its summary goes into the logs
corecheck() {
  "$JAVA" --add-modules jdk.incubator.vector -cp "$JAR" org.cae4j.bench.CoreCheck 10 "$(nproc)" >"$LOGS/corecheck-$1.log" 2>&1 \
    && echo "  cores ($1): $(grep -o 'whole_cores_in=[0-9]*' "$LOGS/corecheck-$1.log") of 10 samples"
}

for ((r = 1; r <= RUNS; r++)); do
  echo "run $r/$RUNS"
  corecheck "before run $r"
  for ((m = 0; m < ${#MODELS}; m++)); do
    MODEL=${MODELS:m:1}
    # shellcheck disable=SC2086  # JAVA_OPTS is a list of flags
    run "cae4j $MODEL" "$LOGS/cae4j-$MODEL-$r.log" \
      "$JAVA" --add-modules jdk.incubator.vector $JAVA_OPTS -cp "$JAR" org.cae4j.bench.TrainRun "$DATA" "$EPOCHS" \
      "$(nproc)" "$MODEL"
    run "torch $MODEL" "$LOGS/torch-$MODEL-$r.log" \
      "$PYTHON" bench/peer/cae_peer.py "$MODEL" "$EPOCHS" --data "$DATA"
    run "torch-ob1 $MODEL" "$LOGS/torch-ob1-$MODEL-$r.log" \
      env OPENBLAS_NUM_THREADS=1 "$PYTHON" bench/peer/cae_peer.py "$MODEL" "$EPOCHS" --data "$DATA"
  done
done
corecheck "at the end"

"$PYTHON" - "$LOGS" "$MODELS" "$EPOCHS" "$RUNS" <<'PY'
import glob, statistics, sys

logs, models, epochs, runs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
CONFIGS = [("cae4j", "cae4j"), ("torch", "PyTorch"), ("torch-ob1", "PyTorch OB=1")]


def results(config, model):
    """The RESULT line of every run of one configuration and model, as {key: value}."""
    out = []
    for path in sorted(glob.glob(f"{logs}/{config}-{model}-[0-9]*.log")):
        line = next(l for l in open(path) if l.startswith("RESULT"))
        out.append(dict(kv.split("=", 1) for kv in line.split()[3:]))
    return out


def med(rs, key, i=None):
    vals = [float(r[key].split(",")[i] if i is not None else r[key]) for r in rs]
    return statistics.median(vals)


for model in models:
    res = {c: results(c, model) for c, _ in CONFIGS}
    # (label, key, epoch index or None, format, higher is better)
    rows = [("train img/s", "train_img_s", None, "{:.0f}", True),
            ("infer img/s bs64", "infer_img_s_bs64", None, "{:.0f}", True),
            ("infer img/s bs1000", "infer_img_s_bs1000", None, "{:.0f}", True),
            ("  first pass, cold, bs64", "infer_first_bs64", None, "{:.0f}", True),
            ("  first pass, cold, bs1000", "infer_first_bs1000", None, "{:.0f}", True)]
    rows += [(f"test MSE epoch {e + 1}", "test_mse", e, "{:.6f}", False) for e in range(epochs)]
    rows += [("peak RSS MiB", "peak_rss_MiB", None, "{:.0f}", False),
             ("other procs' cores", "other_cores", None, "{:.2f}", None)]

    print(f"\nmodel {model}, {epochs} epoch(s), median of {runs} run(s); threads: cae4j "
          f"{res['cae4j'][0]['threads']}, PyTorch {res['torch'][0]['threads']}; OB=1 is OPENBLAS_NUM_THREADS=1")
    print(f"{'':22}" + "".join(f"{name:>14}" for _, name in CONFIGS) + f"{'cae4j/PyTorch':>16}")
    for label, key, i, fmt, higher in rows:
        v = {c: med(res[c], key, i) for c, _ in CONFIGS}
        line = f"{label:22}" + "".join(f"{fmt.format(v[c]):>14}" for c, _ in CONFIGS)
        if higher is not None:
            best = (max if higher else min)(v["torch"], v["torch-ob1"])
            line += f"{v['cae4j'] / best:>16.3f}" if best else f"{'n/a':>16}"
        print(line)
print("ratios are against the better PyTorch setting (higher img/s, lower MSE and RSS); 'other procs' cores' is the\n"
      "CPU other processes used during training: well above 0 means that column's rates are depressed.")
PY

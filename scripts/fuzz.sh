#!/usr/bin/env bash
# Fuzzes every reader target with Jazzer for DURATION each (default 3m) and prints one line per target:
# executions, seconds, corpus size and whether it found anything. A failing input is saved by Jazzer into the
# target's folder under core/src/test/resources/.../<Class>Inputs/<method>/, where `mvn test` replays it.
#   scripts/fuzz.sh [DURATION] [Class#method ...]      e.g. scripts/fuzz.sh 5m IdxFuzzTest#idxGzip
set -uo pipefail
cd "$(dirname "$0")/.."
duration=${1:-3m}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(IdxFuzzTest#idxFile IdxFuzzTest#idxStream IdxFuzzTest#idxGzip IdxFuzzTest#imagesWithLabels
           ModelFileFuzzTest#modelFile ModelFileFuzzTest#modelLoad JsonFuzzTest#parse JsonFuzzTest#architecture
           CheckpointFuzzTest#checkpointLoad CifarFuzzTest#batch NumpyFuzzTest#npyFile NumpyFuzzTest#npzFile
           NumpyFuzzTest#npzMembers ImageFolderFuzzTest#imageFile)
fi
mkdir -p core/target/fuzz
mvn -q -pl core test-compile || exit 1
status=0
for t in "${targets[@]}"; do
  log=core/target/fuzz/${t/\#/.}.log
  # a 1 GiB heap so that an input forcing a large allocation fails as OutOfMemoryError, not just slowly
  # surefire:test@default-test: the test goal alone (classes compiled above), once; `mvn test` would run a fuzz
  # target a second time in the plain-kernels execution
  JAZZER_FUZZ=1 mvn -pl core surefire:test@default-test -Dtest="$t" -Dsurefire.failIfNoSpecifiedTests=false -Djazzer.max_duration="$duration" \
      -Dtest.jvm.args="--add-modules jdk.incubator.vector -Xmx1g -XX:+UseParallelGC" >"$log" 2>&1
  rc=$?
  done_line=$(grep -aE '^Done [0-9]+ runs' "$log" | tail -1)
  corp=$(grep -aE '^#[0-9]+.*(DONE|NEW|REDUCE|pulse)' "$log" | tail -1 | sed -E 's/.*(cov: [0-9]+).*(corp: [0-9]+\/[0-9]+[a-zA-Z]*).*/\1 \2/')
  finding=$(grep -aE 'FuzzTestFinding|== Java Exception|ERROR\] .*FuzzTest' "$log" | head -1)
  if [ $rc -eq 0 ]; then res="no finding"; else res="FINDING or failure (see $log): ${finding:-exit $rc}"; status=1; fi
  echo "$t: ${done_line:-no Done line}; $corp; $res"
done
exit $status

#!/usr/bin/env bash
# Crash test: trains a small model, kills the training process with SIGKILL (kill -9) at random moments, checks
# after every kill that each checkpoint left in the run folder loads (Checkpoint.load, as --resume reads it), resumes
# with `train --resume`, and at the end compares model.safetensors byte for byte with an uninterrupted run of the
# same seed and thread count. Prints one summary line; exits 0 only if every checkpoint loaded and the models match.
#   scripts/kill-test.sh [KILLS] [SEED]            (default 20 kills, seed 1; needs python3 to write the data)
# Uses cli/target/cae4j.jar (built by ./cae4j or mvn package when missing).
set -uo pipefail
cd "$(dirname "$0")/.."
kills_wanted=${1:-20}
RANDOM=${2:-1}
jar=cli/target/cae4j.jar
[ -f "$jar" ] || mvn -q -B -DskipTests -pl cli -am package || exit 1
java_cmd=(java)
java --list-modules 2>/dev/null | grep -q '^jdk.incubator.vector' && java_cmd+=(--add-modules jdk.incubator.vector)
work=$(mktemp -d /tmp/cae4j-kill-test.XXXXXX)
trap 'rm -rf "$work"' EXIT

# 320 training and 40 test images of 12x12: a bright 5x5 square at varying places
python3 - "$work/data" <<'PY' || exit 1
import os, struct, sys
d = sys.argv[1]; os.makedirs(d)
def idx(name, dims, payload):
    with open(os.path.join(d, name), 'wb') as f:
        f.write(struct.pack('>I', 0x800 | len(dims)) + struct.pack('>%dI' % len(dims), *dims) + bytes(payload))
for split, n in (('train', 320), ('t10k', 40)):
    px = bytearray(n * 144)
    for i in range(n):
        r, c = i % 7, (i // 7) % 7
        for y in range(r, r + 5):
            px[i * 144 + y * 12 + c:i * 144 + y * 12 + c + 5] = b'\xc8' * 5
    idx(split + '-images-idx3-ubyte', [n, 12, 12], px)
    idx(split + '-labels-idx1-ubyte', [n], [i % 10 for i in range(n)])
PY

# loads every checkpoint named on the command line with Checkpoint.load; prints "ok N" or the first failure
cat > "$work/CheckCheckpoints.java" <<'JAVA'
public class CheckCheckpoints {
    public static void main(String[] args) {
        for (String a : args) {
            try {
                org.cae4j.train.Checkpoint.load(java.nio.file.Path.of(a));
            } catch (RuntimeException e) {
                System.out.println("FAIL " + a + ": " + e);
                System.exit(1);
            }
        }
        System.out.println("ok " + args.length);
    }
}
JAVA

args=(--data "$work/data" --epochs 2000 --batch-size 16 --filters 4 --kernel 3 --seed 7 --threads 1
      --checkpoint-every 5 --keep-checkpoints 2)
"${java_cmd[@]}" -jar "$jar" train "${args[@]}" --out "$work/ref" >"$work/ref.log" 2>&1 || { echo "kill-test: reference run failed"; cat "$work/ref.log"; exit 1; }

run="$work/run"
kills=0 checked=0 resumes=0 fresh=0 leftovers=0 bad=0 finished=0
while [ $finished -eq 0 ]; do
  if [ -f "$run/run.json" ] && ls "$run"/checkpoint-*.safetensors >/dev/null 2>&1; then
    cmd=(train --resume "$run" --threads 1); resumes=$((resumes + 1))
  else
    rm -rf "$run"; cmd=(train "${args[@]}" --out "$run"); fresh=$((fresh + 1))
  fi
  "${java_cmd[@]}" -jar "$jar" "${cmd[@]}" >"$work/last.log" 2>&1 &
  pid=$!
  if [ $kills -lt "$kills_wanted" ]; then
    # a random moment 0.5 to 3.5 s after the start (the JVM starts in about 1 s; the whole run takes longer: 2000
    # epochs, so that kills land in training, not after it; 60 were enough before the direct convolution)
    sleep "$(printf '%d.%03d' $((RANDOM % 3 + 0)) $((RANDOM % 1000)))"; sleep 0.5
    if kill -9 $pid 2>/dev/null; then
      wait $pid 2>/dev/null; kills=$((kills + 1))
      n=$(find "$run" -maxdepth 1 -name '.*.tmp-*' 2>/dev/null | wc -l); leftovers=$((leftovers + n))
      cks=("$run"/checkpoint-*.safetensors)
      if [ -e "${cks[0]}" ]; then
        out=$("${java_cmd[@]}" -cp "$jar" "$work/CheckCheckpoints.java" "${cks[@]}" 2>/dev/null | tail -1)
        case "$out" in ok*) checked=$((checked + ${#cks[@]}));; *) bad=$((bad + 1)); echo "$out";; esac
      fi
      continue
    fi
  fi
  wait $pid; rc=$?
  if [ $rc -ne 0 ]; then echo "kill-test: ${cmd[*]} exited $rc:"; cat "$work/last.log"; exit 1; fi
  finished=1
done
if cmp -s "$work/ref/model.safetensors" "$run/model.safetensors"; then identical=yes; else identical=no; fi
echo "kill-test: kills $kills, checkpoints checked $checked (unloadable $bad), temporary files left by kills $leftovers" \
     "(removed on resume), fresh starts $fresh, resumes $resumes, model.safetensors identical to the uninterrupted run: $identical"
[ "$identical" = yes ] && [ $bad -eq 0 ]

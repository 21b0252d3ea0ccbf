#!/usr/bin/env bash
# Sets up, builds from scratch (or incrementally) and runs every test suite:
#   native  GoogleTest suites under ASan/UBSan (ctest)
#   fuzz    every libFuzzer target for a bounded time under ASan/UBSan, WASMRTC_JOBS at a time
#   jest    the JS/WASM suites in Node (test/jest), and the browser suites (test/browser)
#   pack    npm pack, installed into an empty directory, loaded by require and import
# Ends with one line: "N passed, N failed", summing every suite.
# Environment: WASMRTC_FUZZ_SECONDS (default 60 per target), WASMRTC_JOBS.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
jobs=${WASMRTC_JOBS:-$(nproc)}
fuzz_seconds=${WASMRTC_FUZZ_SECONDS:-60}
results=build/test-results
# (The Emscripten build steps set NODE_OPTIONS=--no-experimental-fetch themselves;
# the tests must not inherit it: it removes fetch/Response, which playwright needs.)
start=$(date +%s)

scripts/setup.sh || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }
mkdir -p build
: > $results

record() { # suite passed failed
  echo "$1 $2 $3" >> $results
  echo "== $1: $2 passed, $3 failed"
}

if ! scripts/build.sh; then
  record build 0 1
  echo "0 passed, 1 failed"
  exit 1
fi
echo "build: done in $(( $(date +%s) - start )) s"

# --- native unit tests (ctest; one ctest test per GoogleTest case)
ctest --test-dir build/native -j "$jobs" --output-on-failure > build/ctest.log 2>&1
tail -n 30 build/ctest.log
total=$(grep -oE 'tests passed, [0-9]+ tests failed out of [0-9]+' build/ctest.log | grep -oE '[0-9]+$' || echo 0)
failed=$(grep -oE 'tests passed, [0-9]+ tests failed' build/ctest.log | grep -oE '[0-9]+' | head -1 || echo 1)
[[ -n $total && $total -gt 0 ]] || { total=1; failed=1; }
record native $((total - failed)) "$failed"

# --- fuzzing: every libFuzzer target (built in build/native by build.sh),
# for a bounded time, $jobs at a time
fz_pass=0; fz_fail=0
fuzz_dir=build/fuzz
mkdir -p "$fuzz_dir"
fuzz_one() { # target: runs it, leaves $fuzz_dir/<name>.ok or .failed beside its log
  local target=$1 name corpus seeds
  name=$(basename "$target" _fuzz)
  corpus=$fuzz_dir/corpus/$name
  seeds=test/fuzz/corpus/$name
  mkdir -p "$corpus"
  rm -f "$fuzz_dir/$name.ok" "$fuzz_dir/$name.failed"
  if "$target" -max_total_time="$fuzz_seconds" -print_final_stats=1 -artifact_prefix="$fuzz_dir/" \
       "$corpus" $( [[ -d $seeds ]] && echo "$seeds" ) > "$fuzz_dir/$name.log" 2>&1; then
    touch "$fuzz_dir/$name.ok"
  else
    touch "$fuzz_dir/$name.failed"
  fi
}
targets=(build/native/test/fuzz/*_fuzz)
if [[ -x ${targets[0]} ]]; then
  echo "fuzz: ${#targets[@]} targets, ${fuzz_seconds}s each, $jobs at a time"
  for target in "${targets[@]}"; do
    while (( $(jobs -rp | wc -l) >= jobs )); do wait -n; done
    fuzz_one "$target" &
  done
  wait
  for target in "${targets[@]}"; do
    name=$(basename "$target" _fuzz)
    if [[ -f $fuzz_dir/$name.ok ]]; then
      fz_pass=$((fz_pass + 1))
      echo "fuzz: $name $(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$fuzz_dir/$name.log" | grep -oE '[0-9]+$') runs"
    else
      fz_fail=$((fz_fail + 1)); echo "fuzz: $name FAILED"; tail -n 40 "$fuzz_dir/$name.log"
    fi
  done
else
  fz_fail=1; echo "fuzz: no targets in build/native/test/fuzz"
fi
record fuzz $fz_pass $fz_fail

# --- Jest (Node + WASM, and the browser suites with Debian's Chromium)
# In a network namespace of its own: tests reach nothing but loopback and the veth pair there.
# A run that does not end (an open handle keeps Node alive) is a failure,
# not a CI timeout: each Jest run gets WASMRTC_JEST_MINUTES (default 30) in all, and
# 60 s to exit once it has written its results. (On 2 cores Jest runs the
# suites in its own process, so a test that fails before closing its peers
# can keep it alive; waiting longer tells nothing more.)
# Suites whose assertions are about real-time media (numbered frames in
# order at 30 fps through Chromium, the gateway and coturn) run after the
# others, one at a time: beside another suite's Chromium on 2 cores they
# measure the machine, not the code (their in-order ratios fell to 0.71-0.85
# in a cold run, each passing alone).
MEDIA_SUITES='test/browser/(video-chromium|polyfill-video|demo|encoded-transform|user-codecs)\.test|test/jest/(encoded-transform|user-codecs)\.test'

# run_jest <name> <results json> <log> [jest arguments...]: one Jest run,
# watched for hanging; prints "<passed> <failed>".
run_jest() {
  local name=$1 json=$2 log=$3
  shift 3
  rm -f "$json"
  timeout --kill-after=30 "$(( ${WASMRTC_JEST_MINUTES:-30} * 60 ))" \
    scripts/lib/netns.sh npx jest --ci --json --outputFile="$json" "$@" > "$log" 2>&1 &
  local pid=$! hung=0 results_at=
  while kill -0 "$pid" 2>/dev/null; do
    if [[ -z $results_at && -f $json ]]; then results_at=$(date +%s); fi
    if [[ -n $results_at ]] && (( $(date +%s) - results_at > 60 )); then
      hung=1
      kill -TERM "$pid" 2>/dev/null # timeout passes it on to its process group
      break
    fi
    sleep 1
  done
  wait "$pid"
  local status=$?
  # A crash at exit (139 SIGSEGV, 133 SIGTRAP "node->IsInUse()", 134 abort)
  # is tolerated: @roamhq/wrtc's finalizers crash while the process exits once
  # its media objects existed (a five-line script with wrtc alone does it);
  # the results are in the json by then, and they are what counts.
  tail -n 60 "$log" >&2
  local p=0 f=1
  if [[ -f $json ]]; then
    read -r p f < <(node -e 'const r=require(process.argv[1]);console.log(r.numPassedTests, r.numFailedTests + r.numRuntimeErrorTestSuites)' "$PWD/$json")
  fi
  if [[ $hung -eq 1 ]]; then
    echo "jest ($name): did not exit within 60 s of writing its results (open handles?)" >&2
    f=$((f + 1))
  elif [[ $status -eq 124 || $status -eq 137 ]]; then
    echo "jest ($name): did not end within ${WASMRTC_JEST_MINUTES:-30} minutes" >&2
    f=$((f + 1))
  fi
  echo "$p $f"
}
read -r jp jf < <(run_jest suites build/jest.json build/jest.log --testPathIgnorePatterns "$MEDIA_SUITES")
read -r mp mf < <(run_jest media build/jest-media.json build/jest-media.log --runInBand "$MEDIA_SUITES")
record jest "$((jp + mp))" "$((jf + mf))"

# --- npm pack, installed into an empty directory, loaded with require and import
if test/pack/check.sh > build/pack.log 2>&1; then
  cat build/pack.log | tail -n 5; record pack 2 0
else
  tail -n 30 build/pack.log; record pack 0 2
fi

echo "tests: done in $(( $(date +%s) - start )) s"
awk '{p += $2; f += $3} END {printf "%d passed, %d failed\n", p, f}' $results
awk '{f += $3} END {exit f > 0}' $results

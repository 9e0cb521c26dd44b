#!/usr/bin/env bash
# Bounded fuzzing for CI: builds the cargo-fuzz targets (release, debug assertions
# on, no sanitizer: works on the stable toolchain), replays every committed seed at full
# size, then fuzzes each target for SECONDS_PER_TARGET seconds (default 60) over the seeds
# and the working corpus. Prints per target the runs, exec/s, coverage and corpus size.
# Exits non-zero if anything fails to build, a seed or a fuzzed input crashes (a panic,
# a broken invariant, a timeout or running out of memory), or a run does not report its
# end. See TESTING.md.
#
#   bash fuzz/run.sh [SECONDS_PER_TARGET]
set -euo pipefail

SECONDS_PER_TARGET="${1:-60}"
case "$SECONDS_PER_TARGET" in
  '' | *[!0-9]*) echo "usage: $0 [SECONDS_PER_TARGET]" >&2; exit 2 ;;
esac

FUZZ="$(cd "$(dirname "$0")" && pwd)"
cd "$FUZZ"
TARGETS=(analysis edits yaml frames)
# Inputs longer than this are cut while fuzzing (the seed replay runs them whole): short
# inputs keep the executions fast. The edit target re-parses after every edit.
declare -A MAX_LEN=([analysis]=8192 [edits]=4096 [yaml]=8192 [frames]=4096)
# libFuzzer options for every run: a hang or a blow-up counts as a crash.
LIBFUZZER_OPTS=(-timeout=30 -rss_limit_mb=2048 -dict="$FUZZ/markdown.dict" -print_final_stats=1)
# The same build flags for build and run, so `cargo fuzz run` does not rebuild.
BUILD_FLAGS=(-s none -O -a --target-dir "$FUZZ/target")

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "== installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi
cargo fuzz --version
rustc --version

echo "== building ${TARGETS[*]}"
cargo fuzz build "${BUILD_FLAGS[@]}"

BIN_DIR="$FUZZ/target/$(rustc -vV | sed -n 's/^host: //p')/release"
LOGS="$FUZZ/target/logs"
mkdir -p "$LOGS"
failed=()
summary=()

for t in "${TARGETS[@]}"; do
  bin="$BIN_DIR/$t"
  if [[ ! -x "$bin" ]]; then
    echo "error: $bin was not built" >&2
    exit 1
  fi
  mkdir -p "corpus/$t" "artifacts/$t"
  seeds=$(find "seeds/$t" -type f | wc -l)
  if [[ "$seeds" -eq 0 ]]; then
    echo "error: no seeds in fuzz/seeds/$t" >&2
    exit 1
  fi

  echo "== $t: replaying $seeds seeds at full size"
  if ! "$bin" -runs=0 "${LIBFUZZER_OPTS[@]}" -artifact_prefix="artifacts/$t/" "seeds/$t" \
    >"$LOGS/$t-seeds.log" 2>&1; then
    tail -n 60 "$LOGS/$t-seeds.log"
    echo "CRASH: $t: a seed fails (log: fuzz/target/logs/$t-seeds.log)" >&2
    failed+=("$t (seed)")
    continue
  fi

  echo "== $t: fuzzing for ${SECONDS_PER_TARGET}s"
  log="$LOGS/$t.log"
  status=0
  cargo fuzz run "${BUILD_FLAGS[@]}" "$t" "corpus/$t" "seeds/$t" -- \
    -max_total_time="$SECONDS_PER_TARGET" -max_len="${MAX_LEN[$t]}" \
    "${LIBFUZZER_OPTS[@]}" -artifact_prefix="$FUZZ/artifacts/$t/" >"$log" 2>&1 || status=$?
  last=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1 || true)
  if [[ "$status" -ne 0 || -z "$last" ]]; then
    grep -v -E '^#[0-9]+[[:space:]]+(NEW|REDUCE|pulse)' "$log" | tail -n 60
    echo "CRASH: $t: exit status $status (log: fuzz/target/logs/$t.log; artifacts: fuzz/artifacts/$t/)" >&2
    ls -l "artifacts/$t" >&2 || true
    failed+=("$t")
    continue
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  files=$(find "corpus/$t" -type f | wc -l)
  kb=$(du -sk --apparent-size "corpus/$t" | cut -f1)
  summary+=("$(printf '%-9s runs %-9s exec/s %-6s cov %-6s ft %-7s corpus %s files, %s KB' \
    "$t" "$runs" "$rate" "$cov" "$ft" "$files" "$kb")")
  echo "${summary[-1]}"
done

echo "== summary (${SECONDS_PER_TARGET}s per target)"
for line in "${summary[@]}"; do echo "$line"; done
if [[ ${#failed[@]} -gt 0 ]]; then
  # Last, where a truncated CI log still shows it: each crash's panic message and input
  # (base64), enough to replay it elsewhere (`base64 -d > x; <target binary> x`).
  for t in "${TARGETS[@]}"; do
    for log in "$LOGS/$t.log" "$LOGS/$t-seeds.log"; do
      [[ -f "$log" ]] && grep -m 3 -A 2 "panicked at" "$log" >&2 || true
    done
    for f in artifacts/"$t"/*; do
      [[ -f "$f" ]] || continue
      echo "input $f (base64): $(base64 -w0 "$f")" >&2
    done
  done
  echo "FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "no crashes"

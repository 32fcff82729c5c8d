#!/usr/bin/env bash
# Allocation figure of the answer path (parse a query + write its answer with Answerer.Handle):
# a short BenchmarkDotNet run, in process (no extra build), MemoryDiagnoser on. Target: Allocated = 0 B (shown as "-").
# Extra arguments go to BenchmarkDotNet, e.g. ./bench/answer-alloc.sh --filter '*NxDomain*'.
set -euo pipefail
cd "$(dirname "$0")/.."
artifacts="${TMPDIR:-/tmp}/akkadns-bench"
log="$artifacts/answer-alloc.log"
mkdir -p "$artifacts"
dotnet run -c Release --project bench/AkkaDns.Benchmarks -- \
  --filter '*AnswerBenchmarks*' --job short --inProcess --memory --artifacts "$artifacts" "$@" > "$log" 2>&1 \
  || { tail -40 "$log"; exit 1; }
grep -E '^(BenchmarkDotNet|\.NET SDK|  \[Host\]|Job=)' "$log" || true
grep -E '^\|' "$log"
echo "(full log: $log)"

#!/bin/bash
# Kill -9 loop against H2 2.4.240: ./loop.sh [cycles] [threads]; WOPTS=-Dearly=true for the setting that
# showed a stale delivery_claim entry (1 hit in 72 cycles). Work files in ${WORK:-/tmp/h2-crash-repro}.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=${WORK:-/tmp/h2-crash-repro}
J=$HOME/.m2/repository/com/h2database/h2/2.4.240/h2-2.4.240.jar
CYCLES=${1:-40}; THREADS=${2:-6}
mkdir -p "$WORK/data" "$WORK/check" "$WORK/classes"
javac -d "$WORK/classes" -cp "$J" "$HERE"/*.java || exit 1
cd "$WORK"
for i in $(seq 1 "$CYCLES"); do
  java ${WOPTS:-} -cp "$J:classes" Writer "$WORK/data/db" "$THREADS" > writer.log 2>&1 &
  WP=$!
  S=$((2 + RANDOM % 7)); sleep $S
  kill -9 $WP; wait $WP 2>/dev/null
  tail -1 writer.log | sed "s/^/cycle $i (slept ${S}s) writer: /"
  rm -rf check/*; cp data/db.mv.db check/
  java -cp "$J:classes" Checker "$WORK/check/db" > checker.log 2>&1; RC=$?
  grep -E "table rows|count pending|attempt rows|update errors|RESULT" checker.log | tr '\n' ' '; echo
  if [ $RC -ne 0 ]; then
    echo "=== INCONSISTENCY at cycle $i ==="; cat checker.log
    mkdir -p evidence; cp data/db.mv.db evidence/db.mv.db; cp checker.log writer.log evidence/
    exit 2
  fi
done
echo "no inconsistency after $CYCLES cycles"

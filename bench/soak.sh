#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make soak`: forkscope records a paced, pid-recycling workload for an hour (SOAK_S) while its own
# memory and file descriptors are sampled every minute; then the log is replayed headless and
# checked: nothing lost, every process reaped, the model sure of each one, memory flat.
# docs/reliability.md has the result. Needs root. FORKSCOPE and MIXED name the binaries (a frozen
# copy may be given), OUT the directory for the log and the samples.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build}
FORKSCOPE=${FORKSCOPE:-$BUILD/forkscope}
MIXED=${MIXED:-$BUILD/bench/mixed}
OUT=${OUT:-$BUILD/soak}
SOAK_S=${SOAK_S:-3600}
SAMPLE_S=${SAMPLE_S:-60}

record() {
	# Every second a pool of 4 workers runs 25 rounds of short-lived children over pipes, with
	# signals: about 100 processes a second, so pids wrap (pid_max) within the hour.
	local workload="end=\$((\$(date +%s) + $SOAK_S)); while [ \$(date +%s) -lt \$end ]; do $MIXED 25 >/dev/null; sleep 1; done"
	local fs start

	rm -f "$OUT/soak.jsonl" "$OUT/samples.tsv"
	"$FORKSCOPE" record -o "$OUT/soak.jsonl" -- sh -c "$workload" 2>"$OUT/stderr" &
	fs=$!
	printf 'elapsed_s\trss_kb\tfds\tlog_bytes\n' >"$OUT/samples.tsv"
	start=$(date +%s)
	while kill -0 "$fs" 2>/dev/null; do
		printf '%s\t%s\t%s\t%s\n' $(($(date +%s) - start)) \
			"$(awk '/^VmRSS:/ {print $2}' "/proc/$fs/status" 2>/dev/null || echo 0)" \
			"$(ls "/proc/$fs/fd" 2>/dev/null | wc -l)" \
			"$(stat -c %s "$OUT/soak.jsonl" 2>/dev/null || echo 0)" >>"$OUT/samples.tsv"
		sleep "$SAMPLE_S" & wait $! || true
	done
	wait "$fs"
}

# The model's end over the whole log, and the replay's own peak memory.
check() {
	local summary forks wraps
	/usr/bin/time -f 'replay_rss_kb=%M replay_s=%e' "$FORKSCOPE" replay --headless "$OUT/soak.jsonl" \
		2>"$OUT/replay.time" | tail -1 >"$OUT/replay.summary"
	summary=$(cat "$OUT/replay.summary")
	forks=$(grep -c '"type":"fork",.*"thread":false' "$OUT/soak.jsonl" || true)
	wraps=$(grep -o '"type":"fork",[^}]*"child":[0-9]*' "$OUT/soak.jsonl" | grep -o '[0-9]*$' |
		awk -v max="$(cat /proc/sys/kernel/pid_max)" 'NR > 1 && $1 < prev - max / 2 { n++ } { prev = $1 } END { print n + 0 }')
	echo "soak: $(tail -1 "$OUT/soak.jsonl")"
	echo "soak: $summary"
	echo "soak: $(cat "$OUT/replay.time")"
	echo "soak: $forks processes forked, pids wrapped $wraps times"
	# forkscope's memory and descriptors while it ran (a sample of 0 is its exit): flat after a minute
	awk -F'\t' '$3 == 0 { next } NR == 3 { first = $2 } NR > 3 && $2 > max { max = $2 }
		END { printf "soak: recorder RSS %d kB after a minute, at most %d kB later\n", first, max;
		      exit !(max <= first * 1.1 + 1024) }' "$OUT/samples.tsv" || return 1
	awk -F'\t' '$3 == 0 || NR < 3 { next } fds && $3 != fds { bad = 1 } { fds = $3 }
		END { printf "soak: recorder fds %d%s\n", fds, bad ? ", changing" : ", constant"; exit bad }' \
		"$OUT/samples.tsv" || return 1
	grep -q ', still live 0, zombies 0, .*exit unknown 0; .*lost 0, anomalies 0' "$OUT/replay.summary"
}

mkdir -p "$OUT"
[ -n "${CHECK_ONLY:-}" ] || record
if check; then
	echo "soak: PASS"
else
	echo "soak: FAIL (see $OUT)"
	exit 1
fi

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make bench`: how much forkscope slows three workloads next to strace, bpftrace and forkstat,
# in interleaved untraced/traced pairs; what each probe costs; how fast its logs read back
# (docs/performance.md). QUICK=1: a short run.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build}
BB=$(realpath "$BUILD/bench")
FS=$BB/forkscope # a private copy: others may rebuild $BUILD/forkscope while this runs
RUN=$BB/run
# workload config pair side(A untraced, B traced) loop_ns events lost cpu_s rss_kb bytes exact wall_ns
RESULTS=$RUN/results.tsv
PROBES=$RUN/probes.tsv # workload rep program run_time_ns run_cnt verified_insns ops
QUICK=${QUICK:-0}
CONFIGS=(forkscope strace bpftrace forkstat) # each against untraced runs of its own pairs
WORKLOADS=(fork_storm exec_storm pingpong)
SETTLE=0.3          # after a system-wide tool says it is ready, before the workload starts
READ_EVENTS=1000000 # the reading side's log (250,000 with QUICK)
READ_REPS=5         # dump and replay timings, interleaved, median (also with QUICK: the machine is shared)
IDLE_S=5            # the recorder with nothing to trace

# Each workload is sized at start so that its untraced loop takes about LOOP_S seconds (ping-pong,
# which strace slows twentyfold, PINGPONG_S): the run time stays bounded on a slow or busy VM.
declare -A ARGS
declare -A PROBE=([fork_storm]=50 [exec_storm]=30 [pingpong]=3000)
# Per-probe cost (bpf_stats): PROBE_REPS runs each of a fork storm and a ping-pong this long.
declare -A COST_ARGS=([fork_storm]=2000 [pingpong]=20000)
PROBE_REPS=3
if [ "$QUICK" = 1 ]; then
	PAIRS=3         # untraced/traced pairs per tool and workload...
	FS_FORK_PAIRS=7 # ...but forkscope's fork storm, the target, always gets 7
	LOOP_S=0.25
	PINGPONG_S=0.1
	READ_EVENTS=250000
	BIG=20000 # processes in the big session: enough for READ_EVENTS
	IDLE_S=3
else
	PAIRS=7
	FS_FORK_PAIRS=7
	LOOP_S=0.6
	PINGPONG_S=0.3
	BIG=100000 # vfork: cheap to make, as many events per process as fork
fi
WIDE=2000  # processes alive at once for the TUI frame time
FRAMES=200

BPFTRACE_PROG='
tracepoint:sched:sched_process_fork { printf("fork %d %d\n", args->parent_pid, args->child_pid); }
tracepoint:sched:sched_process_exec { printf("exec %d %s\n", pid, str(args->filename)); }
tracepoint:sched:sched_process_exit { printf("exit %d %s\n", pid, comm); }'

DAEMONS=()
MOUNTED_TRACEFS=0
BPF_STATS_WAS=

log() { printf 'bench: %s\n' "$*" >&2; }

# --- set-up ---------------------------------------------------------------------------------

install_peers() {
	local need=()

	command -v strace >/dev/null || need+=(strace)
	command -v bpftrace >/dev/null || need+=(bpftrace)
	command -v forkstat >/dev/null || need+=(forkstat)
	command -v tmux >/dev/null || need+=(tmux)
	[ ${#need[@]} -eq 0 ] && return 0
	log "installing ${need[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -q "${need[@]}" >/dev/null ||
		{ apt-get update -q >/dev/null && apt-get install -y -q "${need[@]}" >/dev/null; }
}

# bpftrace's tracepoint: probes read tracefs; forkscope itself never does.
mount_tracefs() {
	[ -e /sys/kernel/tracing/events/sched ] && return 0
	mount -t tracefs nodev /sys/kernel/tracing
	MOUNTED_TRACEFS=1
	log "mounted tracefs on /sys/kernel/tracing for the peers (unmounted at the end)"
}

cleanup() {
	stop_daemons
	[ -z "$BPF_STATS_WAS" ] || sysctl -qw kernel.bpf_stats_enabled="$BPF_STATS_WAS"
	tmux -L fsbench kill-server 2>/dev/null || true
	if [ "$MOUNTED_TRACEFS" = 1 ]; then umount /sys/kernel/tracing || true; fi
}

describe_machine() {
	printf 'date: %s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
	printf 'machine: %s vCPUs, %s, %s MiB RAM, kernel %s\n' "$(nproc)" \
		"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')" \
		"$(awk '/MemTotal/ { print int($2 / 1024) }' /proc/meminfo)" "$(uname -r)"
	printf 'peers: strace %s, bpftrace %s, forkstat %s\n' \
		"$(strace -V | head -1 | awk '{ print $NF }')" "$(bpftrace --version | awk '{ print $2 }')" \
		"$(dpkg-query -W -f '${Version}' forkstat)"
	printf 'mode: %s, %s untraced/traced pairs per tool and workload (%s for forkscope'"'"'s fork storm); load average before: %s\n' \
		"$([ "$QUICK" = 1 ] && echo QUICK || echo full)" "$PAIRS" "$FS_FORK_PAIRS" \
		"$(cut -d' ' -f1-3 /proc/loadavg)"
	awk '$1 > 0.5 { exit 1 }' /proc/loadavg ||
		printf 'warning: the machine is busy before the benchmark starts: ratios will be noisy\n'
	other_tracers
}

# Someone else's BPF tracer slows the untraced runs too: say so next to the numbers.
other_tracers() {
	local n
	n=$(bpftool prog show 2>/dev/null |
		grep -cE '^[0-9]+: (tracing|raw_tracepoint|tracepoint|kprobe|perf_event) ' || true)
	[ "$n" = 0 ] || printf 'warning: %s BPF tracing programs of another tool are loaded\n' "$n"
}

# --- system-wide tools ----------------------------------------------------------------------

daemon() { # OUTFILE CMD...: start CMD in the background, output to OUTFILE
	local out=$1
	shift
	"$@" >"$out" 2>"$out.err" &
	DAEMONS+=($!)
}

wait_line() { # FILE PATTERN: wait (30 s at most) until FILE has a line matching PATTERN
	local i
	for i in $(seq 300); do
		grep -q -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	log "$1: the tool never became ready"
	cat "$1.err" >&2
	return 1
}

stop_daemons() {
	local pid i
	[ ${#DAEMONS[@]} -eq 0 ] && return 0
	kill -INT "${DAEMONS[@]}" 2>/dev/null || true
	for pid in "${DAEMONS[@]}"; do
		for i in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	DAEMONS=()
}

start_tool() { # CONFIG DIR
	case $1 in
	bpftrace)
		daemon "$2/bpftrace.out" bpftrace -e "$BPFTRACE_PROG"
		wait_line "$2/bpftrace.out" Attaching ;;
	forkstat)
		daemon "$2/forkstat.out" forkstat -l
		wait_line "$2/forkstat.out" Event ;;
	*) return 0 ;; # not a system-wide tool
	esac
	sleep "$SETTLE"
}

# --- one run --------------------------------------------------------------------------------

field() { # NAME FILE: the value of the first NAME=VALUE in FILE, or -
	local v
	v=$(grep -o "\b$1=[^ ]*" "$2" 2>/dev/null | head -1 | cut -d= -f2)
	echo "${v:--}"
}

# forkscope under the rusage shim: its own CPU time and peak RSS land in DIR/rusage.
record() { # DIR CMD...
	local dir=$1
	shift
	LD_PRELOAD=$BB/rusage_shim.so FS_BENCH_RUSAGE=$dir/rusage \
		"$FS" record -o "$dir/log.jsonl" -- "$@" >"$dir/out" 2>"$dir/err"
}

# yes when every channel the workload counted has exactly those reads, writes and bytes in the log.
exact_counts() { # DIR
	awk 'FNR == 1 { f++ }
	     /^chan=/ { if (f == 1 && !($1 in keys)) { keys[$1] = 1; nkeys++ }
	                for (i = 2; i <= NF; i++) { split($i, kv, "="); sum[f, $1, kv[1]] += kv[2] } }
	     END { ok = nkeys > 0
	           for (k in keys) for (m = split("writes wbytes reads rbytes", ms, " "); m > 0; m--)
	               if (sum[1, k, ms[m]] != sum[2, k, ms[m]]) ok = 0
	           print ok ? "yes" : "no" }' "$1/out" "$1/logstat"
}

result_line() { # WORKLOAD CONFIG PAIR SIDE DIR: one row of results.tsv
	local dir=$5 ev=- lost=- cpu=- rss=- bytes=- exact=-
	if [ "$2" = forkscope ] && [ "$4" = B ]; then
		"$BB/logstat" "$dir/log.jsonl" >"$dir/logstat"
		ev=$(field events "$dir/logstat") lost=$(field lost "$dir/logstat")
		bytes=$(field bytes "$dir/logstat")
		cpu=$(field cpu_s "$dir/rusage") rss=$(field maxrss_kb "$dir/rusage")
		[ "$1" = pingpong ] && exact=$(exact_counts "$dir")
		rm -f "$dir/log.jsonl"
	fi
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" \
		"$(field loop_ns "$dir/out")" "$ev" "$lost" "$cpu" "$rss" "$bytes" "$exact"
}

# WORKLOAD CONFIG PAIR SIDE: side A runs untraced, side B under CONFIG (a system-wide tool is
# already running).
run_one() {
	local dir=$RUN/$1/$2.$3.$4 t0=$(date +%s%N)
	local cmd=("$BB/$1" ${ARGS[$1]})
	mkdir -p "$dir"
	case $4.$2 in
	B.forkscope) record "$dir" "${cmd[@]}" ;;
	B.strace) strace -f -e trace=process,ipc,signal,desc -o /dev/null "${cmd[@]}" >"$dir/out" ;;
	*) "${cmd[@]}" >"$dir/out" ;;
	esac
	printf '%s\t%s\n' "$(result_line "$1" "$2" "$3" "$4" "$dir")" $(($(date +%s%N) - t0)) >>"$RESULTS"
}

pairs_of() { # CONFIG WORKLOAD: how many untraced/traced pairs CONFIG gets on WORKLOAD
	if [ "$1" = forkscope ] && [ "$2" = fork_storm ]; then echo "$FS_FORK_PAIRS"; else echo "$PAIRS"; fi
}

# One pair of CONFIG for every workload that still needs pair PAIR: a workload untraced, then
# traced, so the two see the same machine. A system-wide tool, which would trace the untraced
# run too, is started once after the untraced runs of all of them.
run_pair() { # CONFIG PAIR
	local wl wls=() dir=$RUN/tools/$1.$2
	for wl in "${WORKLOADS[@]}"; do
		[ "$2" -le "$(pairs_of "$1" "$wl")" ] && wls+=("$wl")
	done
	[ ${#wls[@]} -eq 0 ] && return 0
	case $1 in
	bpftrace | forkstat)
		for wl in "${wls[@]}"; do run_one "$wl" "$1" "$2" A; done
		mkdir -p "$dir"
		start_tool "$1" "$dir"
		for wl in "${wls[@]}"; do run_one "$wl" "$1" "$2" B; done
		stop_daemons ;;
	*)
		for wl in "${wls[@]}"; do run_one "$wl" "$1" "$2" A; run_one "$wl" "$1" "$2" B; done ;;
	esac
}

# The fastest of 3 probe runs: one slowed by the rest of the machine would make the loops short.
size_workloads() {
	local wl loop want i
	for wl in "${WORKLOADS[@]}"; do
		want=$LOOP_S
		[ "$wl" = pingpong ] && want=$PINGPONG_S
		loop=$(for i in 1 2 3; do "$BB/$wl" "${PROBE[$wl]}" | grep -o 'loop_ns=[0-9]*' | cut -d= -f2; done |
			sort -n | head -1)
		ARGS[$wl]=$(awk -v p="${PROBE[$wl]}" -v l="$loop" -v w="$want" \
			'BEGIN { n = int(p * w * 1e9 / l); print (n > p ? n : p) }')
	done
	log "sizes: $(for wl in "${WORKLOADS[@]}"; do printf '%s=%s ' "$wl" "${ARGS[$wl]}"; done)"
}

# A B A B: pair after pair, every tool in an order rotated each time.
overhead() {
	local pair i n=${#CONFIGS[@]} most=$((PAIRS > FS_FORK_PAIRS ? PAIRS : FS_FORK_PAIRS))
	for pair in $(seq "$most"); do
		log "pair $pair/$most"
		for i in $(seq 0 $((n - 1))); do
			run_pair "${CONFIGS[$(((i + pair - 1) % n))]}" "$pair"
		done
	done
}

# --- what each probe costs ------------------------------------------------------------------

# With kernel.bpf_stats_enabled=1 the kernel times every BPF program run. forkscope records
# WORKLOAD with a snapshot of its programs' counters just before and just after the loop, taken
# inside the traced tree (the shell's parent is forkscope); probes.tsv gets the differences. The
# counters include what the probes spend on the rest of the machine (every syscall and context
# switch system-wide enters them), which is part of their cost too.
probe_cost() { # WORKLOAD REP
	local dir=$RUN/probes/$1.$2
	mkdir -p "$dir"
	record "$dir" sh -c '"$1" "$PPID" "$2/before"; "$3" $4 >"$5"; "$1" "$PPID" "$2/after"' sh \
		"$(realpath bench/probe_snap.sh)" "$dir" "$BB/$1" "${COST_ARGS[$1]}" "$dir/loop"
	"$BB/logstat" "$dir/log.jsonl" >"$dir/logstat"
	rm -f "$dir/log.jsonl"
	join <(sort "$dir/before") <(sort "$dir/after") | awk -v w="$1" -v r="$2" \
		-v n="$(field n "$dir/loop")" -v lost="$(field lost "$dir/logstat")" \
		'{ printf "%s\t%s\t%s\t%d\t%d\t%s\t%s\t%s\n", w, r, $2, $7 - $3, $8 - $4, $9, n, lost }' >>"$PROBES"
}

probe_costs() {
	local wl rep
	BPF_STATS_WAS=$(sysctl -n kernel.bpf_stats_enabled)
	sysctl -qw kernel.bpf_stats_enabled=1
	log "per-probe cost: ${!COST_ARGS[*]}, $PROBE_REPS runs each, kernel.bpf_stats_enabled=1"
	for rep in $(seq "$PROBE_REPS"); do
		for wl in "${!COST_ARGS[@]}"; do probe_cost "$wl" "$rep"; done
	done
	sysctl -qw kernel.bpf_stats_enabled="$BPF_STATS_WAS"
	BPF_STATS_WAS=
}

# --- reading side, the TUI and the recorder alone -------------------------------------------

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# NAME CMD...: one run, output discarded; its wall time and CPU time (user + system) are added
# to NAME.times.
time_run() {
	local name=$1 t TIMEFORMAT='%R %U %S'
	shift
	t=$({ time "$@" >/dev/null 2>"$RUN/$name.err"; } 2>&1) ||
		{ log "$name failed: $(cat "$RUN/$name.err")"; return 1; }
	echo "$t" >>"$RUN/$name.times"
}

# NAME: NAME_ns and NAME_cpu_ns, the median wall and CPU time of its runs. The CPU time says
# what a run cost when the shared machine kept it waiting for a core.
time_report() {
	printf '%s_ns\t%s\n' "$1" "$(awk '{ print int($1 * 1e9) }' "$RUN/$1.times" | median)"
	printf '%s_cpu_ns\t%s\n' "$1" "$(awk '{ print int(($2 + $3) * 1e9) }' "$RUN/$1.times" | median)"
}

# The big session: BIG processes in one recording; its first READ_EVENTS events, with an
# end line, are the log the reading side is timed on.
big_session() {
	local dir=$RUN/big last_t
	mkdir -p "$dir"
	log "recording a $BIG-process session"
	record "$dir" "$BB/fork_storm" "$BIG" --vfork
	tail -1 "$dir/log.jsonl" | sed 's/"\([a-z_]*\)":/\1=/g; s/[{},]/ /g' >"$dir/end"
	stat -c 'bytes=%s' "$dir/log.jsonl" >>"$dir/end"
	head -n $((READ_EVENTS + 1)) "$dir/log.jsonl" | grep -v '"type":"end"' >"$RUN/read.jsonl"
	last_t=$(tail -1 "$RUN/read.jsonl" | grep -o '"t":[0-9]*' | cut -d: -f2)
	printf '{"type":"end","exit_status":0,"events":%d,"lost":0,"duration_ns":%s}\n' \
		$(($(wc -l <"$RUN/read.jsonl") - 1)) "$last_t" >>"$RUN/read.jsonl"
	rm -f "$dir/log.jsonl"
	printf 'big_procs\t%s\nbig_events\t%s\nbig_lost\t%s\nbig_bytes\t%s\n' "$BIG" \
		"$(field events "$dir/end")" "$(field lost "$dir/end")" "$(field bytes "$dir/end")"
	printf 'big_cpu_s\t%s\nbig_rss_kb\t%s\nbig_loop_ns\t%s\n' "$(field cpu_s "$dir/rusage")" \
		"$(field maxrss_kb "$dir/rusage")" "$(field loop_ns "$dir/out")"
}

# dump (text and JSON), `replay --headless` (when this forkscope has it) and replay_bench's
# load-then-apply on read.jsonl: one run of each in turn, READ_REPS rounds, so that this VM's
# drift (a third within minutes) falls on all of them alike.
reading_side() {
	local i events headless=0 readers=(dump_text dump_json)
	events=$(($(wc -l <"$RUN/read.jsonl") - 2))
	log "timing dump and replay on $events events, $READ_REPS times each, interleaved"
	printf 'read_events\t%s\nread_reps\t%s\n' "$events" "$READ_REPS"
	# not -q: an early exit is a SIGPIPE, which pipefail counts
	if "$FS" replay --help 2>&1 | grep -- --headless >/dev/null; then
		headless=1
		readers+=(headless)
	fi
	for i in $(seq "$READ_REPS"); do
		time_run dump_text "$FS" dump "$RUN/read.jsonl" || return 1
		time_run dump_json "$FS" dump --json "$RUN/read.jsonl" || return 1
		if [ "$headless" = 1 ]; then
			time_run headless "$FS" replay --headless "$RUN/read.jsonl" || return 1
		fi
		"$BB/replay_bench" "$RUN/read.jsonl" >"$RUN/replay.$i"
	done
	for i in "${readers[@]}"; do time_report "$i"; done
	for i in load_ns apply_ns; do
		printf 'replay_%s\t%s\n' "$i" "$(for f in "$RUN"/replay.*; do field "$i" "$f"; done | median)"
	done
}

# The view at WIDE live processes (the wide_tree workload's mark), rendered FRAMES times.
frame_time() {
	local dir=$RUN/wide
	mkdir -p "$dir"
	log "recording $WIDE processes alive at once, rendering $FRAMES frames"
	record "$dir" "$BB/wide_tree" "$WIDE"
	"$BB/replay_bench" "$dir/log.jsonl" "$FRAMES" >"$dir/frames"
	printf 'frame_procs\t%s\nframe_ns\t%s\nframe_p95_ns\t%s\nframe_first_ns\t%s\n' \
		"$(field frame_procs "$dir/frames")" "$(field frame_ns "$dir/frames")" \
		"$(field frame_p95_ns "$dir/frames")" "$(field frame_first_ns "$dir/frames")"
	printf 'frame_size\t%sx%s\n' "$(field frame_w "$dir/frames")" "$(field frame_h "$dir/frames")"
	rm -f "$dir/log.jsonl"
}

cpu_ns() { # PID: CPU time of all its threads so far
	cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ s += $1 } END { print s + 0 }'
}

idle_pct() { # PID: percent of one core that PID uses over the next IDLE_S seconds
	local a b
	a=$(cpu_ns "$1")
	sleep "$IDLE_S"
	b=$(cpu_ns "$1")
	awk -v a="$a" -v b="$b" -v s="$IDLE_S" 'BEGIN { printf "%.2f", (b - a) / (s * 1e7) }'
}

# The recorder's start-up and shutdown around `true`; the recorder and the live TUI while the
# traced `sleep` does nothing (sampled after start-up and after the TUI's highlights fade).
recorder_alone() {
	local dir=$RUN/idle pid
	mkdir -p "$dir/true"
	record "$dir/true" true
	printf 'start_cpu_s\t%s\n' "$(field cpu_s "$dir/true/rusage")"
	"$FS" record -o "$dir/sleep.jsonl" -- sleep $((IDLE_S + 3)) >/dev/null 2>&1 &
	pid=$!
	sleep 1.5
	printf 'record_idle_pct\t%s\n' "$(idle_pct "$pid")"
	wait "$pid"
	tmux -L fsbench -f /dev/null new-session -d -x 160 -y 48 \
		"exec $FS run -- sleep $((IDLE_S + 6))"
	sleep 4.5
	pid=$(tmux -L fsbench display -p '#{pane_pid}')
	printf 'tui_idle_pct\t%s\n' "$(idle_pct "$pid")"
	tmux -L fsbench kill-server
	rm -f "$dir"/*.jsonl "$dir"/*/log.jsonl
}

main() {
	local start=$SECONDS
	[ "$(id -u)" = 0 ] || { log "needs root (sudo make bench)"; exit 1; }
	trap cleanup EXIT
	trap 'exit 130' INT TERM
	install_peers
	mount_tracefs
	rm -rf "$RUN"
	mkdir -p "$RUN"
	cp "$BUILD/forkscope" "$FS"
	describe_machine | tee "$RUN/machine.txt" >&2
	size_workloads
	overhead
	printf 'load average after the pairs: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)" >>"$RUN/machine.txt"
	probe_costs
	printf 'load average after the probe costs: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)" >>"$RUN/machine.txt"
	{ big_session; reading_side; frame_time; recorder_alone; } >"$RUN/other.tsv"
	printf 'bench_seconds\t%s\n' $((SECONDS - start)) >>"$RUN/other.tsv"
	awk -v quick="$QUICK" -v workloads="${WORKLOADS[*]}" -v configs="${CONFIGS[*]}" \
		-v args="$(for w in "${WORKLOADS[@]}"; do printf '%s ' "${ARGS[$w]}"; done)" \
		-f bench/summary.awk "$RUN/machine.txt" "$RESULTS" "$RUN/other.tsv" "$PROBES" |
		tee "$RUN/table.md"
	log "raw results in $RUN (results.tsv, probes.tsv, other.tsv, table.md)"
}

main "$@"

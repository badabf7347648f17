#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# probe_snap.sh PID OUT: the BPF programs PID holds, one line each: id name run_time_ns run_cnt
# verified_insns (from /proc/PID/fdinfo; run_time_ns counts only while kernel.bpf_stats_enabled=1).
# bench.sh runs it inside the traced tree, before and after the workload, with PID = forkscope.
# every counter is read before bpftool runs: its own events must not count
stats=$(awk 'function out() { if (has && !(id in seen)) { seen[id] = 1; print id, t, c, v } has = 0 }
     FNR == 1 { out() }
     $1 == "prog_id:" { id = $2 }
     $1 == "run_time_ns:" { t = $2; has = 1 }
     $1 == "run_cnt:" { c = $2 }
     $1 == "verified_insns:" { v = $2 }
     END { out() }' /proc/"$1"/fdinfo/* 2>/dev/null)
echo "$stats" | while read -r id t c v; do
	printf '%s %s %s %s %s\n' "$id" "$(bpftool prog show id "$id" | awk 'NR == 1 { print $4 }')" \
		"$t" "$c" "$v"
done >"$2"

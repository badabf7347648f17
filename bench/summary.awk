# SPDX-License-Identifier: GPL-2.0
# The benchmark's table from its raw results: machine.txt, results.tsv, other.tsv (see bench.sh).
# Slowdown is paired: each traced run over the untraced run of the same repetition.

function sort_n(a, n,    i, j, t) {
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
			t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
		}
}

function median(a, n) {
	sort_n(a, n)
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}

function rate(events, ns) {
	return ns > 0 ? sprintf("%.0fk", events / ns * 1e6) : "-"
}

function eps_of(events, ns) {
	return ns > 0 ? events / ns * 1e9 : 0
}

# One reading-side row: events/s by wall time, and by CPU time (what the run cost on a shared machine).
function read_row(label, key) {
	printf "| %s | %.0f events/s (%.2f s; CPU %.2f s = %.0f events/s) |\n", label,
		eps_of(ev_read, other[key "_ns"]), other[key "_ns"] / 1e9, other[key "_cpu_ns"] / 1e9,
		eps_of(ev_read, other[key "_cpu_ns"])
}

function verdict(ok, stretch_ok) {
	if (!ok) return "**missed**"
	return stretch_ok == "" ? "met" : stretch_ok ? "met (stretch met)" : "met (stretch missed)"
}

# Collects the reps of one (workload, config) into the globals r (ratio), ev, cpu, rss, bpe, eps.
function collect(wl, cfg,    k, b) {
	n = 0; lost_max = 0; exact_yes = 0; exact_n = 0; rss_max = 0
	for (k = 1; k <= reps; k++) {
		if (!((wl, cfg, k) in loop) || !((wl, "base", k) in loop) || loop[wl, "base", k] <= 0)
			continue
		n++
		r[n] = loop[wl, cfg, k] / loop[wl, "base", k]
		ev[n] = events[wl, cfg, k]; cpu[n] = cpus[wl, cfg, k]
		bpe[n] = events[wl, cfg, k] > 0 ? bytes[wl, cfg, k] / events[wl, cfg, k] : 0
		eps[n] = events[wl, cfg, k] / loop[wl, cfg, k] * 1e9
		if (lost[wl, cfg, k] > lost_max) lost_max = lost[wl, cfg, k]
		if (rss[wl, cfg, k] > rss_max) rss_max = rss[wl, cfg, k]
		if (exact[wl, cfg, k] != "-") { exact_n++; exact_yes += exact[wl, cfg, k] == "yes" }
	}
	lo = hi = n ? r[1] : 0
	for (k = 1; k <= n; k++) { if (r[k] < lo) lo = r[k]; if (r[k] > hi) hi = r[k] }
}

function overhead_row(wl, cfg, label,    m) {
	collect(wl, cfg)
	if (!n) { printf "| | %s | no result | | | | | | |\n", label; return }
	m = median(r, n)
	if (cfg == "base") {
		for (k = 1; k <= reps; k++) base_ms[k] = loop[wl, "base", k] / 1e6
		m = median(base_ms, reps)
		spread = (base_ms[1] > 0) ? base_ms[reps] / base_ms[1] : 0
		printf "| %s | %s | 1.00 (loop %.0f ms; slowest/fastest untraced %.2f) | | | | | | |\n",
			wl " N=" arg[wl], label, m, spread
		return
	}
	slow[wl, cfg] = m
	if (cfg != "forkscope") {
		printf "| | %s | %.2f (%.2f–%.2f) | | | | | | |\n", label, m, lo, hi
		return
	}
	ev_med[wl] = median(ev, n); lost_all[wl] = lost_max; bpe_med[wl] = median(bpe, n)
	eps_med[wl] = median(eps, n); exact_of[wl] = exact_yes "/" exact_n
	printf "| | %s | **%.2f** (%.2f–%.2f) | %d | %d | %.2f | %.1f | %.0f | %s%s |\n", label, m, lo, hi,
		ev_med[wl], lost_max, median(cpu, n), rss_max / 1024, bpe_med[wl],
		rate(eps_med[wl], 1e9), exact_n ? "; exact counts " exact_of[wl] : ""
}

FNR == 1 { file++ }
file == 1 { print "- " $0; next }
file == 2 {
	split($0, f, "\t")
	loop[f[1], f[2], f[3]] = f[4]; events[f[1], f[2], f[3]] = f[5]; lost[f[1], f[2], f[3]] = f[6]
	cpus[f[1], f[2], f[3]] = f[7]; rss[f[1], f[2], f[3]] = f[8]; bytes[f[1], f[2], f[3]] = f[9]
	exact[f[1], f[2], f[3]] = f[10]
	next
}
file == 3 { split($0, f, "\t"); other[f[1]] = f[2] }

END {
	nw = split(workloads, wls, " "); nc = split(configs, cfgs, " "); split(args, as, " ")
	for (i = 1; i <= nw; i++) arg[wls[i]] = as[i]
	name["base"] = "untraced"; name["forkscope"] = "forkscope record"
	name["strace"] = "strace -f"; name["bpftrace"] = "bpftrace (3 sched_process tps)"
	name["forkstat"] = "forkstat"; name["snoop"] = "execsnoop + exitsnoop"

	print "\n### Overhead (median slowdown over the untraced run of the same repetition, (min–max))\n"
	print "| workload | tool | slowdown | events | lost | forkscope CPU s | forkscope peak RSS MiB | log B/event | events/s |"
	print "|---|---|---|---|---|---|---|---|---|"
	for (i = 1; i <= nw; i++)
		for (j = 1; j <= nc; j++)
			overhead_row(wls[i], cfgs[j], name[cfgs[j]])

	ev_read = other["read_events"]
	text_eps = eps_of(ev_read, other["dump_text_ns"])
	replay_eps = eps_of(ev_read, other["replay_load_ns"] + other["replay_apply_ns"])
	# the headless replay is `replay --headless` where this forkscope has it, else replay_bench
	headless = "headless_ns" in other
	headless_eps = headless ? eps_of(ev_read, other["headless_ns"]) : replay_eps
	frame_ms = other["frame_ns"] / 1e6
	big_rss = other["big_rss_kb"] / 1024
	big_bpe = (other["big_events"] > 0) ? other["big_bytes"] / other["big_events"] : 0
	print "\n### Reading side, the TUI and the recorder alone\n"
	print "| measurement | result |"
	print "|---|---|"
	read_row(sprintf("`forkscope dump` (text, to /dev/null), %d-event log, median of %d", ev_read,
			 other["read_reps"]), "dump_text")
	read_row("`forkscope dump --json` (to /dev/null), same log", "dump_json")
	if (headless)
		read_row("`forkscope replay --headless` (to /dev/null), same log", "headless")
	printf "| replay_bench: load the log into a session, apply every event to the model | %.0f events/s (load %.2f s = %.0f events/s, apply %.2f s = %.0f events/s) |\n",
		replay_eps, other["replay_load_ns"] / 1e9, eps_of(ev_read, other["replay_load_ns"]),
		other["replay_apply_ns"] / 1e9, eps_of(ev_read, other["replay_apply_ns"])
	printf "| TUI frame render (view_render, %s cells), %d processes alive | median %.3f ms, 95th percentile %.3f ms, first (cold) %.3f ms; curses output not included |\n",
		other["frame_size"], other["frame_procs"], frame_ms, other["frame_p95_ns"] / 1e6,
		other["frame_first_ns"] / 1e6
	printf "| %d-process session (vfork storm) | %d events, %d lost, peak RSS %.1f MiB, CPU %.2f s, %.0f B/event, %s events/s |\n",
		other["big_procs"], other["big_events"], other["big_lost"], big_rss, other["big_cpu_s"],
		big_bpe, rate(other["big_events"], other["big_loop_ns"])
	printf "| recorder start-up + shutdown (`record -- true`) | CPU %.3f s |\n", other["start_cpu_s"]
	printf "| recorder while the traced `sleep` does nothing | %.2f%% of a core |\n", other["record_idle_pct"]
	printf "| live TUI (`forkscope run -- sleep`) while nothing changes | %.2f%% of a core |\n", other["tui_idle_pct"]

	print "\n### Targets\n"
	print "| target | measured | verdict |"
	print "|---|---|---|"
	for (i = 1; i <= 2; i++) {
		w = i == 1 ? "fork_storm" : "exec_storm"
		printf "| %s, every probe on: ≤ 1.10× (stretch ≤ 1.05×) | %.2f× | %s%s |\n", w, slow[w, "forkscope"],
			verdict(slow[w, "forkscope"] <= 1.10, slow[w, "forkscope"] <= 1.05),
			quick ? " (QUICK: loops too short to judge)" : ""
	}
	split(exact_of["pingpong"], ex, "/")
	printf "| pingpong at full rate: 0 lost with the default ring buffer | max %d lost per run, %s events/s | %s |\n",
		lost_all["pingpong"], rate(eps_med["pingpong"], 1e9), verdict(lost_all["pingpong"] == 0, "")
	printf "| pingpong: per-channel bytes and messages exact | %s runs exact | %s |\n", exact_of["pingpong"],
		verdict(ex[2] > 0 && ex[1] == ex[2], "")
	printf "| dump ≥ 500,000 events/s (stretch 1,000,000) | %.0f events/s | %s |\n", text_eps,
		verdict(text_eps >= 500000, text_eps >= 1000000)
	printf "| headless replay ≥ 500,000 events/s (stretch 1,000,000) | %.0f events/s (%s) | %s |\n",
		headless_eps, headless ? "replay --headless" : "replay_bench load + apply",
		verdict(headless_eps >= 500000, headless_eps >= 1000000)
	printf "| log ≤ 120 bytes per event (fork storm) | %.0f B/event | %s |\n", bpe_med["fork_storm"],
		verdict(bpe_med["fork_storm"] <= 120, "")
	printf "| RSS ≤ 64 MiB for a 100k-process session | %.1f MiB (%d processes) | %s |\n", big_rss,
		other["big_procs"], verdict(big_rss <= 64, "")
	printf "| TUI ≤ 2 ms per frame, 2,000 processes | %.3f ms (%d processes) | %s |\n", frame_ms,
		other["frame_procs"], verdict(frame_ms > 0 && frame_ms <= 2 && other["frame_procs"] >= 2000, "")
	printf "| idle CPU ≤ 1%% of a core when nothing changes | TUI %.2f%%, recorder %.2f%% | %s |\n",
		other["tui_idle_pct"], other["record_idle_pct"], verdict(other["tui_idle_pct"] <= 1, "")
	printf "\nbenchmark wall time: %d s\n", other["bench_seconds"]
}

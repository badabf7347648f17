# SPDX-License-Identifier: GPL-2.0
# The benchmark's table from its raw results: machine.txt, results.tsv, other.tsv, probes.tsv
# (see bench.sh).
# Slowdown is paired: each traced run over the untraced run of the same pair; the probe costs
# come from probes.tsv (bpf_stats).

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

function quantile(a, n, q,    pos, lo) { # a[1..n] sorted
	pos = 1 + (n - 1) * q; lo = int(pos)
	return lo >= n ? a[n] : a[lo] + (pos - lo) * (a[lo + 1] - a[lo])
}

# The sorted ratios traced/untraced of the pairs of (wl, cfg) into r[1..n].
function pair_ratios(wl, cfg,    p) {
	n = 0
	for (p = 1; p <= maxpair; p++)
		if (loop[wl, cfg, p, "A"] > 0 && loop[wl, cfg, p, "B"] > 0)
			r[++n] = loop[wl, cfg, p, "B"] / loop[wl, cfg, p, "A"]
	sort_n(r, n)
}

function ratio_cell(wl, cfg,    b) {
	pair_ratios(wl, cfg)
	if (!n) return "no result"
	slow[wl, cfg] = quantile(r, n, 0.5); npairs[wl, cfg] = n
	b = cfg == "forkscope" ? "**" : ""
	return sprintf("%s%.2f%s (IQR %.2f–%.2f; %.2f–%.2f; %d pairs)", b, slow[wl, cfg], b,
		       quantile(r, n, 0.25), quantile(r, n, 0.75), r[1], r[n], n)
}

# Every untraced loop of wl, whichever tool's pair it belongs to: median, slowest/fastest.
function untraced_cell(wl,    n, v, p, c) {
	n = 0
	for (c = 1; c <= nc; c++)
		for (p = 1; p <= maxpair; p++)
			if (loop[wl, cfgs[c], p, "A"] > 0) v[++n] = loop[wl, cfgs[c], p, "A"] / 1e6
	if (!n) return "no result"
	sort_n(v, n)
	return sprintf("%.0f ms (slowest/fastest %.2f, %d runs)", quantile(v, n, 0.5), v[n] / v[1], n)
}

# forkscope's traced runs of wl: the medians of what its log says, the lost events of all of them.
function forkscope_row(wl,    p, n, ev, cpu, bpe, eps, lost_sum, rss_max, ex_yes, ex_n, k) {
	n = 0; lost_sum = 0; rss_max = 0; ex_yes = ex_n = 0
	for (p = 1; p <= maxpair; p++) {
		k = wl SUBSEP "forkscope" SUBSEP p SUBSEP "B"
		if (!(loop[k] > 0)) continue
		n++
		ev[n] = events[k]; cpu[n] = cpus[k]
		bpe[n] = events[k] > 0 ? bytes[k] / events[k] : 0
		eps[n] = events[k] / loop[k] * 1e9
		lost_sum += lost[k]
		if (rss[k] > rss_max) rss_max = rss[k]
		if (exact[k] != "-") { ex_n++; ex_yes += exact[k] == "yes" }
	}
	if (!n) { printf "| %s | no result | | | | | | |\n", wl; return }
	lost_all[wl] = lost_sum; bpe_med[wl] = median(bpe, n); eps_med[wl] = median(eps, n)
	exact_of[wl] = ex_yes "/" ex_n
	printf "| %s | %d | %d | %d | %.2f | %.1f | %.0f | %s%s |\n", wl, n, median(ev, n), lost_sum,
		median(cpu, n), rss_max / 1024, bpe_med[wl], rate(eps_med[wl], 1e9),
		ex_n ? "; exact counts " exact_of[wl] : ""
}

# One run's figure for program p: calls per op, ns per call (-1: never ran) or ns per op.
function run_value(wl, j, p, what) {
	if (what == "calls") return pc[wl, j, p] / pops[wl, j]
	if (what == "ns") return pc[wl, j, p] > 0 ? pt[wl, j, p] / pc[wl, j, p] : -1
	return pt[wl, j, p] / pops[wl, j]
}

function run_median(wl, p, what,    j, n, v, x) {
	n = 0
	for (j = 1; j <= preps[wl]; j++)
		if ((wl, j, p) in pt && (x = run_value(wl, j, p, what)) >= 0) v[++n] = x
	return n ? median(v, n) : 0
}

# The median over the runs of wl of all programs' time per op.
function run_total(wl,    i, j, n, v) {
	n = 0
	for (j = 1; j <= preps[wl]; j++) {
		v[++n] = 0
		for (i = 1; i <= nprog; i++) v[n] += pt[wl, j, prog[i]] / pops[wl, j]
	}
	return n ? median(v, n) : 0
}

function probe_cells(wl, p) {
	return sprintf("%.2f | %.0f | %.0f", run_median(wl, p, "calls"), run_median(wl, p, "ns"),
		       run_median(wl, p, "op"))
}

function probe_table(    i) {
	ptotal["fork_storm"] = run_total("fork_storm"); ptotal["pingpong"] = run_total("pingpong")
	printf "\n### Probe cost (kernel.bpf_stats_enabled=1; medians of %d runs: fork storm N=%s, ping-pong N=%s; lost %d)\n\n",
		preps["fork_storm"], pn["fork_storm"], pn["pingpong"], plost
	print "| program | verified insns | calls/fork | ns/call | ns/fork | calls/round trip | ns/call | ns/round trip |"
	print "|---|---|---|---|---|---|---|---|"
	for (i = 1; i <= nprog; i++)
		printf "| %s | %s | %s | %s |\n", prog[i], pinsns[prog[i]], probe_cells("fork_storm", prog[i]),
			probe_cells("pingpong", prog[i])
	printf "| **total** | | | | **%.2f µs** | | | **%.2f µs** |\n", ptotal["fork_storm"] / 1e3,
		ptotal["pingpong"] / 1e3
}

FNR == 1 { file++ }
file == 1 { print "- " $0; next }
file == 2 {
	split($0, f, "\t")
	k = f[1] SUBSEP f[2] SUBSEP f[3] SUBSEP f[4]
	loop[k] = f[5]; events[k] = f[6]; lost[k] = f[7]; cpus[k] = f[8]; rss[k] = f[9]; bytes[k] = f[10]
	exact[k] = f[11]
	if (f[3] > maxpair) maxpair = f[3]
	next
}
file == 3 { split($0, f, "\t"); other[f[1]] = f[2]; next }
file == 4 {
	split($0, f, "\t")
	if (!(f[3] in pinsns)) { prog[++nprog] = f[3]; pinsns[f[3]] = f[6] }
	pt[f[1], f[2], f[3]] = f[4]; pc[f[1], f[2], f[3]] = f[5]; pops[f[1], f[2]] = f[7]
	pn[f[1]] = f[7]; plost += f[8]
	if (f[2] > preps[f[1]]) preps[f[1]] = f[2]
}

END {
	nw = split(workloads, wls, " "); nc = split(configs, cfgs, " "); split(args, as, " ")
	for (i = 1; i <= nw; i++) arg[wls[i]] = as[i]
	name["forkscope"] = "forkscope record"; name["strace"] = "strace -f"
	name["bpftrace"] = "bpftrace (3 sched_process tps)"; name["forkstat"] = "forkstat"

	print "\n### Overhead: traced loop over the untraced loop of the same pair (median of the pairs; IQR; min–max)\n"
	printf "| workload | untraced loop |"
	for (j = 1; j <= nc; j++) printf " %s |", name[cfgs[j]]
	printf "\n|---|---|"
	for (j = 1; j <= nc; j++) printf "---|"
	print ""
	for (i = 1; i <= nw; i++) {
		printf "| %s N=%s | %s |", wls[i], arg[wls[i]], untraced_cell(wls[i])
		for (j = 1; j <= nc; j++) printf " %s |", ratio_cell(wls[i], cfgs[j])
		print ""
	}
	print "\n### forkscope's traced runs (medians; lost: all runs together)\n"
	print "| workload | runs | events | lost | forkscope CPU s | forkscope peak RSS MiB | log B/event | events/s |"
	print "|---|---|---|---|---|---|---|---|"
	for (i = 1; i <= nw; i++) forkscope_row(wls[i])
	probe_table()

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
	fs = slow["fork_storm", "forkscope"]; es = slow["exec_storm", "forkscope"]
	printf "| fork_storm, every probe on: ≤ 1.05× (median of %d pairs), 0 lost | %.2f×, %d lost | %s%s |\n",
		npairs["fork_storm", "forkscope"], fs, lost_all["fork_storm"],
		verdict(fs > 0 && fs <= 1.05 && lost_all["fork_storm"] == 0, ""),
		quick ? " (QUICK: loops too short to judge)" : ""
	printf "| exec_storm, every probe on: ≤ 1.10× (stretch ≤ 1.05×) | %.2f× | %s%s |\n", es,
		verdict(es > 0 && es <= 1.10, es <= 1.05), quick ? " (QUICK: loops too short to judge)" : ""
	printf "| ping-pong probe cost ≤ 3 µs per round trip (bpf_stats) | %.2f µs | %s |\n",
		ptotal["pingpong"] / 1e3, verdict(ptotal["pingpong"] > 0 && ptotal["pingpong"] <= 3000, "")
	split(exact_of["pingpong"], ex, "/")
	printf "| pingpong at full rate: 0 lost with the default ring buffer | %d lost in all runs, %s events/s | %s |\n",
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

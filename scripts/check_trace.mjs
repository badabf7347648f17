// SPDX-License-Identifier: GPL-2.0
// Reads a Perfetto/Chrome JSON trace with Chrome DevTools' trace engine and prints, as JSON, what it understood.
//
//   node scripts/check_trace.mjs [--engine DIR] TRACE.json
//
// DIR is the @paulirish/trace_engine package (default: build/npm/node_modules/@paulirish/trace_engine,
// which `make check-trace` installs). The summary goes to stdout; the exit status is 1 when the engine
// ignored an event, dropped a slice from its tree, saw state slices overlap, left a flow event
// unbound or warned, with the reasons on stderr; 2 for a usage error or a trace it could not read.
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

// The engine calls URL.parse (Node >= 20.18); Debian 12's Node 18 lacks it. Same semantics: null, not a throw.
if (typeof URL.parse !== 'function')
  URL.parse = (url, base) => { try { return new URL(url, base); } catch { return null; } };

function usage(msg) {
  process.stderr.write(`check_trace: ${msg}\nusage: node scripts/check_trace.mjs [--engine DIR] TRACE.json\n`);
  process.exit(2);
}

function parseArgs(argv) {
  let engine = path.join(ROOT, 'build/npm/node_modules/@paulirish/trace_engine');
  let trace;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--engine' && i + 1 < argv.length)
      engine = argv[++i];
    else if (argv[i].startsWith('-'))
      usage(`unknown option ${argv[i]}`);
    else if (trace === undefined)
      trace = argv[i];
    else
      usage('one trace only');
  }
  if (trace === undefined)
    usage('no trace given');
  return {engine: path.resolve(engine), trace};
}

// The engine and its version; it expects a browser, so DOMRect comes from its own polyfill.
async function loadEngine(dir) {
  const pkg = path.join(dir, 'package.json');
  if (!fs.existsSync(pkg))
    usage(`no trace engine in ${dir} (run: make check-trace)`);
  const {version} = JSON.parse(fs.readFileSync(pkg, 'utf8'));
  const {polyfillDOMRect} = await import(pathToFileURL(path.join(dir, 'analyze-trace.mjs')).href);
  const Trace = await import(pathToFileURL(path.join(dir, 'models/trace/trace.js')).href);
  polyfillDOMRect();
  return {Trace, version};
}

// Parses the events with every handler, collecting what the engine says on the console meanwhile.
async function parse(Trace, events) {
  const said = [];
  const saved = {warn: console.warn, error: console.error};
  console.warn = (...a) => said.push(a.join(' '));
  console.error = console.warn;
  try {
    const model = Trace.TraceModel.Model.createWithAllHandlers();
    await model.parse(events, {metadata: {}, isFreshRecording: false});
    return {data: model.parsedTrace().data, said};
  } finally {
    Object.assign(console, saved);
  }
}

function bump(map, key) {
  map[key] = (map[key] ?? 0) + 1;
}

// State slices that begin before the previous one ends, as the engine computes the end (ts + dur).
function overlaps(entries) {
  const states = entries.filter(e => e.ph === 'X' && e.cat === 'state').sort((a, b) => a.ts - b.ts);
  let n = 0;
  for (let i = 1; i < states.length; i++) {
    if (states[i - 1].ts + states[i - 1].dur > states[i].ts)
      n++;
  }
  return n;
}

// One row per track the engine built: its process and thread names, what it holds, what it dropped.
function tracks(data, totals) {
  const rows = [];
  for (const [pid, proc] of data.Renderer.processes) {
    for (const [tid, thread] of proc.threads) {
      const row = {pid, tid, process: data.Meta.processNames.get(pid)?.args?.name ?? null,
                   thread: thread.name, slices: {}, instants: {}, dropped: 0, overlaps: overlaps(thread.entries)};
      for (const e of thread.entries) {
        bump(e.ph === 'X' ? row.slices : row.instants, e.cat);
        bump(e.ph === 'X' ? totals.slices : totals.instants, e.cat);
        if (!data.Renderer.entryToNode.has(e))
          row.dropped++;
      }
      rows.push(row);
    }
  }
  return rows;
}

// Each flow the engine linked: its category and the events at both ends.
function flows(data) {
  return data.Flows.flows.map(f => ({cat: f[0].cat, from: {pid: f[0].pid, name: f[0].name, ts: f[0].ts},
                                     to: {pid: f.at(-1).pid, name: f.at(-1).name, ts: f.at(-1).ts}, events: f.length}));
}

function problems(sum, input) {
  const out = [];
  const kept = Object.values(sum.totals.slices).concat(Object.values(sum.totals.instants)).reduce((a, b) => a + b, 0);
  if (kept !== input.drawn)
    out.push(`the engine kept ${kept} of the ${input.drawn} slices and instants`);
  for (const t of sum.tracks) {
    if (t.dropped)
      out.push(`track ${t.pid}: ${t.dropped} events left out of the tree (overlapping)`);
    if (t.overlaps)
      out.push(`track ${t.pid}: ${t.overlaps} state slices overlap`);
  }
  const bound = sum.flows.reduce((a, f) => a + f.events, 0);
  if (bound !== input.flowEvents)
    out.push(`${input.flowEvents} flow events bound to ${bound} events, in ${sum.flows.length} flows`);
  for (const s of sum.warnings)
    out.push(`engine: ${s}`);
  return out;
}

async function main() {
  const {engine, trace} = parseArgs(process.argv.slice(2));
  let json;
  try {
    json = JSON.parse(fs.readFileSync(trace, 'utf8'));
  } catch (err) {
    usage(`${trace}: ${err.message}`);
  }
  const events = json.traceEvents ?? json;
  const {Trace, version} = await loadEngine(engine);
  const {data, said} = await parse(Trace, events);
  const totals = {slices: {}, instants: {}};
  const sum = {engine: `@paulirish/trace_engine ${version}`, node: process.version,
               processes: [...data.Meta.processNames].map(([pid, e]) => ({pid, name: e.args.name})),
               tracks: tracks(data, totals), totals, flows: flows(data), warnings: said};
  for (const [event, warnings] of data.Warnings.perEvent)
    sum.warnings.push(`${warnings.join(',')} on ${event.name} at ${event.ts}`);
  const input = {drawn: events.filter(e => e.ph === 'X' || e.ph === 'I' || e.ph === 'i').length,
                 flowEvents: events.filter(e => e.ph === 's' || e.ph === 't' || e.ph === 'f').length};
  process.stdout.write(JSON.stringify(sum, null, 1) + '\n');
  const bad = problems(sum, input);
  for (const p of bad)
    process.stderr.write(`check_trace: ${p}\n`);
  process.exitCode = bad.length ? 1 : 0;
}

await main();

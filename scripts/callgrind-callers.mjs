#!/usr/bin/env node
// Who calls a native function in a callgrind file that bench-instructions.mjs kept (`--keep DIR`),
// with the JIT-compiled JavaScript named:
//
//   node scripts/callgrind-callers.mjs <callgrind.<pid>-01> <perf-<pid>.map> <pattern> [rows]
//
// prints the callers of the functions whose name matches <pattern> (a regular expression, such as
// `KeyedStoreIC_Megamorphic` or `Scavenge`), each with the instructions of its calls to them as a
// share of the thread's. Callgrind knows V8's builtins and runtime by name but JIT code only by
// address; node's --perf-basic-prof map gives each address range its function.
//
// Why: a count of instructions says how much a build does, not where; this is how round 33 found
// that async_hooks' promise hook, copying four storages onto every promise, was a tenth of a
// transition's instructions (docs/benchmarks.md).
import { readFileSync } from 'node:fs';

const [file, mapFile, pattern, rowsArgument] = process.argv.slice(2);
if (!file || !mapFile || !pattern) {
  console.error('usage: node scripts/callgrind-callers.mjs <callgrind file> <perf map> <pattern> [rows]');
  process.exit(2);
}
const rows = Number(rowsArgument) || 30;
const matches = new RegExp(pattern);

/** The map's ranges (start, size, name), by start. */
const ranges = readFileSync(mapFile, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => {
    const [start, size, ...name] = line.split(' ');
    return { start: parseInt(start, 16), end: parseInt(start, 16) + parseInt(size, 16), name: name.join(' ') };
  })
  .sort((a, b) => a.start - b.start);

function compiledFunctionAt(address) {
  let low = 0;
  let high = ranges.length - 1;
  let found;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (ranges[middle].start <= address) {
      found = ranges[middle];
      low = middle + 1;
    } else high = middle - 1;
  }
  return found && address < found.end ? `JS ${found.name}` : undefined;
}

// Callgrind's format compresses names: `fn=(12) name` the first time, `fn=(12)` after.
const names = new Map();
const nameOf = (spec) => {
  const [, id, name] = /^\((\d+)\)(?: (.*))?$/.exec(spec) ?? [];
  if (id === undefined) return spec;
  if (name !== undefined) names.set(id, /^0x[0-9a-f]+$/.test(name) ? (compiledFunctionAt(parseInt(name, 16)) ?? name) : name);
  return names.get(id);
};

let caller;
let callee;
let nextLineIsCall = false;
let total = 0;
const byCaller = new Map();
for (const line of readFileSync(file, 'utf8').split('\n')) {
  if (line.startsWith('fn=')) caller = nameOf(line.slice(3));
  else if (line.startsWith('cfn=')) callee = nameOf(line.slice(4));
  else if (line.startsWith('calls=')) nextLineIsCall = true;
  else if (/^[0-9+*-]/.test(line)) {
    const cost = Number(line.trim().split(/\s+/)[1] ?? 0);
    if (nextLineIsCall) {
      // A call's line carries the instructions of the call, the callee's included.
      if (matches.test(callee)) byCaller.set(caller, (byCaller.get(caller) ?? 0) + cost);
      nextLineIsCall = false;
    } else total += cost;
  }
}
for (const [name, cost] of [...byCaller].sort((a, b) => b[1] - a[1]).slice(0, rows)) {
  console.log(`${((cost / total) * 100).toFixed(2).padStart(6)} %  ${name}`);
}

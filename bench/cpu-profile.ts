/**
 * Summarises a V8 `.cpuprofile` (as `node --cpu-prof` writes, or the inspector's Profiler.stop returns): self time per function and per area
 * (this library's src/ files, OTel packages, the AWS signer, Node internals, GC, the workload generator),
 * for the "where the time goes" notes of RESULTS.md.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fmt } from './summary-stats.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMillis: number;
  functions: Array<{ name: string; where: string; millis: number }>;
  areas: Array<{ area: string; millis: number }>;
}

function shortPath(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) return path.slice(nm + 'node_modules/'.length);
  for (const root of ['/src/', '/bench/']) {
    const at = path.lastIndexOf(root);
    if (at >= 0) return path.slice(at + 1);
  }
  return path;
}

function areaOf(name: string, url: string): string {
  if (name === '(garbage collector)') return 'garbage collector';
  if (name === '(program)' || name === '(idle)' || name === '(root)') return `V8 ${name}`;
  const path = shortPath(url);
  if (path.startsWith('src/')) return `this library: ${path.split('/').slice(0, 2).join('/')}`;
  if (path.startsWith('bench/workload')) return 'workload generator (subtracted in the tables)';
  if (path.startsWith('bench/')) return 'benchmark harness';
  if (path.startsWith('@opentelemetry/')) return path.split('/').slice(0, 2).join('/');
  if (path.startsWith('@smithy/') || path.startsWith('@aws-')) return 'AWS signer (@smithy)';
  if (path.startsWith('node:') || url === '') return 'Node.js internals and natives';
  return path.split('/')[0] ?? path;
}

/** Reads one profile (a file, or the busiest of a directory's) and sums self time per function and per area. */
export async function summariseCpuProfile(path: string, top = 15): Promise<ProfileSummary> {
  // Node writes one profile per thread with --cpu-prof; tsx's module loader thread idles after loading.
  const files = path.endsWith('.cpuprofile')
    ? [path]
    : (await readdir(path)).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(path, f));
  let profile: CpuProfile | undefined;
  let busiest = -1;
  for (const file of files) {
    const candidate = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
    const idle = new Set(
      candidate.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id),
    );
    const busy = candidate.samples.reduce(
      (sum, id, i) => (idle.has(id) ? sum : sum + (candidate.timeDeltas[i] ?? 0)),
      0,
    );
    if (busy > busiest) [profile, busiest] = [candidate, busy];
  }
  if (profile === undefined) throw new Error(`no .cpuprofile at ${path}`);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMicros = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const functions = new Map<string, { name: string; where: string; millis: number }>();
  const areas = new Map<string, number>();
  let total = 0;
  for (const [id, micros] of selfMicros) {
    const frame = byId.get(id)?.callFrame;
    if (frame === undefined || frame.functionName === '(idle)') continue;
    total += micros;
    const name = frame.functionName || '(anonymous)';
    // Code run through tsx reports line 1 for everything; the file is what tells.
    const line = frame.lineNumber > 0 ? `:${frame.lineNumber + 1}` : '';
    const where = frame.url === '' ? '' : `${shortPath(frame.url)}${line}`;
    const key = `${name} ${where}`;
    const entry = functions.get(key) ?? { name, where, millis: 0 };
    entry.millis += micros / 1000;
    functions.set(key, entry);
    const area = areaOf(frame.functionName, frame.url);
    areas.set(area, (areas.get(area) ?? 0) + micros / 1000);
  }
  return {
    totalMillis: total / 1000,
    functions: [...functions.values()].sort((a, b) => b.millis - a.millis).slice(0, top),
    areas: [...areas.entries()]
      .map(([area, millis]) => ({ area, millis }))
      .sort((a, b) => b.millis - a.millis),
  };
}

/** Markdown tables of a summary. */
export function formatProfileSummary(summary: ProfileSummary): string {
  const pct = (millis: number) => `${fmt((millis / summary.totalMillis) * 100, 1)}%`;
  return [
    `Busy CPU in the profile: ${fmt(summary.totalMillis)} ms (idle excluded). Self time by area:`,
    '',
    '| area | self ms | share |',
    '|---|---:|---:|',
    ...summary.areas
      .filter((a) => a.millis / summary.totalMillis >= 0.005)
      .map((a) => `| ${a.area} | ${fmt(a.millis)} | ${pct(a.millis)} |`),
    '',
    'Top functions by self time:',
    '',
    '| function | where | self ms | share |',
    '|---|---|---:|---:|',
    ...summary.functions.map(
      (f) => `| \`${f.name}\` | ${f.where || '(native)'} | ${fmt(f.millis)} | ${pct(f.millis)} |`,
    ),
    '',
  ].join('\n');
}

/** Self time per area of several profiles side by side, in ms per 1,000 records. */
export function formatAreaComparison(
  columns: ReadonlyArray<{ label: string; summary: ProfileSummary; records: number }>,
): string {
  const areas = new Map<string, number>();
  for (const { summary } of columns)
    for (const { area, millis } of summary.areas) areas.set(area, (areas.get(area) ?? 0) + millis);
  const ordered = [...areas.entries()].sort((a, b) => b[1] - a[1]).map(([area]) => area);
  const cell = (c: (typeof columns)[number], area: string): string => {
    const millis = c.summary.areas.find((a) => a.area === area)?.millis ?? 0;
    return fmt((millis / c.records) * 1000, 1);
  };
  const visible = ordered.filter((area) =>
    columns.some(
      (c) => (c.summary.areas.find((a) => a.area === area)?.millis ?? 0) / c.summary.totalMillis >= 0.005,
    ),
  );
  return [
    `| area (self time, ms per 1,000 records) | ${columns.map((c) => c.label).join(' | ')} |`,
    `|---|${columns.map(() => '---:').join('|')}|`,
    ...visible.map((area) => `| ${area} | ${columns.map((c) => cell(c, area)).join(' | ')} |`),
    `| **total busy** | ${columns.map((c) => fmt((c.summary.totalMillis / c.records) * 1000, 1)).join(' | ')} |`,
    '',
  ].join('\n');
}

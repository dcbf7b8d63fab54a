/**
 * `npm run bench`: runs every benchmark in turn (side by side, core, emulator, bridge, and the spool's
 * when bench/spool.ts exists), writes bench/RESULTS.md with the machine, the versions, a targets table
 * gathered from all sections, and each section's tables, then prints it.
 * BENCH_QUICK=1 scales every count down for a run of about a minute and writes to the temp dir instead.
 * BENCH_ONLY=side-by-side,core,... runs only the named sections.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg, release, tmpdir, totalmem, type } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { FULL_OPTIONS, QUICK_OPTIONS, measureSideBySide } from './side-by-side.js';
import { formatSideBySide, type TargetRow } from './side-by-side-report.js';
import { fmt, passFail } from './summary-stats.js';

const quick = process.env['BENCH_QUICK'] === '1';
const only = process.env['BENCH_ONLY']?.split(',').map((s) => s.trim());
const wanted = (name: string): boolean => only === undefined || only.includes(name);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const execFileAsync = promisify(execFile);

function versionOf(name: string): string {
  try {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as {
      version: string;
    };
    return pkg.version;
  } catch {
    return 'not installed';
  }
}

function header(startedAt: Date, load: number[]): string {
  const cpu = cpus();
  const otel = [
    '@opentelemetry/api',
    '@opentelemetry/sdk-logs',
    '@opentelemetry/core',
    '@opentelemetry/exporter-logs-otlp-http',
    '@opentelemetry/otlp-transformer',
  ];
  return [
    '# Benchmark results',
    '',
    `Written by \`npm run bench\`${quick ? ' with BENCH_QUICK=1 (small counts: not for comparison)' : ''}; do not edit by hand. ` +
      '`BENCH_QUICK=1 npm run bench` runs every section with small counts (about a minute) and writes to the temp dir; ' +
      '`BENCH_ONLY=side-by-side,core,emulator,bridge,fleet,spool,durability` picks sections. Each section can also run alone: `npx tsx bench/<name>.ts`.',
    '',
    `- Date: ${startedAt.toISOString()}`,
    `- Machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ${fmt(totalmem() / 2 ** 30, 1)} GiB memory; ${type()} ${release()}`,
    `- Load average when the run started: ${load.map((l) => l.toFixed(2)).join(', ')} (other work on the machine makes figures noisy)`,
    `- Node.js ${process.version}`,
    `- OpenTelemetry: ${otel.map((name) => `${name} ${versionOf(name)}`).join(', ')}`,
    '',
  ].join('\n');
}

/** Pulls cells out of a markdown table row that starts with `prefix`. */
function rowsStartingWith(markdown: string, prefix: string): string[][] {
  return markdown
    .split('\n')
    .filter((line) => line.startsWith(prefix))
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
}

const number = (cell: string | undefined): number => Number((cell ?? '').replace(/[^0-9.]/g, ''));

interface Section {
  name: string;
  markdown: string;
  seconds: number;
}

async function section(name: string, run: () => Promise<string>): Promise<Section> {
  const started = performance.now();
  process.stderr.write(`[bench] ${name}...\n`);
  let markdown: string;
  try {
    markdown = await run();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    markdown = `## ${name}\n\nThis benchmark failed: ${message.split('\n')[0]}\n`;
    process.stderr.write(`[bench] ${name} failed: ${error instanceof Error ? error.stack : message}\n`);
  }
  const seconds = (performance.now() - started) / 1000;
  process.stderr.write(`[bench] ${name} took ${seconds.toFixed(0)} s\n`);
  // Other work on the machine slows every figure: each target shows the load its section ended under.
  const endLoad = loadavg()[0] ?? Number.NaN;
  for (const row of targets) row.load ??= endLoad;
  return { name, markdown, seconds };
}

const startedAt = new Date();
const load = loadavg();
const sections: Section[] = [];
const targets: TargetRow[] = [];
let oursRecordsPerSecond = Number.NaN;

if (wanted('side-by-side')) {
  sections.push(
    await section('side by side', async () => {
      const formatted = formatSideBySide(await measureSideBySide(quick ? QUICK_OPTIONS : FULL_OPTIONS));
      targets.push(...formatted.targets);
      oursRecordsPerSecond = formatted.oursRecordsPerSecond;
      return formatted.markdown;
    }),
  );
}
if (wanted('core')) {
  sections.push(
    await section('core', async () => {
      const { runCoreBench, CORE_ENTRY_ONLY_TARGET_RATIO } = await import('./core.js');
      const body = await runCoreBench(quick ? { durationMillis: 300 } : {});
      for (const cells of rowsStartingWith(body, '| ~')) {
        const ratio = number(cells[4]);
        targets.push({
          target: `In-process part ≥ 0.7x the floor (bench/core.ts, ${cells[0]} events)`,
          measured: `${ratio.toFixed(2)}x`,
          pass: ratio >= 0.7,
        });
        const [core, entryOnly] = [number(cells[2]), number(cells[6])];
        targets.push({
          target: `Core ≥ ${CORE_ENTRY_ONLY_TARGET_RATIO}x the entry-only column (bench/core.ts, ${cells[0]} events)`,
          measured: `${(core / entryOnly).toFixed(2)}x (${fmt(core)} vs ${fmt(entryOnly)} events/s)`,
          pass: core / entryOnly >= CORE_ENTRY_ONLY_TARGET_RATIO,
        });
      }
      return `## Core: map + validate + serialise + checksum + pack, in process\n\n${body}`;
    }),
  );
}
if (wanted('emulator')) {
  sections.push(
    await section('emulator', async () => {
      const { runEmulatorBench } = await import('./emulator.js');
      const body = await runEmulatorBench(quick ? { requests: 40, queryEvents: 5_000 } : {});
      const memory = rowsStartingWith(body, '| memory')[0];
      const rate = number(memory?.[memory.length - 1]);
      targets.push({
        target: "Emulator ingest rate ≥ 3x this exporter's end-to-end rate",
        measured: `${fmt(rate)} vs 3 x ${fmt(oursRecordsPerSecond)} events/s (${(rate / oursRecordsPerSecond).toFixed(1)}x)`,
        pass:
          Number.isFinite(rate) && Number.isFinite(oursRecordsPerSecond)
            ? rate >= 3 * oursRecordsPerSecond
            : undefined,
      });
      return body;
    }),
  );
}
if (wanted('bridge')) {
  sections.push(
    // In a process of its own: it reports this process's CPU and peak RSS, and /healthz under load,
    // which the heap earlier sections leave behind (an emulator's stored events) would distort.
    await section('bridge', async () => {
      const { stdout } = await execFileAsync(
        process.execPath,
        ['--expose-gc', '--import', 'tsx', join(ROOT, 'bench', 'bridge.ts'), '--json'],
        { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 },
      );
      const result = JSON.parse(stdout) as { markdown: string; targets: TargetRow[] };
      targets.push(...result.targets);
      return result.markdown;
    }),
  );
}
if (wanted('fleet')) {
  sections.push(
    await section('fleet', async () => {
      const { FULL_FLEET, QUICK_FLEET, formatFleet, measureFleet } = await import('./fleet.js');
      const formatted = formatFleet(await measureFleet(quick ? QUICK_FLEET : FULL_FLEET));
      targets.push(...formatted.targets);
      return formatted.markdown;
    }),
  );
}
if (wanted('spool') && existsSync(fileURLToPath(new URL('spool.ts', import.meta.url)))) {
  sections.push(
    await section('spool', async () => {
      const module = (await import(
        pathToFileURL(fileURLToPath(new URL('spool.ts', import.meta.url))).href
      )) as Record<string, unknown>;
      const run = Object.entries(module).find(
        ([name, value]) => /^run\w*Bench$/.test(name) && typeof value === 'function',
      )?.[1] as ((options?: object) => Promise<string>) | undefined;
      if (run === undefined) throw new Error('bench/spool.ts exports no run...Bench() function');
      return run(quick ? { quick: true } : {});
    }),
  );
}

if (wanted('durability')) {
  sections.push(
    await section('durability', async () => {
      const { runDurabilityBench } = await import('./durability.js');
      return runDurabilityBench(quick ? { quick: true } : {});
    }),
  );
}

const totalSeconds = sections.reduce((sum, s) => sum + s.seconds, 0);
const markdown = [
  header(startedAt, load),
  '## Targets',
  '',
  'Each target as the project set it, measured in this run. A FAIL is reported as measured, never adjusted; see the sections below for what limits it.',
  '',
  '| target | measured | load average (1 min) | result |',
  '|---|---|---:|---|',
  ...targets.map(
    (t) =>
      `| ${t.target} | ${t.measured} | ${t.load === undefined ? 'n/a' : t.load.toFixed(2)} | ${passFail(t.pass)} |`,
  ),
  '',
  ...sections.map((s) => s.markdown.trimEnd() + '\n'),
  `---\n\nSections took ${sections.map((s) => `${s.name} ${s.seconds.toFixed(0)} s`).join(', ')}; ${totalSeconds.toFixed(0)} s in all.\n`,
].join('\n');

// Only a complete full run replaces bench/RESULTS.md; quick and partial runs go to the temp dir.
const out =
  quick || only !== undefined
    ? join(tmpdir(), `otel-cloudtrail-lake-RESULTS.${quick ? 'quick' : 'partial'}.md`)
    : fileURLToPath(new URL('RESULTS.md', import.meta.url));
await writeFile(out, markdown);
console.log(markdown);
process.stderr.write(`[bench] written to ${out}\n`);

/**
 * The size sweep of the side-by-side benchmark: CPU per record and per eventData byte of this exporter,
 * the OTLP exporter and the floor at four record sizes, and a linear fit of fixed + per-byte cost.
 */
import type { SideBySideResults } from './side-by-side.js';
import { fmt } from './summary-stats.js';

/** CPU µs per record of a sweep run, net of generating the records. */
export function netCpuMicrosPerRecord(r: {
  cpuMicros: number;
  generationCpuMicros?: number;
  records: number;
}): number {
  return (r.cpuMicros - (r.generationCpuMicros ?? 0)) / r.records;
}

export function sweepSection(results: SideBySideResults): string[] {
  const { sizes, ours, otlp, floor, instantClient } = results.sweep;
  const net = netCpuMicrosPerRecord;
  const rows = sizes.map((size, i) => {
    const bytes = floor[i]?.meanEventDataBytes ?? Number.NaN;
    const cells = [ours[i], otlp[i], floor[i]].map((r) => (r === undefined ? Number.NaN : net(r)));
    return { size, bytes, cells };
  });
  // Marginal cost per byte between the two largest sizes, where per-record overheads matter least.
  const [big, bigger] = [rows[rows.length - 2], rows[rows.length - 1]];
  const verdicts = ['this exporter', 'OTLP', 'floor'].map((name, k) => {
    if (big === undefined || bigger === undefined) return `${name}: n/a`;
    const marginal = ((bigger.cells[k]! - big.cells[k]!) * 1000) / (bigger.bytes - big.bytes);
    const ratio = bigger.cells[k]! / bigger.bytes / (big.cells[k]! / big.bytes);
    const shape =
      ratio > 1.25
        ? 'rising (worse than linear)'
        : ratio < 0.8
          ? 'still falling (per-record overhead)'
          : 'flat';
    return `${name} ${fmt(marginal, 1)} ns per added byte, ns/byte from ${big.size.label} to ${bigger.size.label} ${shape}`;
  });
  const nsPerByte = (micros: number, bytes: number) => fmt((micros * 1000) / bytes, 1);
  // The share of a contender's CPU spent off the main thread, at each size ("n/a" off Linux).
  const offMain = (r: { cpuMicros: number; mainThreadCpuMicros?: number } | undefined): string =>
    r?.mainThreadCpuMicros === undefined || r.cpuMicros === 0
      ? 'n/a'
      : `${fmt((100 * (r.cpuMicros - r.mainThreadCpuMicros)) / r.cpuMicros, 0)}%`;
  const helperShares = sizes
    .map((size, i) => `${size.label} ${offMain(ours[i])} against ${offMain(otlp[i])}`)
    .join(', ');
  return [
    '### Cost per record against record size',
    '',
    'One run per size; CPU µs per record net of generation, and ns per eventData byte (mean eventData size of these records, from the floor):',
    '',
    '| size | records | eventData bytes | this exporter µs | ns/byte | OTLP µs | ns/byte | floor µs | ns/byte |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.size.label} | ${fmt(r.size.records)} | ${fmt(r.bytes)} | ${fmt(r.cells[0]!, 1)} | ${nsPerByte(r.cells[0]!, r.bytes)} | ${fmt(r.cells[1]!, 1)} | ${nsPerByte(r.cells[1]!, r.bytes)} | ${fmt(r.cells[2]!, 1)} | ${nsPerByte(r.cells[2]!, r.bytes)} |`,
    ),
    '',
    `Per-byte cost: ${verdicts.join('; ')}. Flat means within ±25%; the smallest size shows the fixed cost per record (this exporter packs 100 records per request, the API's limit; OTLP 512).`,
    `CPU spent off the main thread (V8's parallel and concurrent garbage collection and compilers, libuv's pool), as a share of the whole, this exporter against OTLP: ${helperShares}. The CPU profiles below sample the main thread alone, so this part does not show in them.`,
    ...(instantClient[0] === undefined || ours[0] === undefined
      ? []
      : [
          `At ${instantClient[0].label}, this exporter with a \`putAuditEvents\` client that answers at once (no signature, no HTTP exchange, no response to parse; everything else the same): ${fmt(net(instantClient[0]), 1)} µs per record, against ${fmt(net(ours[0]), 1)} µs through HTTP to the emulator.`,
        ]),
    `Lost records in the sweep: this exporter ${ours.reduce((s, r) => s + r.lost, 0)}, OTLP ${otlp.reduce((s, r) => s + r.lost, 0)}${instantClient[0] === undefined ? '' : `, this exporter with the instant client ${instantClient[0].lost}`}.`,
    '',
  ];
}

/**
 * The clients of the emulator's ingestion bench, in a process of their own: they build signed
 * PutAuditEvents requests of 100 ~1 kB events and send them from `concurrency` clients at once. Out of the
 * emulator's process so that signing, fetch and reading the answers do not take its event loop: the
 * bench measures what the emulator can ingest, as a separate exporter process would feed it.
 * Started by bench/emulator.ts with `{ url, channelArn, region }`; answers `ingest` with `ingested`.
 */
import { childMain, fromParent, toParent, type BenchMessage } from './bench-child.js';
import { INGEST_CREDENTIAL, requestBody } from './ingest-workload.js';
import { createPutAuditEventsSigner } from '../test/helpers/node-sha256.js';

export interface IngestTarget {
  url: string;
  channelArn: string;
  region: string;
}

export interface IngestRequest extends BenchMessage {
  type: 'ingest';
  requests: number;
  concurrency: number;
}

export interface IngestResult extends BenchMessage {
  type: 'ingested';
  millis: number;
  bodyBytes: number;
}

async function ingest(target: IngestTarget, requests: number, concurrency: number): Promise<IngestResult> {
  const sign = createPutAuditEventsSigner({
    endpoint: target.url,
    channelArn: target.channelArn,
    region: target.region,
    credentials: INGEST_CREDENTIAL,
  });
  const bodies = Array.from({ length: Math.min(requests, 20) }, (_, index) => requestBody(index * 100));
  // Signed before the clock starts: the signing is the client's work, not the emulator's.
  const signed = await Promise.all(bodies.map(async (body) => ({ body, ...(await sign(body)) })));
  let next = 0;
  let bodyBytes = 0;
  async function client(): Promise<void> {
    while (next < requests) {
      const { body, url, headers } = signed[next % signed.length]!;
      next += 1;
      bodyBytes += Buffer.byteLength(body);
      const response = await fetch(url, { method: 'POST', headers, body });
      const result = (await response.json()) as { successful?: unknown[] };
      if (response.status !== 200 || result.successful?.length !== 100)
        throw new Error(`bench request failed: ${response.status} ${JSON.stringify(result).slice(0, 200)}`);
    }
  }
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, () => client()));
  return { type: 'ingested', millis: performance.now() - started, bodyBytes };
}

childMain(async () => {
  const target = JSON.parse(process.argv[2]!) as IngestTarget;
  toParent({ type: 'ready' });
  for (;;) {
    const request = await fromParent<IngestRequest | BenchMessage>('ingest');
    toParent(await ingest(target, Number(request['requests']), Number(request['concurrency'])));
  }
});

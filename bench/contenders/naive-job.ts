/**
 * Contender 3, the naive client: what an application that calls the API itself per audit event does.
 * For each record, sequentially: build eventData, serialise it, checksum it, sign one PutAuditEvents
 * request with the AWS signer and send it over a keep-alive connection. No batching, no rate limit.
 */
import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import { toEventData } from '../../src/mapping/to-event-data.js';
import { fromParent, toParent } from '../bench-child.js';
import { BENCH_CREDENTIALS } from '../server-process.js';
import { toAuditLogRecord, workloadRecord, WORKLOAD_ACCOUNT_ID, WORKLOAD_SEED } from '../workload.js';
import { collectGarbage, generationCost, measure, peakRssBytes } from './drive.js';
import type { Endpoints } from './pipelines.js';
import type { PipelineResult } from './pipeline-job.js';
import { createPutAuditEventsSigner } from '../../test/helpers/node-sha256.js';

export interface NaiveJob {
  kind: 'naive';
  records: number;
  warmupRecords: number;
  endpoints: Endpoints;
}

export async function runNaiveJob(job: NaiveJob): Promise<PipelineResult> {
  const sign = createPutAuditEventsSigner({
    endpoint: job.endpoints.emulatorUrl,
    channelArn: job.endpoints.channelArn,
    region: job.endpoints.channelArn.split(':')[3]!,
    credentials: BENCH_CREDENTIALS,
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let failures = 0;

  async function put(index: number, seed: number): Promise<void> {
    const record = toAuditLogRecord(workloadRecord(index, seed));
    const id = randomUUID();
    const eventData = JSON.stringify(
      toEventData(record, id, { recipientAccountId: WORKLOAD_ACCOUNT_ID }, Date.now()),
    );
    const eventDataChecksum = createHash('sha256').update(eventData).digest('base64');
    const body = JSON.stringify({ auditEvents: [{ id, eventData, eventDataChecksum }] });
    const { url, headers } = await sign(body);
    const status = await new Promise<number>((resolve, reject) => {
      const request = http.request(url, { method: 'POST', agent, headers }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0)).on('error', reject);
      });
      request.on('error', reject);
      request.end(body);
    });
    if (status !== 200) failures += 1;
  }

  for (let i = 0; i < job.warmupRecords; i++) await put(i, WORKLOAD_SEED + 1);
  const generation = generationCost(job.records, (i) => workloadRecord(i));
  collectGarbage();
  toParent({ type: 'warmed' });
  await fromParent('go');
  const rssAtStartBytes = process.memoryUsage().rss;
  const before = failures;
  const run = await measure(async () => {
    for (let i = 0; i < job.records; i++) await put(i, WORKLOAD_SEED);
  });
  agent.destroy();
  return {
    records: job.records,
    cpuMicros: run.cpuMicros,
    generationCpuMicros: generation.cpuMicros,
    wallMillis: run.wallMillis,
    generationWallMillis: generation.wallMillis,
    peakRssBytes: peakRssBytes(),
    rssAtStartBytes,
    lost: failures - before,
    details: { requests: job.records },
  };
}

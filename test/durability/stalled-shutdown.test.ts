// Deadlines that hold: against an endpoint that accepts TCP connections and never answers, with 10,000
// records queued, `shutdown()` returns within the exporter's timeoutMillis plus a small margin, and the
// ledger accounts for every record (dropped `shutdown_deadline` with the memory spool, pending in a file
// spool). The margin is generous for a loaded CI machine; without the shared deadline it took minutes.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CloudTrailLakeLogExporter } from '../../src/cloudtrail-lake-log-exporter.js';
import { CloudTrailLakeLogRecordProcessor } from '../../src/cloudtrail-lake-log-record-processor.js';
import type { SpoolOption } from '../../src/spool/resolve-spool.js';
import { auditAttributes, TEST_CREDENTIALS } from '../helpers/audit-pipeline.js';
import { captureDiag, type CapturedDiag } from '../helpers/capture-diag.js';

const RECORDS = 10_000;
const TIMEOUT_MILLIS = 1_000;
/** Room for a busy 2-core machine on top of the deadline; the processor itself allows 100 ms. */
const MARGIN_MILLIS = 2_000;

let server: Server;
let url: string;
const sockets = new Set<Socket>();
let diag: CapturedDiag;
let directory: string | undefined;

beforeEach(async () => {
  diag = captureDiag();
  // Accepts every connection and never answers.
  server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
});
afterEach(async () => {
  diag.restore();
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
  directory = undefined;
});

async function queueAndShutDown(spool?: SpoolOption) {
  const exporter = new CloudTrailLakeLogExporter(
    {
      channelArn: 'arn:aws:cloudtrail:us-east-1:123456789012:channel/stalled',
      endpoint: url,
      credentials: TEST_CREDENTIALS,
      timeoutMillis: TIMEOUT_MILLIS,
    },
    {},
  );
  const processor = new CloudTrailLakeLogRecordProcessor(
    { exporter, scheduledDelayMillis: 600_000, ...(spool === undefined ? {} : { spool }) },
    {},
  );
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'stalled-tests' }),
    processors: [processor],
  });
  const logger = provider.getLogger('stalled');
  for (let n = 0; n < RECORDS; n++) {
    logger.emit({ attributes: auditAttributes(n) as Record<string, string> });
  }
  const started = Date.now();
  await provider.shutdown();
  return { processor, tookMillis: Date.now() - started };
}

describe('shutdown against a stalled endpoint', () => {
  it('returns within timeoutMillis and counts what it could not send as shutdown_deadline', async () => {
    const { processor, tookMillis } = await queueAndShutDown();
    expect(tookMillis).toBeLessThan(TIMEOUT_MILLIS + MARGIN_MILLIS);
    expect(processor.stats.ledger).toMatchObject({
      taken: RECORDS,
      accepted: 0,
      rejected: 0,
      dropped: RECORDS,
      pending: 0,
    });
    expect(processor.stats.ledger.droppedByReason.shutdown_deadline).toBe(RECORDS);
    expect(
      diag.matching('warn', new RegExp(`dropped ${RECORDS} audit record\\(s\\).*shutdown_deadline`)),
    ).toHaveLength(1);
  }, 30_000);

  it('leaves what it could not send in a file spool, reported as pending', async () => {
    directory = mkdtempSync(join(tmpdir(), 'ctl-stalled-'));
    const { processor, tookMillis } = await queueAndShutDown({ directory, fsync: 'never' });
    expect(tookMillis).toBeLessThan(TIMEOUT_MILLIS + MARGIN_MILLIS);
    expect(processor.stats.ledger).toMatchObject({ taken: RECORDS, dropped: 0, pending: RECORDS });
    expect(
      diag.matching('warn', new RegExp(`left ${RECORDS} audit record\\(s\\) in the spool`)),
    ).toHaveLength(1);
  }, 30_000);
});

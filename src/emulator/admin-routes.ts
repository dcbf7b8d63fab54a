import type { IncomingMessage, ServerResponse } from 'node:http';
import { CloudTrailLakeError } from '../errors.js';
import { validateFaults } from './faults.js';
import type { Emulator } from './start-emulator.js';

/**
 * The emulator's own endpoints, under `/_emulator/` (no signature: they exist for tests and the CLI on
 * loopback). GET health, stats, events, faults; POST faults (JSON faults, `?seed=` optional), query
 * (`{"sql": "..."}` or a text/plain body), reset-stats.
 */

const MAX_ADMIN_BODY_BYTES = 1_048_576;

async function readText(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > MAX_ADMIN_BODY_BYTES)
      throw new Error(`admin request body is above ${MAX_ADMIN_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, statusCode: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(statusCode, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

function badRequest(response: ServerResponse, message: string): void {
  send(response, 400, { __type: 'ValidationException', message });
}

export async function handleAdminRequest(
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  emulator: Emulator,
): Promise<void> {
  const route = `${request.method ?? 'GET'} ${path}`;
  switch (route) {
    case 'GET /_emulator/health':
      return send(response, 200, {
        status: 'ok',
        url: emulator.url,
        region: emulator.region,
        channelArn: emulator.channelArn,
        storedEvents: emulator.events().length,
      });
    case 'GET /_emulator/stats':
      return send(response, 200, emulator.stats);
    case 'GET /_emulator/events':
      return send(response, 200, { events: emulator.events() });
    case 'GET /_emulator/faults':
      return send(response, 200, emulator.faults);
    case 'POST /_emulator/reset-stats':
      emulator.resetStats();
      return send(response, 200, { status: 'ok' });
    case 'POST /_emulator/faults': {
      let faults;
      try {
        faults = validateFaults(JSON.parse((await readText(request)) || '{}'));
      } catch (error) {
        return badRequest(response, (error as Error).message);
      }
      const seedText = new URL(request.url ?? '/', 'http://emulator').searchParams.get('seed');
      const seed = seedText === null ? undefined : Number(seedText);
      if (seed !== undefined && !Number.isInteger(seed))
        return badRequest(response, `Expected \`seed\` to be an integer, got \`${seedText}\``);
      emulator.setFaults(faults, seed);
      return send(response, 200, emulator.faults);
    }
    case 'POST /_emulator/query': {
      const text = await readText(request);
      let sql = text;
      if ((request.headers['content-type'] ?? '').includes('json')) {
        try {
          const value = (JSON.parse(text) as { sql?: unknown }).sql;
          sql = typeof value === 'string' ? value : '';
        } catch {
          return badRequest(response, 'Expected a JSON body {"sql": "..."}');
        }
      }
      if (sql.trim() === '') return badRequest(response, 'Expected `sql` to be a non-empty SQL statement');
      try {
        return send(response, 200, { rows: await emulator.query(sql) });
      } catch (error) {
        const message =
          error instanceof CloudTrailLakeError || error instanceof Error ? error.message : String(error);
        return badRequest(response, message);
      }
    }
    default:
      return send(response, 404, {
        __type: 'UnknownOperationException',
        message: `No emulator endpoint at ${route}.`,
      });
  }
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { CLOUDTRAIL_DATA_SIGNING_NAME } from '../limits.js';
import { AwsError } from './aws-error.js';
import { CONTROL_PLANE_SIGNING_NAME } from './control-plane/control-plane-route.js';
import { validateFaults } from './faults.js';
import {
  type AdminAuthOptions,
  authorizeAdmin,
  checkContentType,
  checkHostAndOrigin,
  readBodyWithin,
} from './http-guard.js';
import { sendAwsError, sendJson } from './http-response.js';
import type { Emulator } from './start-emulator.js';

/**
 * The emulator's own endpoints, under `/_emulator/`: GET health, stats, events, faults; POST faults
 * (JSON faults, `?seed=` optional), reset-stats, and query (`{"sql": "..."}`, an alias of StartQuery,
 * waiting for the query and answering its rows as `emulator.query()` does). Every request passes the
 * Host/Origin checks; POST bodies must be `application/json`. With credentials configured, everything
 * but health needs a SigV4 signature (as on the data plane) or `Authorization: Bearer <admin token>`.
 */
export interface AdminRouteDeps {
  emulator: Emulator;
  hosts: () => ReadonlySet<string>;
  auth: () => Omit<AdminAuthOptions, 'services' | 'openWithoutCredentials'>;
  maxBodyBytes: number;
}

function badRequest(message: string): AwsError {
  return new AwsError('ValidationException', message);
}

async function answer(request: IncomingMessage, path: string, deps: AdminRouteDeps): Promise<unknown> {
  const { emulator } = deps;
  const route = `${request.method ?? 'GET'} ${path}`;
  const post = request.method === 'POST';
  if (post) checkContentType(request, ['application/json']);
  const body = post ? await readBodyWithin(request, deps.maxBodyBytes) : Buffer.alloc(0);
  if (route !== 'GET /_emulator/health')
    authorizeAdmin(request, body, {
      ...deps.auth(),
      services: [CLOUDTRAIL_DATA_SIGNING_NAME, CONTROL_PLANE_SIGNING_NAME],
      openWithoutCredentials: true,
    });
  const json = (): unknown => {
    try {
      return body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      throw badRequest('Expected a JSON body.');
    }
  };
  switch (route) {
    case 'GET /_emulator/health':
      return {
        status: 'ok',
        url: emulator.url,
        region: emulator.region,
        channelArn: emulator.channelArn,
        storedEvents: emulator.events().length,
      };
    case 'GET /_emulator/stats':
      return emulator.stats;
    case 'GET /_emulator/events':
      return { events: emulator.events() };
    case 'GET /_emulator/faults':
      return emulator.faults;
    case 'POST /_emulator/reset-stats':
      emulator.resetStats();
      return { status: 'ok' };
    case 'POST /_emulator/faults': {
      let faults;
      try {
        faults = validateFaults(json());
      } catch (error) {
        throw badRequest((error as Error).message);
      }
      const seedText = new URL(request.url ?? '/', 'http://emulator').searchParams.get('seed');
      const seed = seedText === null ? undefined : Number(seedText);
      if (seed !== undefined && !Number.isInteger(seed))
        throw badRequest(`Expected \`seed\` to be an integer, got \`${seedText}\``);
      emulator.setFaults(faults, seed);
      return emulator.faults;
    }
    case 'POST /_emulator/query': {
      const sql = (json() as { sql?: unknown }).sql;
      if (typeof sql !== 'string' || sql.trim() === '')
        throw badRequest('Expected a JSON body {"sql": "..."} with a non-empty statement.');
      return { rows: await emulator.query(sql) };
    }
    default:
      throw new AwsError('UnknownOperationException', `No emulator endpoint at ${route}.`);
  }
}

export async function handleAdminRequest(
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  deps: AdminRouteDeps,
): Promise<void> {
  try {
    checkHostAndOrigin(request, deps.hosts());
    sendJson(response, 200, await answer(request, path, deps));
  } catch (error) {
    if (!(error instanceof AwsError)) throw error;
    if (error.type === 'RequestEntityTooLargeException') response.setHeader('connection', 'close');
    sendAwsError(response, error);
  }
}

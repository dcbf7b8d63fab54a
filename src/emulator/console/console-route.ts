import type { IncomingMessage, ServerResponse } from 'node:http';
import { CLOUDTRAIL_DATA_SIGNING_NAME } from '../../limits.js';
import type { AdminRouteDeps } from '../admin-routes.js';
import { AwsError } from '../aws-error.js';
import { CONTROL_PLANE_SIGNING_NAME } from '../control-plane/control-plane-route.js';
import { authorizeAdmin, checkHostAndOrigin } from '../http-guard.js';
import { getConsoleAsset, isConsoleAssetName } from './console-assets.js';
import { countEventsPerMinute, TIMELINE_MAX_RANGE_MILLIS } from './event-timeline.js';
import { listRejections } from './rejected-events.js';

/**
 * The browser console: `GET /` is its page, `GET /console/<file>` its fixed set of static files, and
 * `GET /console/api/*` the read-only data its views poll (events since a cursor, rejections, the
 * per-minute timeline, the session). Stats and queries go through `/_emulator/stats` and the CloudTrail API.
 */

/** Most events one `/console/api/events` answer carries; a console keeps about this many. */
export const CONSOLE_EVENTS_MAX_PAGE = 1_000;

// Scripts and styles come only from this server, never inline, and no other site may frame the page.
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
} as const;

/** True for the requests the console answers: GET of `/` and of anything under `/console/`. */
export function isConsoleRequest(method: string | undefined, path: string): boolean {
  return method === 'GET' && (path === '/' || path.startsWith('/console/'));
}

function send(response: ServerResponse, statusCode: number, body: Buffer | string, type: string): void {
  response.writeHead(statusCode, {
    ...SECURITY_HEADERS,
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  response.end(body);
}

function sendJson(response: ServerResponse, statusCode: number, body: unknown): void {
  send(response, statusCode, JSON.stringify(body), 'application/json');
}

function sendError(response: ServerResponse, statusCode: number, type: string, message: string): void {
  sendJson(response, statusCode, { __type: type, message });
}

/** Reads an integer query parameter, or returns the message naming the parameter, its range and value. */
function integerParam(
  query: URLSearchParams,
  name: string,
  min: number,
  max: number,
  fallback?: number,
): number | string {
  const text = query.get(name);
  if (text === null && fallback !== undefined) return fallback;
  const value = Number(text);
  if (text === null || text === '' || !Number.isInteger(value) || value < min || value > max)
    return `Expected \`${name}\` to be an integer from ${min} to ${max}, got \`${text ?? 'nothing'}\``;
  return value;
}

function answerData(
  response: ServerResponse,
  path: string,
  query: URLSearchParams,
  deps: AdminRouteDeps,
): void {
  const { emulator } = deps;
  switch (path) {
    case '/console/api/session':
      // Without configured credentials the control plane takes any well-formed signature, so the admin
      // token grants this page nothing more; handing it over spares the developer a prompt. With
      // credentials the page must be given the token (it was printed at start).
      return sendJson(
        response,
        200,
        deps.auth().credentials.length === 0 ? { adminToken: deps.auth().adminToken } : {},
      );
    case '/console/api/events': {
      const after = integerParam(query, 'after', 0, Number.MAX_SAFE_INTEGER, 0);
      const limit = integerParam(query, 'limit', 1, CONSOLE_EVENTS_MAX_PAGE, CONSOLE_EVENTS_MAX_PAGE);
      if (typeof after === 'string') return sendError(response, 400, 'ValidationException', after);
      if (typeof limit === 'string') return sendError(response, 400, 'ValidationException', limit);
      const events = emulator.events();
      // A cursor past the end means the store is not the one the page saw (a restart): start over.
      const start = after > events.length ? 0 : Math.max(after, events.length - limit);
      return sendJson(response, 200, { total: events.length, from: start, events: events.slice(start) });
    }
    case '/console/api/rejected':
      return sendJson(response, 200, { ...listRejections(emulator.received()), stats: emulator.stats });
    case '/console/api/timeline': {
      const toMillis = integerParam(query, 'toMillis', 0, Number.MAX_SAFE_INTEGER);
      if (typeof toMillis === 'string') return sendError(response, 400, 'ValidationException', toMillis);
      const fromMillis = integerParam(
        query,
        'fromMillis',
        toMillis - TIMELINE_MAX_RANGE_MILLIS,
        toMillis - 1,
      );
      if (typeof fromMillis === 'string') return sendError(response, 400, 'ValidationException', fromMillis);
      return sendJson(response, 200, countEventsPerMinute(emulator.events(), fromMillis, toMillis));
    }
    default:
      return sendError(response, 404, 'ResourceNotFoundException', `The console has no data at ${path}.`);
  }
}

/**
 * Answers one console request (see {@link isConsoleRequest}). Every request passes the emulator's
 * Host and Origin checks; the data endpoints also need what `/_emulator/*` needs: with credentials
 * configured, `Authorization: Bearer <admin token>` (or a SigV4 signature).
 */
export async function handleConsoleRequest(
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  deps: AdminRouteDeps,
): Promise<void> {
  try {
    checkHostAndOrigin(request, deps.hosts());
    if (path.startsWith('/console/api/')) {
      authorizeAdmin(request, Buffer.alloc(0), {
        ...deps.auth(),
        services: [CLOUDTRAIL_DATA_SIGNING_NAME, CONTROL_PLANE_SIGNING_NAME],
        openWithoutCredentials: true,
      });
      const query = new URL(request.url ?? '/', 'http://emulator').searchParams;
      return answerData(response, path, query, deps);
    }
  } catch (error) {
    if (error instanceof AwsError) return sendError(response, error.statusCode, error.type, error.message);
    throw error;
  }
  const name = path === '/' || path === '/console/' ? 'index.html' : path.slice('/console/'.length);
  if (!isConsoleAssetName(name))
    return sendError(response, 404, 'ResourceNotFoundException', `The console has no file at ${path}.`);
  const asset = await getConsoleAsset(name);
  send(response, 200, asset.body, asset.contentType);
}

import { computeSignature, sha256Hex, SIGV4_ALGORITHM } from '../sigv4-canonical.js';
import {
  CONTROL_PLANE_CONTENT_TYPE,
  CONTROL_PLANE_SIGNING_NAME,
  CONTROL_PLANE_TARGET_PREFIX,
} from './control-plane-route.js';

/**
 * A small client of the emulator's control plane for the CLI: AWS JSON 1.1 requests signed with SigV4
 * for `cloudtrail` (or carrying the admin token), and a Lake query run to the end with StartQuery,
 * GetQueryResults and its NextToken pages. The AWS SDK's CloudTrail client would do the same with
 * a dependency of several megabytes.
 */
export interface ControlPlaneClientOptions {
  endpoint: string;
  region: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined };
  /** Used instead of a signature when given. */
  adminToken?: string | undefined;
}

/** An error answer of the control plane, with the AWS exception name. */
export class ControlPlaneError extends Error {
  override readonly name = 'ControlPlaneError';
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(`${type}: ${message}`);
  }
}

/** How often a running query is asked for its results. */
const QUERY_POLL_MILLIS = 100;

function amzDateOf(millis: number): string {
  return new Date(millis)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

export function createControlPlaneClient(options: ControlPlaneClientOptions) {
  const endpoint = new URL('/', options.endpoint);
  async function call<T = Record<string, unknown>>(
    operation: string,
    input: Record<string, unknown>,
  ): Promise<T> {
    const body = JSON.stringify(input);
    const headers: Record<string, string> = {
      host: endpoint.host,
      'content-type': CONTROL_PLANE_CONTENT_TYPE,
      'x-amz-target': `${CONTROL_PLANE_TARGET_PREFIX}${operation}`,
    };
    if (options.adminToken !== undefined) headers['authorization'] = `Bearer ${options.adminToken}`;
    else {
      const credentials = options.credentials ?? { accessKeyId: 'emulator', secretAccessKey: 'emulator' };
      const amzDate = amzDateOf(Date.now());
      headers['x-amz-date'] = amzDate;
      if (credentials.sessionToken !== undefined) headers['x-amz-security-token'] = credentials.sessionToken;
      const signedHeaders = Object.keys(headers).sort();
      const scope: [string, string, string, string] = [
        amzDate.slice(0, 8),
        options.region,
        CONTROL_PLANE_SIGNING_NAME,
        'aws4_request',
      ];
      const signature = computeSignature({
        method: 'POST',
        url: '/',
        signedHeaders,
        headerValue: (name) => headers[name],
        payloadHash: sha256Hex(body),
        amzDate,
        scope,
        secretAccessKey: credentials.secretAccessKey,
      });
      headers['authorization'] =
        `${SIGV4_ALGORITHM} Credential=${credentials.accessKeyId}/${scope.join('/')}, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`;
    }
    delete headers['host'];
    const response = await fetch(endpoint, { method: 'POST', headers, body });
    const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok) {
      const rawType = answer['__type'];
      // The JSON protocol may prefix the name with its namespace (`...#Name`).
      const type = (typeof rawType === 'string' ? rawType : `HTTP ${response.status}`).split('#').at(-1)!;
      const message = answer['message'] ?? answer['Message'];
      throw new ControlPlaneError(type, typeof message === 'string' ? message : '');
    }
    return answer as T;
  }

  /** Runs a Lake query to the end; rows as objects of column name to string (or null). */
  async function query(sql: string): Promise<Array<Record<string, string | null>>> {
    const { QueryId } = await call<{ QueryId: string }>('StartQuery', { QueryStatement: sql });
    const rows: Array<Record<string, string | null>> = [];
    let nextToken: string | undefined;
    for (;;) {
      const page = await call<{
        QueryStatus: string;
        QueryResultRows?: Array<Array<Record<string, string | null>>>;
        NextToken?: string;
        ErrorMessage?: string;
      }>('GetQueryResults', nextToken === undefined ? { QueryId } : { QueryId, NextToken: nextToken });
      if (page.QueryStatus === 'QUEUED' || page.QueryStatus === 'RUNNING') {
        await new Promise((resolve) => setTimeout(resolve, QUERY_POLL_MILLIS));
        continue;
      }
      if (page.QueryStatus !== 'FINISHED')
        throw new ControlPlaneError(page.QueryStatus, page.ErrorMessage ?? `query ${QueryId} did not finish`);
      for (const row of page.QueryResultRows ?? [])
        rows.push(Object.assign({}, ...row) as Record<string, string | null>);
      nextToken = page.NextToken;
      if (nextToken === undefined) return rows;
    }
  }

  return { call, query };
}

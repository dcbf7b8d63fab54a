/**
 * Runs a Lake SQL query through CloudTrail's own API, as the AWS SDKs do: StartQuery, then
 * GetQueryResults until the query is FINISHED, following NextToken. The API is AWS JSON 1.1
 * (`X-Amz-Target: com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.<Operation>`, as botocore sends it), signed with SigV4 for the service `cloudtrail`
 * (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_StartQuery.html). Works against the
 * real service and against the local Lake alike.
 */
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { CloudTrailLakeError, ERROR_CODES } from '../errors.js';
import { NodeSha256 } from '../internal/node-sha256.js';
import type { LakeQuery } from './verify-receipts-in-lake.js';

const TARGET_PREFIX = 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.';
/** GetQueryResults' largest page (MaxQueryResults is 1 to 1,000). */
const MAX_QUERY_RESULTS = 1000;
const POLL_MILLIS = 200;

export interface CloudTrailLakeQueryOptions {
  /** The CloudTrail endpoint. @default https://cloudtrail.<region>.amazonaws.com */
  endpointUrl?: string;
  region: string;
  /** Longest a query may take before it is given up on, in milliseconds. @default 300000 */
  timeoutMillis?: number;
}

interface QueryResultsPage {
  QueryStatus?: string;
  QueryResultRows?: Array<Array<Record<string, string | null>>>;
  NextToken?: string;
  ErrorMessage?: string;
}

export function createCloudTrailLakeQuery(options: CloudTrailLakeQueryOptions): LakeQuery {
  const endpoint = new URL(options.endpointUrl ?? `https://cloudtrail.${options.region}.amazonaws.com`);
  const signer = new SignatureV4({
    service: 'cloudtrail',
    region: options.region,
    credentials: defaultProvider(), // the AWS SDK's default chain: env, profile, SSO, container, instance
    sha256: NodeSha256,
  });

  async function call<T>(operation: string, input: object): Promise<T> {
    const body = JSON.stringify(input);
    const request = new HttpRequest({
      method: 'POST',
      protocol: endpoint.protocol,
      hostname: endpoint.hostname,
      ...(endpoint.port === '' ? {} : { port: Number(endpoint.port) }),
      path: endpoint.pathname,
      headers: {
        host: endpoint.host,
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `${TARGET_PREFIX}${operation}`,
      },
      body,
    });
    const signed = await signer.sign(request);
    const response = await fetch(endpoint, { method: 'POST', headers: signed.headers, body });
    const text = await response.text();
    if (!response.ok) {
      let type = response.headers.get('x-amzn-errortype') ?? '';
      let message = text;
      try {
        const parsed = JSON.parse(text) as { __type?: string; message?: string; Message?: string };
        type ||= parsed.__type ?? '';
        message = parsed.message ?? parsed.Message ?? text;
      } catch {
        // Not JSON: keep the text.
      }
      throw new CloudTrailLakeError(
        ERROR_CODES.EXPORT_FAILED,
        `CloudTrail ${operation} failed with ${response.status} ${type.split(':')[0] ?? ''}: ${message}`,
      );
    }
    return JSON.parse(text) as T;
  }

  return async (sql) => {
    const { QueryId } = await call<{ QueryId: string }>('StartQuery', { QueryStatement: sql });
    const deadline = Date.now() + (options.timeoutMillis ?? 300_000);
    const rows: Array<Record<string, string | null>> = [];
    let nextToken: string | undefined;
    for (;;) {
      const page = await call<QueryResultsPage>('GetQueryResults', {
        QueryId,
        MaxQueryResults: MAX_QUERY_RESULTS,
        ...(nextToken === undefined ? {} : { NextToken: nextToken }),
      });
      const status = page.QueryStatus ?? 'FINISHED';
      if (status === 'QUEUED' || status === 'RUNNING') {
        if (Date.now() > deadline)
          throw new CloudTrailLakeError(ERROR_CODES.EXPORT_FAILED, `Query ${QueryId} did not finish in time`);
        await new Promise((resolve) => setTimeout(resolve, POLL_MILLIS));
        continue;
      }
      if (status !== 'FINISHED') {
        throw new CloudTrailLakeError(
          ERROR_CODES.EXPORT_FAILED,
          `Query ${QueryId} ended ${status}: ${page.ErrorMessage ?? ''}`,
        );
      }
      for (const row of page.QueryResultRows ?? [])
        rows.push(Object.assign({}, ...row) as Record<string, string | null>);
      nextToken = page.NextToken;
      if (nextToken === undefined) return rows;
    }
  };
}

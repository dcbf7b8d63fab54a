import type { IncomingMessage, ServerResponse } from 'node:http';
import { AwsError } from '../aws-error.js';
import {
  type AdminAuthOptions,
  authorizeAdmin,
  checkContentType,
  checkHostAndOrigin,
  readBodyWithin,
} from '../http-guard.js';
import { sendAwsError, sendJson } from '../http-response.js';
import { channelOperations } from './channel-operations.js';
import type { Input } from './control-input.js';
import { type ControlContext, eventDataStoreOperations } from './event-data-store-operations.js';
import type { QueryOperations } from './query-operations.js';

/**
 * CloudTrail's control plane in the AWS JSON 1.1 protocol, as botocore's `cloudtrail` model
 * (2013-11-01) describes it: `POST /`, the operation in `X-Amz-Target`, a JSON body, a JSON answer,
 * errors as `{"__type", "message"}` with status 400. Signed with SigV4 for the signing name `cloudtrail`,
 * or carrying the emulator's admin token (the browser console).
 */
export const CONTROL_PLANE_TARGET_PREFIX = 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.';
export const CONTROL_PLANE_CONTENT_TYPE = 'application/x-amz-json-1.1';
export const CONTROL_PLANE_SIGNING_NAME = 'cloudtrail';

type Operation = (context: ControlContext, input: Input) => unknown;

export interface ControlPlaneRouteDeps {
  context: ControlContext;
  queries: QueryOperations;
  hosts: () => ReadonlySet<string>;
  auth: () => Omit<AdminAuthOptions, 'services' | 'openWithoutCredentials'>;
  maxBodyBytes: number;
}

/** Whether a request is meant for the control plane (the JSON protocol's target header). */
export function isControlPlaneRequest(request: IncomingMessage): boolean {
  return request.method === 'POST' && typeof request.headers['x-amz-target'] === 'string';
}

export function createControlPlaneRoute(
  deps: ControlPlaneRouteDeps,
): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  const operations: Record<string, Operation> = {
    ...channelOperations,
    ...eventDataStoreOperations,
    StartQuery: deps.queries.StartQuery,
    DescribeQuery: deps.queries.DescribeQuery,
    GetQueryResults: deps.queries.GetQueryResults,
    ListQueries: deps.queries.ListQueries,
    CancelQuery: deps.queries.CancelQuery,
  };
  return async (request, response) => {
    try {
      checkHostAndOrigin(request, deps.hosts());
      const target = String(request.headers['x-amz-target']);
      if (!target.startsWith(CONTROL_PLANE_TARGET_PREFIX))
        throw new AwsError('UnknownOperationException', `Unknown target '${target}'.`, { statusCode: 400 });
      checkContentType(request, [CONTROL_PLANE_CONTENT_TYPE]);
      const body = await readBodyWithin(request, deps.maxBodyBytes);
      authorizeAdmin(request, body, {
        ...deps.auth(),
        services: [CONTROL_PLANE_SIGNING_NAME],
        openWithoutCredentials: false,
      });
      const name = target.slice(CONTROL_PLANE_TARGET_PREFIX.length);
      const operation = Object.hasOwn(operations, name) ? operations[name] : undefined;
      if (operation === undefined)
        throw new AwsError(
          'UnsupportedOperationException',
          `The emulator does not support ${name} (see docs/emulator.md).`,
        );
      let input: unknown;
      try {
        input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
      } catch (error) {
        throw new AwsError(
          'SerializationException',
          `Request body is not valid JSON: ${(error as Error).message}`,
        );
      }
      if (typeof input !== 'object' || input === null || Array.isArray(input))
        throw new AwsError('SerializationException', 'Request body must be a JSON object.');
      const output = await operation(deps.context, input as Input);
      sendJson(response, 200, output, { 'content-type': CONTROL_PLANE_CONTENT_TYPE });
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
      if (error.type === 'RequestEntityTooLargeException') response.setHeader('connection', 'close');
      sendAwsError(response, error);
    }
  };
}

import type { AuditEventEntry, PreparedEvent, PutAuditEventsOutput } from '../mapping/audit-event.js';

/** What the official `@aws-sdk/client-cloudtrail-data` `PutAuditEventsCommand` takes. */
export interface PutAuditEventsInput {
  channelArn: string;
  externalId?: string;
  auditEvents: AuditEventEntry[];
}

/**
 * The 200 response as a client types it. The official SDK's generated types mark every member
 * `| undefined`, so this accepts that; the exporter checks the shape at run time before trusting it.
 */
export interface PutAuditEventsResponse {
  successful?: Array<{ id?: string | undefined; eventID?: string | undefined }> | undefined;
  failed?:
    | Array<{ id?: string | undefined; errorCode?: string | undefined; errorMessage?: string | undefined }>
    | undefined;
}

/**
 * The plug-in point for any client, e.g. the official SDK:
 * `putAuditEvents: (input, { abortSignal }) => client.send(new PutAuditEventsCommand(input), { abortSignal })`.
 * It resolves to the 200 response and rejects with the client's error (its `name` is the AWS error name).
 */
export type PutAuditEventsFunction = (
  input: PutAuditEventsInput,
  options: { abortSignal: AbortSignal },
) => Promise<PutAuditEventsResponse>;

/** One PutAuditEvents request, packed within the limits. `body` is the exact JSON that goes on the wire. */
export interface PreparedRequest {
  events: readonly PreparedEvent[];
  body: string;
  /** UTF-8 bytes of `body`. */
  bodyBytes: number;
}

/**
 * The transport classifies and never throws, so callers branch on data, not on exceptions: every
 * outcome is one of these.
 * `success` can still hold per-event `failed` entries; the exporter handles those.
 */
export type SendResult =
  | { status: 'success'; response: PutAuditEventsOutput; attempts?: number | undefined }
  | {
      status: 'retryable';
      error: Error;
      retryAfterMillis?: number | undefined;
      throttled: boolean;
      attempts?: number | undefined;
    }
  | { status: 'failure'; error: Error; attempts?: number | undefined };

/** Per-call options of {@link Transport.send}. */
export interface SendOptions {
  /**
   * Epoch milliseconds (on the transport's clock) after which the retrying transport starts no new attempt
   * and no wait that would end later; it then returns the last result. The `signal` still aborts at once.
   */
  deadline?: number | undefined;
}

export interface Transport {
  /**
   * Sends one request and classifies the outcome; never rejects. `attempts` is set by the retrying
   * transport: a `retryable` result from it means retries ran out, or the deadline or the signal came first.
   */
  send(request: PreparedRequest, signal: AbortSignal, options?: SendOptions): Promise<SendResult>;
  shutdown(): Promise<void>;
}

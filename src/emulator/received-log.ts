import type { ReceivedRequest } from './handle-put-audit-events.js';
import { parseRequestBody } from './parse-request-body.js';

/**
 * The last PutAuditEvents requests behind `received()`, at most `maxRequests` of them and at most
 * `maxBytes` of their bodies, oldest dropped first. A request's entries stay in its body buffer (outside
 * the JS heap) until someone asks for them: keeping a thousand requests' parsed strings alive made the
 * garbage collector copy every eventData it would otherwise free young.
 */
export interface ReceivedLog {
  /** Keeps a handled request; `body` is the raw body, read again when `record.auditEvents` was set. */
  add(record: ReceivedRequest, body: Buffer): void;
  /** The kept requests, oldest first, with `auditEvents` filled in. */
  list(): ReceivedRequest[];
  clear(): void;
}

export interface ReceivedLogLimits {
  /** Requests kept at most. */
  maxRequests: number;
  /** Body bytes kept at most, over all kept requests (their entries, once read back, take about as much). */
  maxBytes: number;
  /** The limit the bodies already passed, handed to the same parser again. */
  maxRequestBytes: number;
}

interface Kept {
  record: ReceivedRequest;
  /** Set while the entries have not been read back yet. */
  body: Buffer | undefined;
  /** What this request counts against `maxBytes`: its body's size when its entries were parsed. */
  bytes: number;
}

export function createReceivedLog({
  maxRequests,
  maxBytes,
  maxRequestBytes,
}: ReceivedLogLimits): ReceivedLog {
  const kept: Kept[] = [];
  let keptBytes = 0;
  return {
    add(record, body) {
      if (maxRequests <= 0) return;
      const parsed = record.auditEvents !== undefined;
      if (parsed) record.auditEvents = undefined;
      const bytes = parsed ? body.length : 0;
      if (bytes > maxBytes) return;
      kept.push({ record, body: parsed ? body : undefined, bytes });
      keptBytes += bytes;
      while (kept.length > maxRequests || keptBytes > maxBytes) keptBytes -= (kept.shift() as Kept).bytes;
    },
    list() {
      return kept.map((entry) => {
        if (entry.body !== undefined) {
          // The same parser accepted this body once, so it yields the same entries again.
          entry.record.auditEvents = parseRequestBody(entry.body, maxRequestBytes);
          entry.body = undefined;
        }
        return entry.record;
      });
    },
    clear() {
      kept.length = 0;
      keptBytes = 0;
    },
  };
}

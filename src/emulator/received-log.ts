import type { ReceivedRequest } from './handle-put-audit-events.js';
import { parseRequestBody } from './parse-request-body.js';

/**
 * The last `maxRequests` PutAuditEvents requests behind `received()`. A request's entries stay in its
 * body buffer (outside the JS heap) until someone asks for them: keeping a thousand requests' parsed
 * strings alive made the garbage collector copy every eventData it would otherwise free young.
 */
export interface ReceivedLog {
  /** Keeps a handled request; `body` is the raw body, read again when `record.auditEvents` was set. */
  add(record: ReceivedRequest, body: Buffer): void;
  /** The kept requests, oldest first, with `auditEvents` filled in. */
  list(): ReceivedRequest[];
  clear(): void;
}

interface Kept {
  record: ReceivedRequest;
  /** Set while the entries have not been read back yet. */
  body: Buffer | undefined;
}

/** `maxRequestBytes` is the limit the body already passed, handed to the same parser again. */
export function createReceivedLog(maxRequests: number, maxRequestBytes: number): ReceivedLog {
  const kept: Kept[] = [];
  return {
    add(record, body) {
      if (maxRequests <= 0) return;
      const parsed = record.auditEvents !== undefined;
      if (parsed) record.auditEvents = undefined;
      kept.push({ record, body: parsed ? body : undefined });
      if (kept.length > maxRequests) kept.shift();
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
    },
  };
}

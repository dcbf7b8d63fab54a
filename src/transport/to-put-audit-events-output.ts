import type { PutAuditEventsOutput } from '../mapping/audit-event.js';

/**
 * Checks a PutAuditEvents 200 response at run time (it comes from the network or from a user's client),
 * so the exporter can trust every `id` and `errorCode` it reads. A missing list counts as empty.
 * `undefined` when the value is not such a response.
 */
export function toPutAuditEventsOutput(value: unknown): PutAuditEventsOutput | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const successful: unknown = record['successful'] ?? [];
  const failed: unknown = record['failed'] ?? [];
  if (!Array.isArray(successful) || !Array.isArray(failed)) return undefined;
  const output: PutAuditEventsOutput = { successful: [], failed: [] };
  for (const entry of successful as unknown[]) {
    const { id, eventID } = (entry ?? {}) as Record<string, unknown>;
    if (typeof id !== 'string') return undefined;
    output.successful.push({ id, eventID: typeof eventID === 'string' ? eventID : '' });
  }
  for (const entry of failed as unknown[]) {
    const { id, errorCode, errorMessage } = (entry ?? {}) as Record<string, unknown>;
    if (typeof id !== 'string' || typeof errorCode !== 'string') return undefined;
    output.failed.push({ id, errorCode, errorMessage: typeof errorMessage === 'string' ? errorMessage : '' });
  }
  return output;
}

import { PUT_AUDIT_EVENTS_MAX_EVENTS, PUT_AUDIT_EVENTS_MAX_REQUEST_BYTES } from '../limits.js';
import { checkIntegerOption } from '../internal/check-option.js';
import type { RequestLimits } from './split-into-requests.js';

/** Throws ConfigError unless both limits are integers within what PutAuditEvents accepts. */
export function checkRequestLimits(limits: Partial<RequestLimits>): void {
  if (limits.maxEventsPerRequest !== undefined) {
    checkIntegerOption('maxEventsPerRequest', limits.maxEventsPerRequest, 1, PUT_AUDIT_EVENTS_MAX_EVENTS);
  }
  if (limits.maxRequestBytes !== undefined) {
    checkIntegerOption('maxRequestBytes', limits.maxRequestBytes, 1, PUT_AUDIT_EVENTS_MAX_REQUEST_BYTES);
  }
}

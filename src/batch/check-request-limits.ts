import { PUT_AUDIT_EVENTS_MAX_EVENTS, PUT_AUDIT_EVENTS_MAX_REQUEST_BYTES } from '../limits.js';
import { checkOptional, integer } from '../internal/check-option.js';
import type { RequestLimits } from './split-into-requests.js';

/** Throws ConfigError unless both limits are integers within what PutAuditEvents accepts. */
export function checkRequestLimits(limits: Partial<RequestLimits>): void {
  checkOptional('maxEventsPerRequest', limits.maxEventsPerRequest, integer(1, PUT_AUDIT_EVENTS_MAX_EVENTS));
  checkOptional('maxRequestBytes', limits.maxRequestBytes, integer(1, PUT_AUDIT_EVENTS_MAX_REQUEST_BYTES));
}

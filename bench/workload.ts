/**
 * The workload every contender of the side-by-side benchmark gets: realistic audit records generated
 * from a seeded PRNG. Record `i` depends only on (seed, i), so each contender's child process rebuilds
 * the very same records lazily, one at a time: no process holds the whole workload, which keeps peak RSS
 * the pipeline's own. Most records carry 0.5-2 kB of eventData; one in twenty carries 10-50 kB of
 * request parameters. The size sweep builds records of a fixed eventData size instead.
 */
import type { AuditLogRecord } from '../src/mapping/audit-log-record.js';
import { createPrng } from '../src/emulator/faults.js';

export const WORKLOAD_SEED = 20_261_121;

/** Resource of every benchmark LoggerProvider; `audit.user_identity.type` is set once here, as a service would. */
export const WORKLOAD_RESOURCE_ATTRIBUTES = Object.freeze({
  'service.name': 'shop',
  'service.version': '4.2.0',
  'deployment.environment.name': 'production',
  'audit.user_identity.type': 'Customer',
});

export const WORKLOAD_SCOPE = Object.freeze({ name: 'shop-audit', version: '1.0.0' });

/** The account of the benchmark channel (the emulator's default channel owner). */
export const WORKLOAD_ACCOUNT_ID = '111122223333';

/** 2026-11-21T00:00:00Z: record i is stamped 10 ms after record i-1. */
const BASE_TIME_MILLIS = Date.UTC(2026, 10, 21);

/** What `logger.emit()` gets for one record. */
export interface WorkloadRecord {
  timeMillis: number;
  severityText: string;
  body: string;
  attributes: Record<string, unknown>;
}

// Seeded per record (with the emulator's mulberry32) so that record i needs no other record to exist.
function recordPrng(index: number, seed: number): () => number {
  return createPrng(Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35));
}

const ACTIONS = [
  ['user.login', 'signed in'],
  ['user.logout', 'signed out'],
  ['order.create', 'order created'],
  ['order.refund', 'order refunded'],
  ['profile.update', 'profile updated'],
  ['document.download', 'document downloaded'],
  ['role.grant', 'role granted'],
  ['api_key.rotate', 'API key rotated'],
  ['payment.capture', 'payment captured'],
  ['export.run', 'data export started'],
] as const;

const WORDS = [
  'alpha', 'bravo', 'café', 'delta', 'echo', 'foxtrot', 'golf', 'hôtel', 'india', 'juliet', 'kilo', 'lima',
  'mike', 'november', 'oscar', 'papa', 'quebec', 'romeo', 'sierra', 'tango', 'uniform', 'victor', 'whiskey',
  'x-ray', 'yankee', 'zulu', 'straße', '"quoted"', 'path\\to', 'émile',
]; // prettier-ignore

const USER_AGENTS = [
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  'shop-mobile/7.3.1 (iOS 18.1; iPhone15,2)',
  'aws-sdk-js/3.700.0 ua/2.1 os/linux lang/js md/nodejs#20.18.0',
];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function sentence(random: () => number, words: number): string {
  const out: string[] = [];
  for (let n = 0; n < words; n++) out.push(pick(random, WORDS));
  return out.join(' ');
}

/** Order lines of about 86 bytes each when serialised (measured): the bulk of a large record. */
function lines(random: () => number, approxBytes: number): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (let size = 0; size < approxBytes; size += 86) {
    out.push({
      sku: `SKU-${Math.floor(random() * 1e6)}`,
      qty: 1 + Math.floor(random() * 9),
      price: Math.round(random() * 100_000) / 100,
      note: sentence(random, 3),
      gift: random() < 0.2,
    });
  }
  return out;
}

function ipAddress(random: () => number): string {
  if (random() < 0.15) return `2001:db8::${Math.floor(random() * 0xffff).toString(16)}`;
  return `203.0.113.${Math.floor(random() * 254) + 1}`;
}

/**
 * Record `index` of the main workload. Its eventData is 0.5-2 kB for 19 records in 20 and 10-50 kB
 * (mostly request parameters) for the others; 1 in 25 carries an error.
 */
export function workloadRecord(index: number, seed = WORKLOAD_SEED): WorkloadRecord {
  const random = recordPrng(index, seed);
  const [eventName, message] = pick(random, ACTIONS);
  const large = random() < 0.05;
  // The fixed fields below take about 450 bytes of eventData; the rest is request parameters.
  const targetBytes = large ? 10_000 + random() * 40_000 : 600 + random() * 1_300;
  const principal = `customer-${Math.floor(random() * 50_000)}`;
  const attributes: Record<string, unknown> = {
    'audit.event_name': eventName,
    'audit.user_identity.principal_id': principal,
    'audit.user_identity.details': { tenant: `t-${Math.floor(random() * 300)}`, mfa: random() < 0.7 },
    'audit.request_parameters': {
      resourceId: `${eventName.split('.')[0]}-${Math.floor(random() * 1e9)}`,
      reason: sentence(random, 4),
      lines: lines(random, Math.max(0, targetBytes - 550)),
    },
    'audit.response_elements': { status: 'ok', requestId: `req-${index}-${Math.floor(random() * 1e6)}` },
    'client.address': ipAddress(random),
    'user_agent.original': pick(random, USER_AGENTS),
    'http.route': `/api/${eventName.replace('.', '/')}`,
    'http.request.method': 'POST',
  };
  if (random() < 0.04) {
    attributes['audit.error_code'] = 'AccessDenied';
    attributes['audit.error_message'] = `${principal} may not ${eventName}`;
  }
  return {
    timeMillis: BASE_TIME_MILLIS + index * 10,
    severityText: 'INFO',
    body: message,
    attributes,
  };
}

/** One size of the sweep: records whose eventData is about `eventDataBytes`. */
export interface SweepSize {
  label: string;
  eventDataBytes: number;
  /** Records per contender for this size, so each size moves a comparable number of bytes. */
  records: number;
}

export const SIZE_SWEEP: readonly SweepSize[] = Object.freeze([
  { label: '200 B', eventDataBytes: 200, records: 20_000 },
  { label: '2 kB', eventDataBytes: 2_000, records: 10_000 },
  { label: '20 kB', eventDataBytes: 20_000, records: 2_000 },
  { label: '200 kB', eventDataBytes: 200_000, records: 300 },
]);

/**
 * A record of the size sweep. The smallest has only the required fields (about 200-250 bytes: the id and
 * the scope name are always there); larger ones split the payload between requestParameters and
 * responseElements, which may each hold 100 kB.
 */
export function sweepRecord(index: number, eventDataBytes: number, seed = WORKLOAD_SEED): WorkloadRecord {
  const random = recordPrng(index, seed ^ eventDataBytes);
  const attributes: Record<string, unknown> = {
    'audit.event_name': 'order.view',
    'audit.user_identity.principal_id': `c-${index % 1000}`,
  };
  // Each field stays under its 100,000-byte limit: the 200 kB size is two fields of about 95 kB.
  const payload = Math.min(eventDataBytes - 300, 190_000);
  if (payload > 0) {
    attributes['audit.request_parameters'] = { lines: lines(random, payload / 2) };
    attributes['audit.response_elements'] = { lines: lines(random, payload / 2) };
  }
  return { timeMillis: BASE_TIME_MILLIS + index * 10, severityText: '', body: '', attributes };
}

/** The record as the SDK would hand it to an exporter, for the contenders that map without an SDK. */
export function toAuditLogRecord(record: WorkloadRecord): AuditLogRecord {
  const seconds = Math.floor(record.timeMillis / 1000);
  const hrTime: [number, number] = [seconds, (record.timeMillis - seconds * 1000) * 1e6];
  return {
    hrTime,
    hrTimeObserved: hrTime,
    ...(record.severityText === '' ? {} : { severityText: record.severityText }),
    ...(record.body === '' ? {} : { body: record.body }),
    resource: { attributes: WORKLOAD_RESOURCE_ATTRIBUTES },
    instrumentationScope: WORKLOAD_SCOPE,
    attributes: record.attributes,
  };
}

/**
 * The scripted day at a small billing service that `npm run demo` plays: people sign in (some fail),
 * an administrator changes a role, data is exported, a record is deleted. Addresses come from the
 * documentation ranges (RFC 5737, RFC 3849) and accounts are made up.
 */

/** One audited action of the scenario. */
export type DemoAction =
  | { kind: 'login'; user: string; password: string; ip: string; userAgent: string; succeeds: boolean }
  | {
      kind: 'changeRole';
      user: string;
      ip: string;
      userAgent: string;
      target: string;
      from: string;
      to: string;
    }
  | {
      kind: 'exportData';
      user: string;
      ip: string;
      userAgent: string;
      dataset: string;
      deliveryToken: string;
      allowed: boolean;
      rows: number;
    }
  | { kind: 'deleteRecord'; user: string; ip: string; userAgent: string; recordId: string }
  | { kind: 'housekeeping'; message: string };

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) Firefox/132.0';
const MOBILE = 'AcmeBilling/4.2 (iPhone; iOS 18.1)';
const SCRIPT = 'python-requests/2.32.3';

/** In order; `housekeeping` lines are ordinary logs, which the exporter skips. */
export const DEMO_SCENARIO: readonly DemoAction[] = [
  { kind: 'housekeeping', message: 'billing service started, cache warmed' },
  {
    kind: 'login',
    user: 'alice',
    password: 'correct horse battery staple',
    ip: '203.0.113.10',
    userAgent: BROWSER,
    succeeds: true,
  },
  { kind: 'login', user: 'bob', password: 'hunter1', ip: '198.51.100.7', userAgent: MOBILE, succeeds: false },
  { kind: 'login', user: 'bob', password: 'hunter2', ip: '198.51.100.7', userAgent: MOBILE, succeeds: true },
  {
    kind: 'login',
    user: 'alice',
    password: 'password123',
    ip: '192.0.2.66',
    userAgent: SCRIPT,
    succeeds: false,
  },
  { kind: 'login', user: 'alice', password: 'letmein', ip: '192.0.2.66', userAgent: SCRIPT, succeeds: false },
  { kind: 'login', user: 'alice', password: 'qwerty', ip: '192.0.2.66', userAgent: SCRIPT, succeeds: false },
  {
    kind: 'login',
    user: 'carol',
    password: 'Tr0ub4dor&3',
    ip: '2001:db8::17',
    userAgent: BROWSER,
    succeeds: true,
  },
  {
    kind: 'changeRole',
    user: 'alice',
    ip: '203.0.113.10',
    userAgent: BROWSER,
    target: 'bob',
    from: 'viewer',
    to: 'billing-admin',
  },
  {
    kind: 'exportData',
    user: 'bob',
    ip: '198.51.100.7',
    userAgent: MOBILE,
    dataset: 'invoices-2026-q3',
    deliveryToken: 'tok_live_5f2b9c1e7a',
    allowed: true,
    rows: 1204,
  },
  {
    kind: 'exportData',
    user: 'carol',
    ip: '2001:db8::17',
    userAgent: BROWSER,
    dataset: 'customers',
    deliveryToken: 'tok_live_0d44e8b1aa',
    allowed: false,
    rows: 0,
  },
  { kind: 'deleteRecord', user: 'alice', ip: '203.0.113.10', userAgent: BROWSER, recordId: 'inv-2026-0042' },
  { kind: 'housekeeping', message: 'nightly report scheduled' },
];

/** Audited actions in the scenario (housekeeping logs excluded). */
export const DEMO_AUDIT_EVENT_COUNT = DEMO_SCENARIO.filter((action) => action.kind !== 'housekeeping').length;

// The one list of secrets the test suite uses: the credentials of the durability tests, every secret
// literal other test files define (collected by grepping test/ for secretAccessKey and sessionToken),
// and the values the redaction tests expect to be hidden. The suite-wide scan (test/setup/) fails the
// run if any of them shows up in diagnostics captured from any test file.

/** Credentials for tests that need some; the emulator accepts any signature unless told otherwise. */
export const TEST_CREDENTIALS = Object.freeze({
  accessKeyId: 'AKIDDURABILITYTEST01',
  secretAccessKey: 'durability-secret-never-logged',
  sessionToken: 'durability-session-token-never-logged',
});

/**
 * Secret literals defined elsewhere in test/. Generic values (`secret`, `whatever`, `wrong`, `s`,
 * `emulator`) are left out: they occur in ordinary words and messages, so they cannot be scanned for.
 */
export const OTHER_TEST_SECRETS = Object.freeze([
  'test-secret-do-not-log', // helpers/audit-pipeline.ts
  'child-secret', // helpers/signal-child.ts
  'owner-secret', // integration/exporter-faults.test.ts
  'stranger-secret',
  'wrong-secret',
  'transport-test-secret', // integration/transport-http.test.ts
  'not-the-secret',
  'old-secret',
  'new-secret',
  'old-token',
  'new-token',
  'env-secret', // integration/transport-credentials.test.ts
  'profile-secret',
  'referee-secret', // integration/transport-signature.test.ts
  'referee-token',
  'emulator-test-secret', // emulator/helpers/signed-request.ts
  'session-token-value', // emulator/signature.test.ts
  'other-token',
  'session-secret-token',
  's3cr3t', // emulator/cli-helper.test.ts
  'test-secret-not-real', // bridge/bridge-harness.ts
  'bridge-token-payments-0123456789', // bridge/bridge-harness.ts BRIDGE_TOKENS
  'bridge-token-billing-0123456789',
  'bridge-token-rotated-0123456789',
  'bridge-token-wrong-0123456789ab',
] as const);

/** Values the redaction tests mark sensitive: they must never leave the process unredacted in a log. */
export const REDACTED_TEST_VALUES = Object.freeze(['hunter2', 'Bearer abc'] as const);

/** Everything the suite-wide scan looks for. */
export const ALL_TEST_SECRETS: readonly string[] = Object.freeze([
  TEST_CREDENTIALS.secretAccessKey,
  TEST_CREDENTIALS.sessionToken,
  ...OTHER_TEST_SECRETS,
  ...REDACTED_TEST_VALUES,
]);

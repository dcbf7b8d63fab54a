// The suite-wide secret scan's matcher (test/setup/scan-secrets.ts): it finds every listed secret in
// captured lines, names the test file and line, and never repeats the secret in its report.
import { describe, expect, it } from 'vitest';
import { ALL_TEST_SECRETS, TEST_CREDENTIALS } from '../helpers/test-credentials.js';
import { BRIDGE_TOKENS } from '../bridge/bridge-harness.js';
import { findSecrets } from './scan-secrets.js';

describe('secret scan', () => {
  it('reports each captured line holding a secret, masked, with its test file and line', () => {
    const text = [
      '# /repo/test/a.test.ts',
      'info nothing to see',
      `error signing failed with ${TEST_CREDENTIALS.secretAccessKey}`,
      '# /repo/test/b.test.ts',
      'debug body {"password":"hunter2"}',
    ].join('\n');
    const hits = findSecrets(text, ALL_TEST_SECRETS, 'worker-1.log');
    expect(hits).toHaveLength(2);
    expect(hits[0]).toMatch(
      /^\/repo\/test\/a\.test\.ts \(worker-1\.log:3\): error signing failed with <secret #0>$/,
    );
    expect(hits[1]).toMatch(/^\/repo\/test\/b\.test\.ts \(worker-1\.log:5\)/);
    expect(hits.join('\n')).not.toContain(TEST_CREDENTIALS.secretAccessKey);
    expect(hits.join('\n')).not.toContain('hunter2');
  });

  it('ignores the OTel SDK client dumping the test input it sends, but not our own lines', () => {
    const text = [
      '# t',
      'debug OTLPExportDelegate items to be sent [{"password":"hunter2"}]',
      'debug CloudTrailLakeBridge got {"password":"hunter2"}',
    ].join('\n');
    expect(findSecrets(text, ALL_TEST_SECRETS, 'w')).toHaveLength(1);
  });

  it('finds a bridge bearer token used by the bridge tests', () => {
    const text = `# t\nwarn CloudTrailLakeBridge Refused request with Authorization: Bearer ${BRIDGE_TOKENS.wrong}`;
    const hits = findSecrets(text, ALL_TEST_SECRETS, 'w');
    expect(hits).toHaveLength(1);
    expect(hits[0]).not.toContain(BRIDGE_TOKENS.wrong);
  });

  it('finds nothing in clean text', () => {
    expect(
      findSecrets('# t\ninfo all good\nwarn secret access key does not match', ALL_TEST_SECRETS, 'w'),
    ).toEqual([]);
  });

  it('reports a URL carrying a user name and password, whatever the password, and masks it', () => {
    const text = [
      '# /repo/test/c.test.ts',
      'warn could not reach https://alice:any-Passw0rd@proxy.example:8443/path',
      'info sent to https://cloudtrail-data.eu-west-1.amazonaws.com/PutAuditEvents',
      'info contact ops@example.com about mailto:ops@example.com',
    ].join('\n');
    const hits = findSecrets(text, ALL_TEST_SECRETS, 'w');
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatch(/^\/repo\/test\/c\.test\.ts \(w:2\): warn could not reach <url with userinfo>/);
    expect(hits.join('\n')).not.toContain('any-Passw0rd');
  });
});

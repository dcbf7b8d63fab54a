// Global setup of the suite-wide secret check: makes a fresh capture directory for the workers
// (test/setup/capture-diag.ts), and at teardown scans everything they captured for every secret in
// test/helpers/test-credentials.ts; the run fails when one appears, naming the file and line, never the secret.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALL_TEST_SECRETS } from '../helpers/test-credentials.js';
import { CAPTURE_DIR_ENV } from './capture-files.js';

/**
 * Captured lines that are not this library's output and carry the test's own raw input by design: the
 * OTel SDK's OTLP exporter (the client side of the bridge tests) dumps the records it sends at debug level,
 * before the bridge under test has redacted anything.
 */
export const IGNORED_LINE_PATTERNS: readonly RegExp[] = [
  /^(debug|verbose) OTLPExportDelegate items to be sent /,
];

/**
 * A URL carrying a password (`scheme://user:password@host`): whatever the password is, it must never be
 * logged, so any captured line with one fails the run, masked like the listed secrets.
 */
export const URL_USERINFO_PATTERN = /\b[a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]+:[^\s/?#@]+@/gi;

/** Finds secrets (listed ones, and URL userinfo) in captured text; one description per hit, masked. */
export function findSecrets(text: string, secrets: readonly string[], source: string): string[] {
  const hits: string[] = [];
  let testFile = 'unknown test file';
  text.split('\n').forEach((line, index) => {
    if (line.startsWith('# ')) {
      testFile = line.slice(2);
      return;
    }
    if (IGNORED_LINE_PATTERNS.some((pattern) => pattern.test(line))) return;
    secrets.forEach((secret, n) => {
      if (!line.includes(secret)) return;
      const masked = line.split(secret).join(`<secret #${n}>`).slice(0, 300);
      hits.push(`${testFile} (${source}:${index + 1}): ${masked}`);
    });
    if (URL_USERINFO_PATTERN.test(line)) {
      const masked = line.replace(URL_USERINFO_PATTERN, '<url with userinfo>').slice(0, 300);
      hits.push(`${testFile} (${source}:${index + 1}): ${masked}`);
    }
    URL_USERINFO_PATTERN.lastIndex = 0;
  });
  return hits;
}

export default function setup(): () => void {
  const directory = mkdtempSync(join(tmpdir(), 'ctl-diag-capture-'));
  process.env[CAPTURE_DIR_ENV] = directory;
  return () => {
    const hits: string[] = [];
    for (const name of readdirSync(directory)) {
      hits.push(...findSecrets(readFileSync(join(directory, name), 'utf8'), ALL_TEST_SECRETS, name));
    }
    rmSync(directory, { recursive: true, force: true });
    if (hits.length > 0) {
      // Vitest reports a throwing teardown but keeps the exit code; set it so CI fails.
      process.exitCode = 1;
      throw new Error(
        `Secret check failed: ${hits.length} captured diagnostic line(s) contain a test secret, a redacted value or a URL password ` +
          `(see test/helpers/test-credentials.ts):\n${hits.join('\n')}`,
      );
    }
  };
}

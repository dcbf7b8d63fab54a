import { createRequire } from 'node:module';

/** The package version, read once at load time. */
function packageVersion(): string {
  try {
    // src/transport and dist/transport are both two levels below the package root.
    const pkg = createRequire(import.meta.url)('../../package.json') as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The user agent every request carries: `otel-cloudtrail-lake/<version>`. */
export const USER_AGENT = `otel-cloudtrail-lake/${packageVersion()}`;

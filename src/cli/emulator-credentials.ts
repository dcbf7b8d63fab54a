import type { AwsCredentials } from '../transport/credentials-provider.js';

/** What an emulator that checks no signatures accepts; its start-up banner suggests the same. */
export const EMULATOR_PLACEHOLDER_CREDENTIALS: AwsCredentials = Object.freeze({
  accessKeyId: 'emulator',
  secretAccessKey: 'emulator',
});

const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Placeholder credentials when the endpoint is on this machine and the environment names no AWS
 * credentials, so `send` works against a fresh emulator out of the box; otherwise undefined (the AWS
 * default credential chain applies).
 */
export function emulatorCredentialsFor(
  endpoint: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): AwsCredentials | undefined {
  if (endpoint === undefined || !URL.canParse(endpoint)) return undefined;
  if (!LOOPBACK_HOSTS.has(new URL(endpoint).hostname)) return undefined;
  if (env['AWS_ACCESS_KEY_ID'] !== undefined || env['AWS_PROFILE'] !== undefined) return undefined;
  return EMULATOR_PLACEHOLDER_CREDENTIALS;
}

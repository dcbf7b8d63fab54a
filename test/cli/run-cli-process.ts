import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { eventData as validEventData } from '../emulator/helpers/signed-request.js';

/** The repository root, where the child runs (so tsx finds tsconfig.json and its paths). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The environment without anything that would point a child at a real channel or account. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('OTEL_') && !key.startsWith('AWS_')) env[key] = value;
  }
  return { ...env, ...extra };
}

/** Runs `node --import tsx <script> ...args` from the repository root; kills it after `timeoutMillis`. */
export function runNode(
  script: string,
  args: readonly string[],
  options: {
    env?: NodeJS.ProcessEnv;
    input?: string;
    timeoutMillis?: number;
    /** Modules loaded before the script (`node --import`), after tsx. */
    preload?: readonly string[];
  } = {},
): Promise<CliResult> {
  const preload = (options.preload ?? []).flatMap((module) => ['--import', module]);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...preload, script, ...args], {
      cwd: REPO_ROOT,
      env: options.env ?? cleanEnv(),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMillis ?? 20_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Runs the CLI from source: `otel-cloudtrail-lake ...args`. */
export function runCliProcess(
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; input?: string; timeoutMillis?: number } = {},
): Promise<CliResult> {
  return runNode('src/cli/main.ts', args, options);
}

/** A valid eventData object (a fresh UID each call), with `overrides` on top. */
export function eventData(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return validEventData('123456789012', {
    userIdentity: { type: 'Customer', principalId: 'alice' },
    eventSource: 'shop.example.com',
    UID: `uid-${Math.random().toString(36).slice(2)}`,
    ...overrides,
  });
}

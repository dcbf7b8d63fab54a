// Test helper: finds python3 with boto3 and the `aws` CLI, and runs them with only the emulator's test
// identity in their environment, never the developer's AWS configuration.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { TEST_CREDENTIAL } from './signed-request.js';

// The image's python3 may be a pyenv build without boto3 while Debian's python3-boto3 serves /usr/bin/python3.
export const python = ['python3', '/usr/bin/python3'].find(
  (candidate) => spawnSync(candidate, ['-c', 'import boto3'], { stdio: 'ignore' }).status === 0,
);
export const hasBoto3 = python !== undefined;
export const hasAwsCli = spawnSync('aws', ['--version'], { stdio: 'ignore' }).status === 0;

/** The child sees only `credentials` (the emulator's test identity by default) and a HOME of `workDir`. */
export function childEnv(
  workDir: string,
  credentials: { accessKeyId: string; secretAccessKey: string } = TEST_CREDENTIAL,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'], HOME: workDir };
  for (const name of ['PYENV_ROOT', 'PYENV_VERSION', 'LANG'])
    if (process.env[name] !== undefined) env[name] = process.env[name];
  return {
    ...env,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(workDir, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(workDir, 'no-credentials'),
  };
}

export function runChild(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

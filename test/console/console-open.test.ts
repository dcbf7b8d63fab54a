// `otel-cloudtrail-lake emulator --open`: prints the console URL, hands it to the desktop's opener when
// one is on PATH (a stand-in script here), and keeps serving when there is none; the demo prints the URL
// too. The console itself is covered in console-views.test.ts.
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { browserOpener } from '../../src/cli/open-in-browser.js';
import { runDemo } from '../../src/demo/run-demo.js';
import { cleanEnv, REPO_ROOT } from '../cli/run-cli-process.js';

async function runEmulatorUntilReady(
  pathEnv: string,
): Promise<{ stdout: string; stop(): Promise<number | null> }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'emulator', '--port', '0', '--open'],
    {
      cwd: REPO_ROOT,
      env: cleanEnv({ PATH: pathEnv }),
    },
  );
  let stdout = '';
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('Press Ctrl+C')) resolve();
    });
    child.on('close', () => reject(new Error(`emulator exited early: ${stdout}`)));
  });
  return {
    stdout,
    stop() {
      child.kill('SIGTERM');
      return closed;
    },
  };
}

describe('emulator --open', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'console-open-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('prints the console URL and opens it with the desktop opener', async () => {
    const opened = join(dir, 'opened.txt');
    const opener = join(dir, browserOpener());
    await writeFile(opener, `#!/bin/sh\nprintf '%s' "$1" > '${opened}'\n`);
    await chmod(opener, 0o755);
    const run = await runEmulatorUntilReady(dir);
    const consoleUrl = /console: +(http:\/\/\S+\/)/.exec(run.stdout)?.[1];
    expect(consoleUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(run.stdout).toContain(`Opening the console with ${opener}.`);
    await vi.waitFor(async () => expect(await readFile(opened, 'utf8')).toBe(consoleUrl), { timeout: 5_000 });
    expect((await fetch(consoleUrl!)).status).toBe(200);
    expect(await run.stop()).toBe(0);
  });

  it('says how to open the console when no opener is installed, and keeps serving', async () => {
    const run = await runEmulatorUntilReady(dir);
    const consoleUrl = /console: +(http:\/\/\S+\/)/.exec(run.stdout)?.[1];
    expect(run.stdout).toContain(
      `No xdg-open or open command here: open ${consoleUrl} in a browser yourself.`,
    );
    expect((await fetch(`${consoleUrl}_emulator/health`)).status).toBe(200);
    expect(await run.stop()).toBe(0);
  });
});

describe('the demo', () => {
  it('prints the URL of the console of the emulator it plays into', async () => {
    const lines: string[] = [];
    await runDemo({ out: (line) => lines.push(line), env: {} });
    const endpoint = /endpoint (http:\/\/\S+),/.exec(lines.join('\n'))?.[1];
    expect(lines).toContain(`  console  ${endpoint}/ (the browser console, while the demo runs)`);
  });
});

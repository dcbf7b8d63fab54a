// shutdownOnSignals in a real child process: SIGTERM flushes the queued audit records to the emulator and
// the process then exits by the signal. Configuration of the option itself is in exporter-config.test.ts.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';

const CHILD = fileURLToPath(new URL('../helpers/signal-child.ts', import.meta.url));

describe('shutdownOnSignals', () => {
  let emulator: Emulator;
  beforeEach(async () => {
    emulator = await startEmulator({ port: 0 });
  });
  afterEach(async () => {
    await emulator.close();
  });

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'flushes queued records on %s and lets the process exit by the signal',
    async (signal) => {
      const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
        env: { ...process.env, EMULATOR_URL: emulator.url, CHANNEL_ARN: emulator.channelArn, RECORDS: '25' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.on('exit', (code, exitSignal) => resolve({ code, signal: exitSignal })),
      );
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('ready')) resolve();
        });
        child.on('exit', () => reject(new Error(`child exited early: ${stderr}`)));
      });
      expect(emulator.events()).toHaveLength(0);
      child.kill(signal);
      const result = await exited;
      expect(result.signal).toBe(signal);
      expect(emulator.events()).toHaveLength(25);
    },
    20_000,
  );
});

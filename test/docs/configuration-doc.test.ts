// Keeps docs/configuration.md and the code in step: every environment variable the code reads is in the
// table and every row names one the code reads, and each default shown is the one in DEFAULTS (through the
// option tables the resolvers use). The resolvers' behaviour is covered in exporter-config.test.ts.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BRIDGE_ENV, BRIDGE_OPTIONS } from '../../src/bridge/bridge-options.js';
import { DEFAULTS } from '../../src/defaults.js';
import { ENV_VARS, STANDARD_ENV_VARS } from '../../src/env.js';
import { EXPORTER_OPTIONS } from '../../src/options.js';
import { PROCESSOR_OPTIONS } from '../../src/processor/processor-options.js';
import { HTTP_TRANSPORT_OPTIONS } from '../../src/transport/http-transport-options.js';

const ROOT = join(import.meta.dirname, '../..');
const doc = readFileSync(join(ROOT, 'docs/configuration.md'), 'utf8');

/** `| \`NAME\` | option | default | description |` rows, by variable name. */
const rows = new Map(
  doc
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const [, name = '', option = '', defaultCell = ''] = line.split('|').map((cell) => cell.trim());
      return [name.replace(/`/g, ''), { option, defaultCell }] as const;
    }),
);

/** Quoted variable names in the library's sources (the CLI, demo and emulator only print examples). */
function literalEnvNames(directory: string): string[] {
  const names: string[] = [];
  for (const entry of readdirSync(directory)) {
    const path = join(directory, entry);
    if (statSync(path).isDirectory()) {
      if (!['cli', 'demo', 'emulator'].includes(entry)) names.push(...literalEnvNames(path));
    } else if (entry.endsWith('.ts')) {
      for (const match of readFileSync(path, 'utf8').matchAll(/'((?:OTEL|AWS)_[A-Z0-9_]*[A-Z0-9])'/g)) {
        names.push(match[1] as string);
      }
    }
  }
  return names;
}

const codeNames = new Set<string>([
  ...Object.values(ENV_VARS),
  ...Object.values(STANDARD_ENV_VARS).flat(),
  ...Object.values(BRIDGE_ENV),
  ...literalEnvNames(join(ROOT, 'src')),
]);

/** Each variable with a default, from the tables the resolvers read and the few read beside them. */
const defaults = new Map<string, unknown>([
  ...[EXPORTER_OPTIONS, PROCESSOR_OPTIONS, HTTP_TRANSPORT_OPTIONS, BRIDGE_OPTIONS].flatMap((table) =>
    Object.values(table as Record<string, { env?: string; default?: unknown }>)
      .filter((spec) => spec.env !== undefined && 'default' in spec)
      .map((spec) => [spec.env as string, spec.default] as const),
  ),
  [ENV_VARS.retryMaxAttempts, DEFAULTS.retry.maxAttempts],
  [ENV_VARS.retryInitialBackoffMillis, DEFAULTS.retry.initialBackoffMillis],
  [ENV_VARS.retryMaxBackoffMillis, DEFAULTS.retry.maxBackoffMillis],
  [ENV_VARS.maxExportBatchSize, DEFAULTS.maxExportBatchSize],
  [ENV_VARS.spoolMaxBytes, DEFAULTS.spoolMaxBytes],
  [ENV_VARS.spoolFsync, DEFAULTS.spoolFsync],
  [BRIDGE_ENV.maxQueueSize, DEFAULTS.bridgeMaxQueueSize],
  [STANDARD_ENV_VARS.useFipsEndpoint, false],
  [STANDARD_ENV_VARS.useDualstackEndpoint, false],
]);

describe('docs/configuration.md', () => {
  it('lists every environment variable the code reads, and no other', () => {
    expect([...codeNames].filter((name) => !rows.has(name))).toEqual([]);
    expect([...rows.keys()].filter((name) => !codeNames.has(name))).toEqual([]);
  });

  it('shows each default as DEFAULTS has it', () => {
    expect(defaults.size).toBeGreaterThan(20);
    for (const [name, value] of defaults) {
      expect({ name, default: rows.get(name)?.defaultCell }).toEqual({
        name,
        default: `\`${String(value)}\``,
      });
    }
  });
});

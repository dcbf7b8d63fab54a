// The README cannot drift from the code: every ```ts snippet is (part of) a type-checked file in
// examples/, every error code and environment variable is documented, and every default it states
// equals the value in DEFAULTS. The examples themselves run in examples.test.ts.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS, ENV_VARS, ERROR_CODES } from '../../src/index.js';
import { REPO_ROOT } from '../cli/run-cli-process.js';

let readme: string;
let examples: Array<{ path: string; text: string }>;

async function listTs(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return listTs(path);
      return Promise.resolve(entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : []);
    }),
  );
  return nested.flat();
}

/** Reads `DEFAULTS.a.b` from DEFAULTS. */
function lookup(path: string): unknown {
  let value: unknown = DEFAULTS;
  for (const key of path.split('.')) value = (value as Record<string, unknown> | undefined)?.[key];
  return value;
}

function shown(value: unknown): string {
  return Array.isArray(value) ? value.join(', ') : String(value);
}

beforeAll(async () => {
  readme = await readFile(join(REPO_ROOT, 'README.md'), 'utf8');
  const paths = await listTs(join(REPO_ROOT, 'examples'));
  examples = await Promise.all(paths.map(async (path) => ({ path, text: await readFile(path, 'utf8') })));
});

describe('README.md', () => {
  it('takes every TypeScript snippet from a file in examples/', () => {
    const snippets = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!.trim());
    expect(snippets.length).toBeGreaterThanOrEqual(8);
    for (const snippet of snippets) {
      const home = examples.find((example) => example.text.includes(snippet));
      expect(home, `no file in examples/ contains this README snippet:\n${snippet}`).toBeDefined();
    }
  });

  it('documents every error code', () => {
    const missing = Object.values(ERROR_CODES).filter((code) => !readme.includes(`| \`${code}\` |`));
    expect(missing).toEqual([]);
  });

  it('lists every environment variable the exporter and processor read, here or in docs/configuration.md', async () => {
    // The full table is docs/configuration.md, checked against the code by test/docs/configuration-doc.test.ts.
    const both = readme + (await readFile(join(REPO_ROOT, 'docs/configuration.md'), 'utf8'));
    const missing = Object.values(ENV_VARS).filter((name) => !both.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });

  it('states each default exactly as DEFAULTS holds it', () => {
    const stated = [...readme.matchAll(/`([^`]+)` \(`DEFAULTS\.([\w.]+)`[,)]/g)];
    expect(stated.length).toBeGreaterThanOrEqual(25);
    for (const [, value, path] of stated) {
      const actual = lookup(path!);
      expect(actual, `DEFAULTS.${path} does not exist`).toBeDefined();
      expect(value, `README says DEFAULTS.${path} is ${value}`).toBe(shown(actual));
    }
  });

  it('mentions every key of DEFAULTS', () => {
    const missing = Object.keys(DEFAULTS).filter((key) => !readme.includes(`DEFAULTS.${key}`));
    expect(missing).toEqual([]);
  });
});

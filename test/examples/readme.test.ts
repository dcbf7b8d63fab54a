// The README and docs/*.md cannot drift from the code: every ```ts snippet is (part of) a type-checked
// file in examples/, every package a snippet imports is in an install line, every default they state
// equals the value in DEFAULTS, the README documents every error code, the docs every environment
// variable, and docs/mapping.md names every attribute the mapping reads. Examples run in examples.test.ts.
import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS, ENV_VARS, ERROR_CODES } from '../../src/index.js';
import { ADDITIONAL_EVENT_DATA_KEYS } from '../../src/mapping/additional-event-data.js';
import {
  ACTOR_TYPE_TO_USER_IDENTITY_TYPE,
  MAPPED_ATTRIBUTE_KEYS,
} from '../../src/mapping/audit-attributes.js';
import { OTEL_AUDIT_CONTEXT_KEYS } from '../../src/mapping/otel-audit-context.js';
import { REPO_ROOT } from '../cli/run-cli-process.js';

interface Doc {
  name: string;
  text: string;
}

let readme: Doc;
let docs: Doc[];
let examples: Array<{ path: string; text: string }>;

async function listFiles(dir: string, suffix: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return listFiles(path, suffix);
      return Promise.resolve(entry.name.endsWith(suffix) && !entry.name.endsWith('.d.ts') ? [path] : []);
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

function snippets(doc: Doc): string[] {
  return [...doc.text.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!.trim());
}

/** The package a module specifier belongs to: `@scope/name` or `name` (subpaths dropped). */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function importedPackages(snippet: string): string[] {
  const specifiers = [...snippet.matchAll(/^import [^;]*? from '([^']+)';/gm)].map((match) => match[1]!);
  return specifiers.filter((s) => !s.startsWith('node:') && !s.startsWith('.')).map(packageOf);
}

function installedPackages(doc: Doc): string[] {
  return [...doc.text.matchAll(/^npm install (.+)$/gm)].flatMap((match) => match[1]!.split(/\s+/));
}

beforeAll(async () => {
  readme = { name: 'README.md', text: await readFile(join(REPO_ROOT, 'README.md'), 'utf8') };
  const docPaths = await listFiles(join(REPO_ROOT, 'docs'), '.md');
  docs = await Promise.all(
    docPaths.map(async (path) => ({
      name: relative(REPO_ROOT, path),
      text: await readFile(path, 'utf8'),
    })),
  );
  const paths = await listFiles(join(REPO_ROOT, 'examples'), '.ts');
  examples = await Promise.all(paths.map(async (path) => ({ path, text: await readFile(path, 'utf8') })));
});

describe('README.md and docs/*.md', () => {
  it('take every TypeScript snippet from a file in examples/', () => {
    const all = [readme, ...docs];
    expect(snippets(readme).length).toBeGreaterThanOrEqual(2);
    for (const doc of all) {
      for (const snippet of snippets(doc)) {
        const home = examples.find((example) => example.text.includes(snippet));
        expect(home, `no file in examples/ contains this snippet of ${doc.name}:\n${snippet}`).toBeDefined();
      }
    }
  });

  it('name every package their snippets import in an install line (the README’s, or their own)', () => {
    const fromReadme = installedPackages(readme);
    expect(fromReadme).toContain('otel-cloudtrail-lake');
    for (const doc of [readme, ...docs]) {
      const installed = new Set([...fromReadme, ...installedPackages(doc)]);
      const missing = snippets(doc)
        .flatMap(importedPackages)
        .filter((name) => !installed.has(name));
      expect(missing, `${doc.name} imports packages no install line names`).toEqual([]);
    }
  });

  it('state each default exactly as DEFAULTS holds it', () => {
    const stated = [readme, ...docs].flatMap((doc) => [
      ...doc.text.matchAll(/`([^`]+)` \(`DEFAULTS\.([\w.]+)`[,)]/g),
    ]);
    expect(stated.length).toBeGreaterThanOrEqual(25);
    for (const [, value, path] of stated) {
      const actual = lookup(path!);
      expect(actual, `DEFAULTS.${path} does not exist`).toBeDefined();
      expect(value, `the docs say DEFAULTS.${path} is ${value}`).toBe(shown(actual));
    }
  });

  it('mention every key of DEFAULTS', () => {
    const text = [readme, ...docs].map((doc) => doc.text).join('\n');
    const missing = Object.keys(DEFAULTS).filter((key) => !text.includes(`DEFAULTS.${key}`));
    expect(missing).toEqual([]);
  });
});

describe('README.md', () => {
  it('documents every error code', () => {
    const missing = Object.values(ERROR_CODES).filter((code) => !readme.text.includes(`| \`${code}\` |`));
    expect(missing).toEqual([]);
  });

  it('lists every environment variable the exporter and processor read, here or in docs/*.md', () => {
    const text = [readme, ...docs].map((doc) => doc.text).join('\n');
    const missing = Object.values(ENV_VARS).filter((name) => !text.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });
});

describe('docs/mapping.md', () => {
  const mapping = (): string => docs.find((doc) => doc.name === 'docs/mapping.md')!.text;

  it('names every attribute the mapping reads', () => {
    const missing = MAPPED_ATTRIBUTE_KEYS.filter((key) => !mapping().includes(`\`${key}\``));
    expect(missing).toEqual([]);
  });

  it('names every key the mapping adds to additionalEventData', () => {
    const keys = [...Object.values(ADDITIONAL_EVENT_DATA_KEYS), ...Object.values(OTEL_AUDIT_CONTEXT_KEYS)];
    const missing = keys.filter((key) => !mapping().includes(`\`${key}\``));
    expect(missing).toEqual([]);
  });

  it('has a row for each audit.actor.type the mapping rewrites, with the value it writes', () => {
    const missing = Object.entries(ACTOR_TYPE_TO_USER_IDENTITY_TYPE)
      .map(([from, to]) => `| \`${from}\` | \`${to}\` |`)
      .filter((row) => !mapping().includes(row));
    expect(missing).toEqual([]);
  });
});

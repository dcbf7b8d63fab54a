// The committed OTLP code is what `npm run generate:otlp` makes from proto/: regenerated into a temporary
// folder by the same buf and protoc-gen-es, it must match file for file, so no one edits it by hand.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../cli/run-cli-process.js';

const GENERATED = 'src/bridge/otlp/generated';

async function filesUnder(root: string): Promise<Map<string, string>> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files = new Map<string, string>();
  for (const entry of entries.filter((e) => e.isFile())) {
    const path = join(entry.parentPath, entry.name);
    files.set(path.slice(root.length + 1), await readFile(path, 'utf8'));
  }
  return files;
}

describe('generated OTLP code', () => {
  let scratch: string;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'ctl-otlp-gen-'));
  });

  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('is exactly what buf generates from proto/', async () => {
    const bin = join(REPO_ROOT, 'node_modules', '.bin');
    await promisify(execFile)(join(bin, 'buf'), ['generate', '--output', scratch], {
      cwd: REPO_ROOT,
      env: { ...process.env, PATH: `${bin}${delimiter}${process.env['PATH'] ?? ''}` },
      timeout: 60_000,
    });
    const regenerated = await filesUnder(join(scratch, GENERATED));
    const committed = await filesUnder(join(REPO_ROOT, GENERATED));
    expect(regenerated.size).toBe(4);
    expect([...committed.keys()].sort()).toEqual([...regenerated.keys()].sort());
    for (const [path, text] of regenerated) expect(committed.get(path), path).toBe(text);
  }, 60_000);
});

// The project stands on its own: no source file, test, benchmark, example or document points at files
// outside the repository, at tracker issue numbers, or at numbered rules of a guide; a reader of the
// repository alone must find the reason written where it applies.
import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../cli/run-cli-process.js';

const SCANNED = ['src', 'test', 'bench', 'examples', 'docs', 'README.md', 'CHANGELOG.md'];
const TEXT_FILE = /\.(ts|mjs|js|json|md|ya?ml)$/;

// Patterns are assembled from parts so that this file does not match itself.
const OUTSIDE_REFERENCES: Array<[string, RegExp]> = [
  ['a path of the machine the project was written on', new RegExp(['/wo', 'rk/'].join(''))],
  ['a file kept outside the repository', new RegExp(['shared/(design', '|spec|research)/'].join(''))],
  ['a tracker issue number', new RegExp(['\\bissues?[ -]#?', '\\d+\\b'].join(''), 'i')],
  ['a numbered rule of a guide', new RegExp(['\\b(style guide|guide) rules? ', '\\d+'].join(''), 'i')],
];

async function listFiles(path: string): Promise<string[]> {
  const entries = await readdir(path, { withFileTypes: true }).catch(() => undefined);
  if (entries === undefined) return TEXT_FILE.test(path) ? [path] : [];
  const nested = await Promise.all(
    entries.map((entry) =>
      entry.name === 'node_modules' ? Promise.resolve([]) : listFiles(join(path, entry.name)),
    ),
  );
  return nested.flat();
}

describe('the repository stands on its own', () => {
  it('has no reference to files outside it, to issue numbers or to numbered guide rules', async () => {
    const files = (await Promise.all(SCANNED.map((name) => listFiles(join(REPO_ROOT, name))))).flat();
    expect(files.length).toBeGreaterThan(100);
    const found: string[] = [];
    for (const file of files) {
      const lines = (await readFile(file, 'utf8')).split('\n');
      lines.forEach((line, index) => {
        for (const [what, pattern] of OUTSIDE_REFERENCES) {
          if (pattern.test(line))
            found.push(`${relative(REPO_ROOT, file)}:${index + 1}: ${what}: ${line.trim()}`);
        }
      });
    }
    expect(found).toEqual([]);
  });
});

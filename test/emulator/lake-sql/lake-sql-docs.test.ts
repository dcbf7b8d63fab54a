// docs/lake-sql.md lists every function the engine supports, and only those, so the page cannot drift
// from the function table. Semantics are tested in trino-function-corpus.test.ts.
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import {
  PARTLY_SUPPORTED_LAKE_FUNCTIONS,
  SUPPORTED_LAKE_FUNCTIONS,
} from '../../../src/emulator/lake-sql/index.js';

const page = readFileSync(new URL('../../../docs/lake-sql.md', import.meta.url), 'utf8');
const supportedSection = page.slice(page.indexOf('Supported (Trino'), page.indexOf('Partly supported (how)'));
const partlySection = page.slice(page.indexOf('Partly supported (how)'), page.indexOf('Refused, with'));

test('every supported function is listed in the supported section', () => {
  const missing = SUPPORTED_LAKE_FUNCTIONS.filter((name) => !supportedSection.includes(`\`${name}\``));
  expect(missing).toEqual([]);
});

test('the supported section names no function the engine does not run', () => {
  const named = [...supportedSection.matchAll(/`([a-z_0-9]+)`/g)].map((match) => match[1]);
  expect(named.filter((name) => name !== undefined && !SUPPORTED_LAKE_FUNCTIONS.includes(name))).toEqual([]);
});

test('every partly supported function says how in the partly supported section', () => {
  const missing = Object.keys(PARTLY_SUPPORTED_LAKE_FUNCTIONS).filter(
    (name) => !partlySection.includes(`\`${name}\``),
  );
  expect(missing).toEqual([]);
});

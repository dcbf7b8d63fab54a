// The CLI's pure helpers, in-process: the line formats `send` and `validate` read (eventData, PutAuditEvents
// entries, dead letters) and the table layout of `query`. The commands themselves are tested in cli.test.ts.
import { describe, expect, it } from 'vitest';
import { formatTable, formatVertical } from '../../src/cli/format-table.js';
import { parseEventLine } from '../../src/cli/read-event-lines.js';

const EVENT = { version: '1.0', eventName: 'Login' };

describe('parseEventLine', () => {
  it('reads a bare eventData object without an id', () => {
    expect(parseEventLine(JSON.stringify(EVENT), 3)).toEqual({ line: 3, id: undefined, eventData: EVENT });
  });

  it('reads a dead letter: its id, its eventData object, and ignores the reason', () => {
    const deadLetter = { id: 'evt-1', eventData: EVENT, reason: { code: 'CTL_ERR_FIELD_TOO_LONG' } };
    expect(parseEventLine(JSON.stringify(deadLetter), 1)).toEqual({ line: 1, id: 'evt-1', eventData: EVENT });
  });

  it('reads a PutAuditEvents entry whose eventData is a JSON string', () => {
    const entry = { id: 'evt-2', eventData: JSON.stringify(EVENT), eventDataChecksum: 'x' };
    expect(parseEventLine(JSON.stringify(entry), 1)).toEqual({ line: 1, id: 'evt-2', eventData: EVENT });
  });

  it('drops an id the API would refuse, so a fresh one is used', () => {
    expect(parseEventLine(JSON.stringify({ id: 'has spaces', eventData: EVENT }), 1).id).toBeUndefined();
  });

  it('explains lines it cannot use', () => {
    expect(parseEventLine('{"a":', 7).error).toMatch(/^not valid JSON/);
    expect(parseEventLine('[1,2]', 7).error).toBe('expected a JSON object');
    expect(parseEventLine('{"id":"x","eventData":null}', 7).error).toMatch(/eventData is null/);
    expect(parseEventLine('{"eventData":"{oops"}', 7).error).toMatch(
      /eventData is a string but not valid JSON/,
    );
  });
});

describe('formatTable', () => {
  it('pads columns, right-aligns numbers, shows NULL and JSON, and counts rows', () => {
    const lines = formatTable([
      { user: 'alice', n: 3, details: { a: 1 } },
      { user: 'bob', n: 12, details: null },
    ]);
    expect(lines).toEqual([
      '+-------+----+---------+',
      '| user  | n  | details |',
      '+-------+----+---------+',
      '| alice |  3 | {"a":1} |',
      '| bob   | 12 | NULL    |',
      '+-------+----+---------+',
      '(2 rows)',
    ]);
  });

  it('cuts over-wide cells with an ellipsis and says when there are no rows', () => {
    const [, , , row] = formatTable([{ text: 'x'.repeat(100) }]);
    expect(row).toBe(`| ${'x'.repeat(59)}… |`);
    expect(formatTable([])).toEqual(['(no rows)']);
  });

  it('prints a wide record as column/value pairs', () => {
    expect(formatVertical([{ eventName: 'Login', code: null }])).toEqual([
      '+-----------+-------+',
      '| column    | value |',
      '+-----------+-------+',
      '| eventName | Login |',
      '| code      | NULL  |',
      '+-----------+-------+',
      '(1 row)',
    ]);
  });
});

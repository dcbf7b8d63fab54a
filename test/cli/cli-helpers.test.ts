// The CLI's pure helpers, in-process: the line formats `send` and `validate` read (eventData, PutAuditEvents
// entries, dead letters), the ids derived from lines, and the table layout of `query`. The commands
// themselves are tested in cli.test.ts, cli-conventions.test.ts and send-rerun.test.ts.
import { describe, expect, it } from 'vitest';
import { formatTable, formatVertical } from '../../src/cli/format-table.js';
import { lineEventId } from '../../src/cli/line-event-id.js';
import { parseEventLine } from '../../src/cli/read-event-lines.js';
import { isValidEventId } from '../../src/mapping/event-id.js';

const EVENT = { version: '1.0', eventName: 'Login' };

describe('parseEventLine', () => {
  it('reads a bare eventData object without an id', () => {
    const text = JSON.stringify(EVENT);
    expect(parseEventLine(text, 3)).toEqual({ line: 3, id: undefined, eventData: EVENT, text });
  });

  it('reads a dead letter: its id, its eventData object, and ignores the reason', () => {
    const deadLetter = { id: 'evt-1', eventData: EVENT, reason: { code: 'CTL_ERR_FIELD_TOO_LONG' } };
    expect(parseEventLine(JSON.stringify(deadLetter), 1)).toMatchObject({
      line: 1,
      id: 'evt-1',
      eventData: EVENT,
    });
  });

  it('reads a PutAuditEvents entry whose eventData is a JSON string', () => {
    const entry = { id: 'evt-2', eventData: JSON.stringify(EVENT), eventDataChecksum: 'x' };
    expect(parseEventLine(JSON.stringify(entry), 1)).toMatchObject({
      line: 1,
      id: 'evt-2',
      eventData: EVENT,
    });
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

describe('lineEventId', () => {
  it('derives the same UUID-shaped, valid entry id from the same line, and another from another line', () => {
    const line = JSON.stringify(EVENT);
    const id = lineEventId(line);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(isValidEventId(id)).toBe(true);
    expect(lineEventId(`${line}\r`)).toBe(id);
    expect(lineEventId(JSON.stringify({ ...EVENT, eventName: 'Logout' }))).not.toBe(id);
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

  it('measures cells in terminal columns, so CJK and emoji cells line up', () => {
    const lines = formatTable([{ name: '東京' }, { name: 'ab' }, { name: '🎉x' }]);
    expect(lines.slice(0, 6)).toEqual([
      '+------+',
      '| name |',
      '+------+',
      '| 東京 |',
      '| ab   |',
      '| 🎉x  |',
    ]);
  });

  it('cuts an over-wide cell of wide characters at a column bound, never inside a character', () => {
    const [, , , row] = formatTable([{ text: '漢'.repeat(40) }]);
    expect(row).toBe(`| ${'漢'.repeat(29)}… |`);
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

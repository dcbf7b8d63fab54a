// Covers the emulator's entry-by-entry reading of PutAuditEvents bodies: on compact bodies it finds
// exactly the entries JSON.parse finds, whatever their strings hold; other shapes (whitespace, other
// members, an empty array) are left to the whole parse; and no body, however mangled, is read
// differently from JSON.parse when every range it gives parses.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditEventRanges } from '../../../src/emulator/audit-event-ranges.js';

const text = fc.string({ unit: 'binary', maxLength: 40 });
const entry = fc.record({
  id: text,
  eventData: fc.jsonValue().map((value) => JSON.stringify({ value })),
  eventDataChecksum: fc.option(text, { nil: undefined }),
  nested: fc.option(fc.dictionary(text, fc.jsonValue(), { maxKeys: 3 }), { nil: undefined }),
});
const body = fc
  .array(entry, { minLength: 1, maxLength: 8 })
  .map((auditEvents) => JSON.stringify({ auditEvents }));

/** What the entry-by-entry reading makes of a body, or undefined where it leaves it to the whole parse. */
function readByRanges(bytes: Buffer): unknown[] | undefined {
  const ranges = auditEventRanges(bytes);
  if (ranges === undefined) return undefined;
  try {
    return ranges.map(([start, end]) => JSON.parse(bytes.toString('utf8', start, end)) as unknown);
  } catch {
    return undefined;
  }
}

describe('auditEventRanges', () => {
  it('finds exactly the entries JSON.parse finds in a compact body', () => {
    fc.assert(
      fc.property(body, (json) => {
        const bytes = Buffer.from(json, 'utf8');
        expect(readByRanges(bytes)).toEqual(
          (JSON.parse(bytes.toString('utf8')) as { auditEvents: unknown[] }).auditEvents,
        );
      }),
    );
  });

  it('leaves other shapes to the whole parse', () => {
    const one = { id: 'a', eventData: '{}' };
    for (const json of [
      JSON.stringify({ auditEvents: [one] }, null, 1),
      JSON.stringify({ auditEvents: [] }),
      JSON.stringify({ auditEvents: [one], extra: 1 }),
      JSON.stringify({ extra: 1, auditEvents: [one] }),
      JSON.stringify({ auditEvents: [1, one] }),
      '{"auditEvents":[{"id":"a"} ,{"id":"b"}]}',
    ]) {
      expect(auditEventRanges(Buffer.from(json))).toBeUndefined();
    }
  });

  it('never reads a mangled body differently from JSON.parse', () => {
    const mangled = fc
      .tuple(body, fc.nat(), fc.constantFrom('', '"', '\\', '{', '}', '[', ']', ',', 'x', 'é'), fc.nat(3))
      .map(([json, at, insert, cut]) => {
        const i = at % (json.length + 1);
        return json.slice(0, i) + insert + json.slice(i + cut);
      });
    fc.assert(
      fc.property(mangled, (json) => {
        const bytes = Buffer.from(json, 'utf8');
        const read = readByRanges(bytes);
        if (read === undefined) return;
        expect(read).toEqual((JSON.parse(bytes.toString('utf8')) as { auditEvents: unknown[] }).auditEvents);
      }),
      { numRuns: 2000 },
    );
  });
});

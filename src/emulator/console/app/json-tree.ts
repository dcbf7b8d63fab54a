import { el } from './dom.js';

/**
 * The value the exporter's redaction writes in place of a secret; the same text CloudTrail uses for
 * values it hides ("HIDDEN_DUE_TO_SECURITY_REASONS").
 */
export const REDACTED_VALUE = 'HIDDEN_DUE_TO_SECURITY_REASONS';

/** Pretty-printed JSON as DOM nodes: redacted values are wrapped in `<mark class="redacted">`. */
export function renderJson(value: unknown): { node: HTMLElement; redactedCount: number } {
  let redactedCount = 0;
  const pre = el('pre', { class: 'json' });

  function write(current: unknown, indent: string): void {
    if (current === REDACTED_VALUE) {
      redactedCount += 1;
      pre.append(
        el('mark', { class: 'redacted', title: 'Redacted by the exporter' }, JSON.stringify(current)),
        el('span', { class: 'redacted-badge' }, ' redacted'),
      );
      return;
    }
    if (Array.isArray(current)) {
      if (current.length === 0) return void pre.append('[]');
      pre.append('[\n');
      current.forEach((item, index) => {
        pre.append(`${indent}  `);
        write(item, `${indent}  `);
        pre.append(index < current.length - 1 ? ',\n' : '\n');
      });
      pre.append(`${indent}]`);
      return;
    }
    if (typeof current === 'object' && current !== null) {
      const entries = Object.entries(current);
      if (entries.length === 0) return void pre.append('{}');
      pre.append('{\n');
      entries.forEach(([key, item], index) => {
        pre.append(`${indent}  `, el('span', { class: 'json-key' }, JSON.stringify(key)), ': ');
        write(item, `${indent}  `);
        pre.append(index < entries.length - 1 ? ',\n' : '\n');
      });
      pre.append(`${indent}}`);
      return;
    }
    pre.append(
      el(
        'span',
        { class: `json-${current === null ? 'null' : typeof current}` },
        JSON.stringify(current) ?? 'undefined',
      ),
    );
  }

  write(value, '');
  return { node: pre, redactedCount };
}

/**
 * Two pieces of Trino syntax that `node-sql-parser`'s Trino grammar (5.x) does not parse, rewritten at
 * the token level before parsing (strings, quoted identifiers and comments are never touched):
 * - an event data store named unquoted, as Lake's examples do (`FROM EXAMPLE-f852-4e8f-...` or its ARN):
 *   dashes, colons and slashes are not identifier characters, so a known id or ARN becomes `"id"`;
 * - `<value> AT TIME ZONE '<zone>'`: the grammar has no AT TIME ZONE, so it becomes the internal call
 *   `at_time_zone(<value>, '<zone>')`, which the translator handles. As in Trino's grammar, the value is
 *   the primary expression right before AT: a (dotted) name, a literal, or a parenthesised or call
 *   expression (https://trino.io/docs/current/functions/datetime.html#time-zone-conversion).
 */
interface Token {
  kind: 'space' | 'comment' | 'string' | 'quoted' | 'word' | 'symbol';
  text: string;
}

const TOKEN_PATTERN =
  /(\s+)|(--[^\n]*|\/\*[\s\S]*?(?:\*\/|$))|('(?:[^']|'')*'?)|("(?:[^"]|"")*"?)|([A-Za-z0-9_$]+)|([\s\S])/gy;

function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  TOKEN_PATTERN.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = TOKEN_PATTERN.exec(sql)) !== null) {
    const kind = match[1]
      ? 'space'
      : match[2]
        ? 'comment'
        : match[3]
          ? 'string'
          : match[4]
            ? 'quoted'
            : match[5]
              ? 'word'
              : 'symbol';
    tokens.push({ kind, text: match[0] });
  }
  return tokens;
}

const join = (tokens: readonly Token[]): string => tokens.map((token) => token.text).join('');

/** Replaces known store ids/ARNs written unquoted by a quoted identifier, in code outside literals. */
function quoteStoreNames(tokens: readonly Token[], storeNames: readonly string[]): Token[] {
  const names = [...storeNames].sort((a, b) => b.length - a.length);
  const lowered = names.map((name) => name.toLowerCase());
  const longest = lowered[0]?.length ?? 0;
  const isCode = (token: Token | undefined): boolean => token?.kind === 'word' || token?.kind === 'symbol';
  const result: Token[] = [];
  for (let index = 0; index < tokens.length; index++) {
    let candidate = '';
    let replaced = false;
    for (let end = index; isCode(tokens[end]) && candidate.length < longest; end++) {
      candidate += tokens[end]?.text ?? '';
      const found = lowered.indexOf(candidate.toLowerCase());
      // The name must end where the identifier ends, so `abc-1` never matches inside `abc-12` or `abc-1-x`.
      if (found >= 0 && !/^[A-Za-z0-9_$:/-]/.test(tokens[end + 1]?.text ?? '')) {
        result.push({ kind: 'quoted', text: `"${names[found] ?? candidate}"` });
        index = end;
        replaced = true;
        break;
      }
    }
    const token = tokens[index];
    if (!replaced && token !== undefined) result.push(token);
  }
  return result;
}

function previousSignificant(tokens: readonly Token[], from: number): number {
  let index = from;
  while (index >= 0 && (tokens[index]?.kind === 'space' || tokens[index]?.kind === 'comment')) index--;
  return index;
}

/** Start index of the primary expression that ends at `end`, or -1 when there is none. */
function primaryStart(tokens: readonly Token[], end: number): number {
  const last = tokens[end];
  if (last === undefined) return -1;
  let start = end;
  if (last.text === ')') {
    let depth = 0;
    for (; start >= 0; start--) {
      const text = tokens[start]?.text;
      if (text === ')') depth++;
      else if (text === '(' && --depth === 0) break;
    }
    if (start < 0) return -1;
    const name = previousSignificant(tokens, start - 1);
    if (tokens[name]?.kind === 'word' || tokens[name]?.kind === 'quoted') start = name;
    else return start;
  } else if (last.kind === 'string') {
    const keyword = previousSignificant(tokens, end - 1);
    if (/^(timestamp|date)$/i.test(tokens[keyword]?.text ?? '')) start = keyword;
    return start;
  } else if (last.kind !== 'word' && last.kind !== 'quoted') {
    return -1;
  }
  // A dotted name: `a.b.c`, and a call such as `x.f(...)` is not Trino syntax, so dots only chain names.
  for (;;) {
    const dot = previousSignificant(tokens, start - 1);
    if (tokens[dot]?.text !== '.') return start;
    const name = previousSignificant(tokens, dot - 1);
    if (tokens[name]?.kind !== 'word' && tokens[name]?.kind !== 'quoted') return start;
    start = name;
  }
}

function rewriteAtTimeZone(tokens: Token[]): Token[] {
  const words = (index: number, count: number): number[] => {
    const found: number[] = [];
    for (let at = index; at < tokens.length && found.length < count; at++) {
      const token = tokens[at];
      if (token?.kind === 'space' || token?.kind === 'comment') continue;
      found.push(at);
    }
    return found;
  };
  for (let index = 0; index < tokens.length; index++) {
    if (!/^at$/i.test(tokens[index]?.text ?? '') || tokens[index]?.kind !== 'word') continue;
    const [time, zone, literal] = words(index + 1, 3);
    if (time === undefined || zone === undefined || literal === undefined) continue;
    if (!/^time$/i.test(tokens[time]?.text ?? '') || !/^zone$/i.test(tokens[zone]?.text ?? '')) continue;
    if (tokens[literal]?.kind !== 'string') continue;
    const end = previousSignificant(tokens, index - 1);
    const start = primaryStart(tokens, end);
    if (start < 0) continue;
    const call: Token = {
      kind: 'word',
      text: `at_time_zone(${join(tokens.slice(start, end + 1))}, ${tokens[literal]?.text ?? ''})`,
    };
    tokens.splice(start, literal - start + 1, call);
    index = start;
  }
  return tokens;
}

/** The statement with unquoted store names quoted and AT TIME ZONE turned into a call. */
export function rewriteLakeSyntax(sql: string, storeNames: readonly string[]): string {
  return join(rewriteAtTimeZone(quoteStoreNames(tokenize(sql), storeNames)));
}

import { createHash, timingSafeEqual } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../errors.js';

/**
 * Who sent a request, as the token file names it, and what it may write. A pin left out allows any
 * value; a pin given as a list allows only its values.
 */
export interface BridgeClient {
  /** The client's name, recorded in each of its events' additionalEventData. */
  readonly name: string;
  /** The `eventSource` values its records may carry (after mapping). */
  readonly eventSources?: readonly string[];
  /** The `recipientAccountId` values its records may carry (after mapping). */
  readonly recipientAccountIds?: readonly string[];
}

/** The clients of a token file, looked up by bearer token or by client-certificate subject. */
export interface BridgeClients {
  /** Clients configured. */
  readonly size: number;
  /** The client holding `token`, compared in constant time over SHA-256 digests; undefined when none does. */
  byToken(token: string): BridgeClient | undefined;
  /** The client whose `certificateSubject` is `commonName`. */
  byCertificateSubject(commonName: string): BridgeClient | undefined;
}

interface Entry {
  client: BridgeClient;
  digest: Buffer | undefined;
  certificateSubject: string | undefined;
}

/**
 * Short tokens can be guessed; 16 characters of a random token are about 96 bits. Generate one with
 * `openssl rand -base64 32`.
 */
const MIN_TOKEN_CHARS = 16;
const ENTRY_KEYS = new Set([
  'name',
  'token',
  'sha256',
  'certificateSubject',
  'eventSources',
  'recipientAccountIds',
]);

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function stringList(value: unknown, at: string, file: string): readonly string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || item === '')) {
    throw new ConfigError(at, `Expected \`${at}\` in ${file} to be a list of non-empty strings`);
  }
  return Object.freeze([...(value as string[])]);
}

/** One `clients[i]` entry; error messages name the entry and never repeat a token or digest. */
function parseEntry(value: unknown, index: number, file: string): Entry {
  const at = `clients[${index}]`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(at, `Expected \`${at}\` in ${file} to be a mapping`);
  }
  const entry = value as Record<string, unknown>;
  for (const key of Object.keys(entry)) {
    if (!ENTRY_KEYS.has(key))
      throw new ConfigError(`${at}.${key}`, `Unknown key \`${at}.${key}\` in ${file}`);
  }
  const { name, token, sha256: digestHex, certificateSubject } = entry;
  if (typeof name !== 'string' || !/^[\w.@:-]{1,128}$/.test(name)) {
    throw new ConfigError(
      `${at}.name`,
      `Expected \`${at}.name\` in ${file} to be 1 to 128 letters, digits or . _ - @ :`,
    );
  }
  let digest: Buffer | undefined;
  if (token !== undefined && digestHex !== undefined) {
    throw new ConfigError(at, `\`${at}\` (${name}) in ${file} has both \`token\` and \`sha256\`; keep one`);
  }
  if (token !== undefined) {
    if (typeof token !== 'string' || token.length < MIN_TOKEN_CHARS || /\s/.test(token)) {
      throw new ConfigError(
        `${at}.token`,
        `Expected \`${at}.token\` (${name}) in ${file} to be at least ${MIN_TOKEN_CHARS} characters without spaces`,
      );
    }
    digest = sha256(token);
  } else if (digestHex !== undefined) {
    if (typeof digestHex !== 'string' || !/^[0-9a-fA-F]{64}$/.test(digestHex)) {
      throw new ConfigError(
        `${at}.sha256`,
        `Expected \`${at}.sha256\` (${name}) in ${file} to be 64 hex digits, the SHA-256 of the token`,
      );
    }
    digest = Buffer.from(digestHex, 'hex');
  }
  if (
    certificateSubject !== undefined &&
    (typeof certificateSubject !== 'string' || certificateSubject === '')
  ) {
    throw new ConfigError(
      `${at}.certificateSubject`,
      `Expected \`${at}.certificateSubject\` in ${file} to be a string`,
    );
  }
  if (digest === undefined && certificateSubject === undefined) {
    throw new ConfigError(
      at,
      `\`${at}\` (${name}) in ${file} needs a \`token\`, a \`sha256\` or a \`certificateSubject\``,
    );
  }
  const eventSources = stringList(entry['eventSources'], `${at}.eventSources`, file);
  const recipientAccountIds = stringList(entry['recipientAccountIds'], `${at}.recipientAccountIds`, file);
  return {
    client: Object.freeze({
      name,
      ...(eventSources === undefined ? {} : { eventSources }),
      ...(recipientAccountIds === undefined ? {} : { recipientAccountIds }),
    }),
    digest,
    certificateSubject,
  };
}

/**
 * Parses a token file (YAML or JSON): `clients:` a list of `{ name, token | sha256 | certificateSubject,
 * eventSources?, recipientAccountIds? }`. Tokens are kept only as their SHA-256 digests.
 * @throws ConfigError naming the entry and key at fault, never the token.
 */
export function parseBridgeClients(text: string, file: string): BridgeClients {
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch {
    // The parser's message may quote the line, which may hold a token.
    throw new ConfigError('authTokensFile', `The token file ${file} is not valid YAML`);
  }
  const clients =
    typeof document === 'object' && document !== null
      ? (document as Record<string, unknown>)['clients']
      : undefined;
  if (!Array.isArray(clients) || clients.length === 0) {
    throw new ConfigError(
      'authTokensFile',
      `Expected the token file ${file} to hold a non-empty \`clients:\` list`,
    );
  }
  const entries = clients.map((value, index) => parseEntry(value, index, file));
  const names = new Set<string>();
  for (const { client } of entries) {
    if (names.has(client.name)) {
      throw new ConfigError('authTokensFile', `Client name \`${client.name}\` appears twice in ${file}`);
    }
    names.add(client.name);
  }
  const withDigest = entries.filter((entry) => entry.digest !== undefined);
  return {
    size: entries.length,
    byToken(token) {
      const presented = sha256(token);
      let found: BridgeClient | undefined;
      // Every digest is compared, with no early exit, so the time taken says nothing about which matched.
      for (const entry of withDigest) {
        if (timingSafeEqual(presented, entry.digest!)) found = entry.client;
      }
      return found;
    },
    byCertificateSubject(commonName) {
      return entries.find((entry) => entry.certificateSubject === commonName)?.client;
    },
  };
}

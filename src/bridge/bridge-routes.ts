/**
 * The bridge's routing table: records go to the channel of the first rule whose `match` they meet (by
 * resource attribute, e.g. `service.name`, or by record attribute, e.g. a tenant id), else to the
 * bridge's own `channelArn`. Checked once at start, so a typo refuses to start rather than misroutes.
 *
 * ```yaml
 * bridge:
 *   routes:
 *     - match: { resource: { service.name: billing } }
 *       channelArn: arn:aws:cloudtrail:us-east-1:111122223333:channel/billing
 *       externalId: billing-ext-id
 * ```
 */
import { ConfigError } from '../errors.js';
import { describeValue } from '../internal/check-option.js';
import type { AuditLogRecord } from '../mapping/audit-log-record.js';
import { checkDestination, type ChannelDestination } from '../pipeline/channel-destination.js';
import { EXTERNAL_ID_RULE } from '../transport/http-transport-options.js';

/** Attribute values a rule compares with: an attribute matches when it is a scalar of the same text. */
export type RouteMatchValue = string | number | boolean;

/** One rule: every attribute named in `match` must have the value given. */
export interface BridgeRoute {
  match: {
    /** Resource attributes (`service.name`, `deployment.environment.name`, ...). */
    resource?: Readonly<Record<string, RouteMatchValue>>;
    /** Log record attributes (`tenant.id`, ...). */
    attributes?: Readonly<Record<string, RouteMatchValue>>;
  };
  /** The full ARN of the channel the matching records go to. */
  channelArn: string;
  /** The externalId that channel's resource policy requires, if any. Never logged. */
  externalId?: string;
}

const MATCH_KEYS = ['resource', 'attributes'] as const;
const RULE_KEYS: ReadonlySet<string> = new Set(['match', 'channelArn', 'externalId']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isMatchValue(value: unknown): value is RouteMatchValue {
  return (
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

function checkRule(rule: unknown, index: number): BridgeRoute {
  const at = `routes[${index}]`;
  if (!isObject(rule)) {
    throw new ConfigError(
      at,
      `Expected \`${at}\` to be a mapping with \`match\` and \`channelArn\`, got ${describeValue(rule)}`,
    );
  }
  for (const key of Object.keys(rule)) {
    if (!RULE_KEYS.has(key))
      throw new ConfigError(
        `${at}.${key}`,
        `Unknown key \`${at}.${key}\`; expected match, channelArn, externalId`,
      );
  }
  const { match } = rule;
  if (!isObject(match)) {
    throw new ConfigError(
      `${at}.match`,
      `Expected \`${at}.match\` to be a mapping with \`resource\` and/or \`attributes\`, got ${describeValue(match)}`,
    );
  }
  let conditions = 0;
  for (const key of Object.keys(match)) {
    const field = `${at}.match.${key}`;
    if (!(MATCH_KEYS as readonly string[]).includes(key)) {
      throw new ConfigError(field, `Unknown key \`${field}\`; expected resource or attributes`);
    }
    const values = match[key];
    if (!isObject(values))
      throw new ConfigError(
        field,
        `Expected \`${field}\` to map attribute names to values, got ${describeValue(values)}`,
      );
    for (const [name, value] of Object.entries(values)) {
      if (!isMatchValue(value)) {
        throw new ConfigError(
          `${field}.${name}`,
          `Expected \`${field}.${name}\` to be a string, number or boolean, got ${describeValue(value)}`,
        );
      }
      conditions += 1;
    }
  }
  if (conditions === 0) {
    // A rule without conditions would catch every record: that is what the bridge's `channelArn` is for.
    throw new ConfigError(
      `${at}.match`,
      `Expected \`${at}.match\` to name at least one attribute; the default channel is the exporter's \`channelArn\``,
    );
  }
  const checked = checkDestination({ channelArn: rule['channelArn'], externalId: rule['externalId'] });
  if (!('ok' in checked)) {
    const externalId = rule['externalId'];
    throw checked.field === 'channelArn'
      ? new ConfigError(
          `${at}.channelArn`,
          `Expected \`${at}.channelArn\` to be a full channel ARN \`arn:{partition}:cloudtrail:{region}:{account}:channel/{id}\`, got ${describeValue(rule['channelArn'])}`,
        )
      : new ConfigError(
          `${at}.externalId`,
          `Expected \`${at}.externalId\` to be ${EXTERNAL_ID_RULE.expected}, got ${typeof externalId === 'string' ? `${externalId.length} characters` : describeValue(externalId)}`,
        );
  }
  return rule as unknown as BridgeRoute;
}

/** Checks the `routes` option. @throws ConfigError naming the rule index and its field */
export function checkBridgeRoutes(value: unknown): readonly BridgeRoute[] {
  if (value === undefined) return [];
  if (!Array.isArray(value))
    throw new ConfigError('routes', `Expected \`routes\` to be a list of rules, got ${describeValue(value)}`);
  return value.map(checkRule);
}

function matches(
  expected: Readonly<Record<string, RouteMatchValue>> | undefined,
  actual: Readonly<Record<string, unknown>>,
): boolean {
  if (expected === undefined) return true;
  for (const [name, value] of Object.entries(expected)) {
    const found = actual[name];
    if (!isMatchValue(found) && typeof found !== 'bigint') return false;
    if (String(found) !== String(value)) return false;
  }
  return true;
}

/** The destination of a record by the first matching rule; undefined sends it to the bridge's own channel. */
export function routeByRules(
  routes: readonly BridgeRoute[],
): (record: AuditLogRecord) => ChannelDestination | undefined {
  return (record) => {
    for (const route of routes) {
      if (
        matches(route.match.resource, record.resource.attributes ?? {}) &&
        matches(route.match.attributes, record.attributes)
      ) {
        return route.externalId === undefined
          ? { channelArn: route.channelArn }
          : { channelArn: route.channelArn, externalId: route.externalId };
      }
    }
    return undefined;
  };
}

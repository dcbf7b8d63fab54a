import { AwsError } from '../aws-error.js';

/**
 * What PutAuditEvents needs from a channel's resource policy. AWS's guide for integrations with
 * external sources grants `cloudtrail-data:PutAuditEvents` to the partner's account with a condition
 * `"StringEquals": {"cloudtrail:ExternalId": "<id>"}`
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/query-event-data-store-integration.html).
 * The emulator reads the Allow statements: their AWS principals may call besides the owner, and when
 * any names an external id, a request must send one of them.
 */
export interface ChannelPolicyGrant {
  /** Twelve-digit accounts named as `Principal.AWS` (an account id or `arn:...:iam::<account>:root`). */
  accounts: string[];
  /** Values of the `cloudtrail:ExternalId` condition; empty when no statement has one. */
  externalIds: string[];
}

const MAX_POLICY_CHARS = 8192;

function list(value: unknown): unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** Parses a resource policy; throws ResourcePolicyNotValidException naming what is wrong. */
export function parseChannelPolicy(text: string): ChannelPolicyGrant {
  if (text.length < 1 || text.length > MAX_POLICY_CHARS)
    throw new AwsError(
      'ResourcePolicyNotValidException',
      `ResourcePolicy must have 1 to ${MAX_POLICY_CHARS} characters.`,
    );
  let policy: unknown;
  try {
    policy = JSON.parse(text);
  } catch {
    throw new AwsError('ResourcePolicyNotValidException', 'ResourcePolicy is not valid JSON.');
  }
  const statements = list((policy as { Statement?: unknown } | null)?.Statement);
  if (statements.length === 0)
    throw new AwsError('ResourcePolicyNotValidException', 'ResourcePolicy must have at least one Statement.');
  const grant: ChannelPolicyGrant = { accounts: [], externalIds: [] };
  for (const statement of statements as Array<Record<string, unknown>>) {
    if (
      statement === null ||
      typeof statement !== 'object' ||
      !['Allow', 'Deny'].includes(statement['Effect'] as string)
    )
      throw new AwsError(
        'ResourcePolicyNotValidException',
        'Each Statement needs an Effect of Allow or Deny.',
      );
    if (statement['Effect'] !== 'Allow') continue;
    const principal = statement['Principal'] as { AWS?: unknown } | undefined;
    for (const name of list(principal?.AWS)) {
      const account = /^(?:arn:[a-z-]+:iam::)?(\d{12})(?::root)?$/.exec(String(name))?.[1];
      if (account === undefined)
        throw new AwsError(
          'ResourcePolicyNotValidException',
          `Principal.AWS must name accounts, got '${String(name)}'.`,
        );
      grant.accounts.push(account);
    }
    const condition = statement['Condition'] as { StringEquals?: Record<string, unknown> } | undefined;
    for (const value of list(condition?.StringEquals?.['cloudtrail:ExternalId']))
      grant.externalIds.push(String(value));
  }
  return grant;
}

/** The policy the start-up options (`channels[].externalId`) stand for: the owner, with that external id. */
export function externalIdPolicy(channelArn: string, ownerAccountId: string, externalId: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'EmulatorStartupExternalId',
        Effect: 'Allow',
        Principal: { AWS: ownerAccountId },
        Action: 'cloudtrail-data:PutAuditEvents',
        Resource: channelArn,
        Condition: { StringEquals: { 'cloudtrail:ExternalId': externalId } },
      },
    ],
  });
}

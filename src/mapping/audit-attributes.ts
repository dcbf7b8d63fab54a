/**
 * The attribute keys of the mapping contract (/work/shared/design/mapping.md). Incubating semantic
 * convention keys are copied as literals, as the semantic-conventions README asks libraries to do.
 */

/** A record is an audit event by default when one of its attribute keys starts with this. */
export const AUDIT_ATTRIBUTE_PREFIX = 'audit.';

/** The `audit.*` attributes the mapping reads, one per eventData field. */
export const AUDIT_ATTRIBUTES = Object.freeze({
  id: 'audit.id',
  version: 'audit.version',
  userIdentityType: 'audit.user_identity.type',
  userIdentityPrincipalId: 'audit.user_identity.principal_id',
  userIdentityDetails: 'audit.user_identity.details',
  userAgent: 'audit.user_agent',
  eventSource: 'audit.event_source',
  eventName: 'audit.event_name',
  eventTime: 'audit.event_time',
  uid: 'audit.uid',
  requestParameters: 'audit.request_parameters',
  responseElements: 'audit.response_elements',
  errorCode: 'audit.error_code',
  errorMessage: 'audit.error_message',
  sourceIpAddress: 'audit.source_ip_address',
  recipientAccountId: 'audit.recipient_account_id',
  additionalEventData: 'audit.additional_event_data',
} as const);

/** Semantic-convention keys read as fallbacks, in the contract's order. */
export const FALLBACK_ATTRIBUTES = Object.freeze({
  principalId: ['user.id', 'enduser.id'],
  userName: 'user.name',
  userEmail: 'user.email',
  userRoles: 'user.roles',
  userAgent: ['user_agent.original'],
  serviceName: 'service.name',
  eventName: 'event.name',
  errorCode: ['error.type', 'exception.type'],
  errorMessage: ['exception.message'],
  sourceIpAddress: ['client.address', 'source.address'],
} as const);

/** The default `filter`: true when the record carries at least one attribute whose key starts with `audit.`. */
export function hasAuditAttribute(record: {
  readonly attributes: Readonly<Record<string, unknown>>;
}): boolean {
  for (const key in record.attributes) {
    if (key.startsWith(AUDIT_ATTRIBUTE_PREFIX)) return true;
  }
  return false;
}

/**
 * The attribute keys of the mapping contract (docs/mapping.md). Incubating semantic convention keys and
 * the draft OpenTelemetry audit attributes are copied as literals rather than imported from incubating
 * packages, as the semantic-conventions README asks libraries to do: those names may still change, and a
 * library must not break when they do.
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

/**
 * The draft OpenTelemetry audit-logging attributes (the Audit Logging SIG's OTEP 0267 "Audit Logging
 * Signal" and its draft data model), plus the semantic conventions' `log.record.uid`. The mapping reads
 * each one after the project's own `audit.*` key for the same field, so an application written for
 * either vocabulary works, and one that sets both gets the project's key.
 */
export const OTEL_AUDIT_ATTRIBUTES = Object.freeze({
  recordId: 'audit.record.id',
  logRecordUid: 'log.record.uid',
  actorId: 'audit.actor.id',
  actorType: 'audit.actor.type',
  action: 'audit.action',
  outcome: 'audit.outcome',
  targetId: 'audit.target.id',
  targetType: 'audit.target.type',
  sourceId: 'audit.source.id',
  sourceType: 'audit.source.type',
  schemaVersion: 'audit.schema.version',
  integrityValue: 'audit.integrity.value',
  sequenceNumber: 'audit.sequence.number',
  sequencePrevHash: 'audit.sequence.prev_hash',
} as const);

/**
 * `userIdentity.type` for each `audit.actor.type` of the draft OTel vocabulary. CloudTrail's own
 * identity types are PascalCase words (`IAMUser`, `AssumedRole`, `AWSService`), so the lower-case OTel
 * values are written the same way; any other value is kept as given.
 */
export const ACTOR_TYPE_TO_USER_IDENTITY_TYPE: Readonly<Record<string, string>> = Object.freeze({
  user: 'User',
  service: 'Service',
  system: 'System',
});

/** The `audit.outcome` value that stands for a failed action, and the errorCode it gives. */
export const FAILURE_OUTCOME = 'failure';

/** Every attribute key the mapping reads, each once: what docs/mapping.md documents. */
export const MAPPED_ATTRIBUTE_KEYS: readonly string[] = Object.freeze([
  ...new Set<string>(
    [AUDIT_ATTRIBUTES, FALLBACK_ATTRIBUTES, OTEL_AUDIT_ATTRIBUTES].flatMap((keys) =>
      Object.values<string | readonly string[]>(keys).flat(),
    ),
  ),
]);

/** The default `filter`: true when the record carries at least one attribute whose key starts with `audit.`. */
export function hasAuditAttribute(record: {
  readonly attributes: Readonly<Record<string, unknown>>;
}): boolean {
  for (const key in record.attributes) {
    if (key.startsWith(AUDIT_ATTRIBUTE_PREFIX)) return true;
  }
  return false;
}

import type { EventData } from './audit-event.js';
import type { AuditLogRecord } from './audit-log-record.js';

export { hasAuditAttribute } from './audit-attributes.js';

/**
 * eventData as the mapping built it, before validation: any field may be missing (nothing was found)
 * or hold a value of the wrong type (the record carried one). Validation decides.
 */
export type EventDataDraft = Omit<Partial<EventData>, 'userIdentity'> & {
  userIdentity?: Partial<EventData['userIdentity']>;
};

/** Values used when neither the record nor its resource carries the field. */
export interface MappingDefaults {
  /**
   * `userIdentity.type` when there is no `audit.user_identity.type`, e.g. `'Application'`.
   * @default undefined: such a record is rejected (the field is required)
   */
  userIdentityType?: string;
  /**
   * `eventSource` when there is no `audit.event_source` and the resource's `service.name` is unset or
   * the SDK's `unknown_service…` placeholder.
   * @default undefined: such a record is rejected (the field is required)
   */
  eventSource?: string;
  /**
   * `version` when there is no `audit.version`.
   * @default DEFAULTS.eventDataVersion (`'1.0'`)
   */
  version?: string;
}

/** How log records become eventData: the knobs of the mapping contract. */
export interface MappingOptions {
  /** Fallback values for required fields. @default {} */
  defaults?: MappingDefaults;
  /**
   * The account that owns the channel, already resolved by the caller (its option, else the account in
   * the channel ARN). Used when the record and resource have no `audit.recipient_account_id`.
   * @default undefined: such a record is rejected (the field is required)
   */
  recipientAccountId?: string;
  /**
   * Chooses which records are audit events; others are skipped and counted. A throw rejects only that
   * record with a MappingError. Keep it pure and cheap: with the processor adapter it runs in `onEmit`
   * (so non-audit records never take queue space) and again in the exporter, which also serves other
   * processors that did not filter.
   * @default a record with at least one attribute key starting with `audit.`
   */
  filter?: (record: AuditLogRecord) => boolean;
  /**
   * Changes or replaces the mapped eventData; its result is validated like any other (including a deep
   * check that it is plain JSON). A throw rejects only that record with a MappingError.
   * @default undefined (the mapping is used as is)
   */
  mapRecord?: (record: AuditLogRecord, mapped: EventDataDraft) => EventDataDraft;
  /**
   * Copy the record's non-`audit.*` attributes into `additionalEventData.attributes`.
   * @default DEFAULTS.includeAttributes (`false`)
   */
  includeAttributes?: boolean;
  /**
   * Cut over-long string fields to their limit (listing them in `additionalEventData.truncatedFields`)
   * instead of rejecting the record.
   * @default DEFAULTS.truncate (`false`)
   */
  truncate?: boolean;
}

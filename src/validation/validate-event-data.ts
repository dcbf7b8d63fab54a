import type { ValidationError } from '../errors.js';
import type { EventData } from '../mapping/audit-event.js';
import { checkFields } from './check-fields.js';
import { checkObjectSizes } from './check-object-sizes.js';

/** How strictly to validate one eventData object. */
export interface ValidateEventDataOptions {
  /** The event's id, named in every error. */
  eventId: string;
  /**
   * Cut over-long strings to their limit and an over-large additionalEventData in its stated order,
   * listing each cut in `additionalEventData.truncatedFields`, instead of rejecting.
   * @default DEFAULTS.truncate (`false`)
   */
  truncate?: boolean;
  /**
   * Cut an over-large additionalEventData even when `truncate` is off: the mapping contract bounds the
   * additionalEventData it builds itself.
   * @default the value of `truncate`
   */
  boundAdditionalEventData?: boolean;
  /**
   * Skip the deep "plain JSON" walk of object fields because the data came from our own mapping.
   * @default false
   */
  trusted?: boolean;
}

export interface ValidateEventDataResult {
  /** The valid eventData (a copy when something was cut), or `undefined` when there are errors. */
  eventData: EventData | undefined;
  /** Every broken rule, in field order; empty when valid. */
  errors: ValidationError[];
}

/**
 * Checks eventData against every rule of the CloudTrail Lake integration schema
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/query-integration-event-schema.html):
 * required fields (also userIdentity.type and .principalId), types, string limits in characters
 * (UTF-16 code units, as `String.length` counts them), object limits as serialised UTF-8 bytes, eventTime
 * `yyyy-MM-ddTHH:mm:ssZ`, sourceIPAddress IPv4/IPv6, recipientAccountId 12 digits, and no unknown fields.
 * Pure; the input is never modified.
 */
export function validateEventData(
  input: unknown,
  options: ValidateEventDataOptions,
): ValidateEventDataResult {
  const truncate = options.truncate ?? false;
  const fields = checkFields(input, {
    eventId: options.eventId,
    truncate,
    trusted: options.trusted ?? false,
  });
  if (fields.errors.length > 0) return { eventData: undefined, errors: fields.errors };
  const sizes = checkObjectSizes(fields.data, {
    eventId: options.eventId,
    boundAdditionalEventData: options.boundAdditionalEventData ?? truncate,
  });
  if (sizes.errors.length > 0) return { eventData: undefined, errors: sizes.errors };
  return { eventData: sizes.data as unknown as EventData, errors: [] };
}

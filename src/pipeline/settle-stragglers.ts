/**
 * The last step of a channel's send: every id it was given leaves with exactly one fate, whatever the
 * transport returned or threw.
 */
import { CloudTrailLakeError, ERROR_CODES } from '../errors.js';
import type { SendEntry, SendOutcome } from './pipeline-entry.js';

/**
 * Gives every entry the outcome does not mention (an unexpected throw, a transport that broke its
 * contract) the fate `failed`, and drops a second mention of an id, so each id has exactly one fate.
 */
export function settleStragglers(entries: readonly SendEntry[], outcome: SendOutcome): void {
  const seen = new Set<string>();
  const once = (id: string): boolean => !seen.has(id) && seen.add(id) !== undefined;
  outcome.accepted = outcome.accepted.filter((event) => once(event.id));
  outcome.rejected = outcome.rejected.filter((rejection) => once(rejection.eventId));
  outcome.failed = outcome.failed
    .map((group) => ({ ids: group.ids.filter(once), error: group.error }))
    .filter((group) => group.ids.length > 0);
  const missing = entries.map((entry) => entry.id).filter(once);
  if (missing.length > 0) {
    outcome.failed.push({
      ids: missing,
      error: new CloudTrailLakeError(
        ERROR_CODES.BUG,
        `${missing.length} audit event(s) got no result from the send (a bug); they stay owed`,
      ),
    });
  }
}

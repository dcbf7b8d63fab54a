/**
 * The error of a FAILED export result: how many audit records were accepted, rejected for good and
 * given up on, with the first reason of each kind. The batch processor hands it to the global error
 * handler, so it must say enough to act on without a debugger, and never carry a secret.
 */
import { CloudTrailLakeError, ERROR_CODES } from '../errors.js';
import type { SendOutcome } from './pipeline-entry.js';

export function describeExportFailure(total: number, outcome: SendOutcome): CloudTrailLakeError {
  const { accepted, rejected, failed } = outcome;
  const failedCount = failed.reduce((sum, group) => sum + group.ids.length, 0);
  const parts = [`${accepted.length} accepted`];
  if (rejected.length > 0) {
    const codes = new Map<string, number>();
    for (const rejection of rejected) codes.set(rejection.code, (codes.get(rejection.code) ?? 0) + 1);
    const summary = [...codes].map(([code, count]) => `${count} ${code}`).join(', ');
    parts.push(`${rejected.length} rejected for good (${summary}; first: ${rejected[0]?.message ?? ''})`);
  }
  if (failedCount > 0) {
    parts.push(`${failedCount} failed (first: ${failed[0]?.error.message ?? ''})`);
  }
  const cause = failed[0]?.error ?? rejected[0];
  return new CloudTrailLakeError(
    ERROR_CODES.EXPORT_FAILED,
    `CloudTrail Lake export of ${total} audit record(s) incomplete: ${parts.join(', ')}`,
    { cause },
  );
}

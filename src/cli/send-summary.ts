import stringWidth from 'string-width';
import type { FailureEntry } from './failure-tally.js';
import { padDisplay } from './format-table.js';

/**
 * What `send` reports at the end, or at Ctrl+C with what was settled so far. `--output json` (or
 * `--json`) prints it as one JSON object; the field names are part of the CLI's interface.
 */
export interface SendSummary {
  /** The input: a path, or `-` for stdin. */
  file: string;
  /** Non-blank lines read. */
  read: number;
  /** Events the service accepted. */
  accepted: number;
  /** Events rejected for good, invalid lines and duplicate ids. */
  rejected: number;
  /** Events given up on (retries exhausted, deadline, a permanent request error). */
  failed: number;
  /** Lines read but not sent because the run was interrupted. */
  notSent: number;
  /** Non-blank lines of the file not read because the run was interrupted (0 for stdin: unknown). */
  unread: number;
  /** PutAuditEvents requests made. */
  requests: number;
  seconds: number;
  /** The run was stopped by SIGINT or SIGTERM. */
  interrupted: boolean;
  /** Rejected and failed events by code, most frequent first. */
  failures: FailureEntry[];
}

/** The summary as text lines. */
export function formatSendSummary(summary: SendSummary): string[] {
  const lines = [
    `Sent ${summary.read} event(s) from ${summary.file} in ${summary.requests} request(s) in ${summary.seconds.toFixed(1)} s: ` +
      `${summary.accepted} accepted, ${summary.rejected} rejected, ${summary.failed} failed`,
  ];
  if (summary.failures.length > 0) {
    const width = Math.max(...summary.failures.map(({ code }) => stringWidth(code)));
    lines.push('Not ingested, by code:');
    for (const { code, count, example } of summary.failures) {
      lines.push(`  ${padDisplay(code, width)}  ${String(count).padStart(6)}  first: ${example}`);
    }
  }
  if (summary.interrupted) {
    const unread = summary.unread > 0 ? ` and ${summary.unread} not read` : '';
    lines.push(
      `Interrupted: ${summary.notSent} line(s) read but not sent${unread}. Running the same command again ` +
        'sends every line under the same id as this run, so events already accepted can be recognised.',
    );
  }
  return lines;
}

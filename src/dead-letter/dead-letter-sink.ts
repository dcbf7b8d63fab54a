/**
 * Writes dead letters to the configured destination. The exporter calls it before it tells the spool
 * the events are settled, and the file write is synchronous, so a crash in between leaves the event in
 * the spool (sent again, rejected again, dead-lettered again) rather than lost.
 */
import { closeSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { makePrivateDirectory, openPrivateForAppend } from '../internal/private-files.js';
import type { Counter, MeterProvider } from '@opentelemetry/api';
import { ConfigError } from '../errors.js';
import { CHANNEL_ATTRIBUTE, METRIC_NAMES } from '../pipeline/export-stats.js';
import { componentLogger } from '../internal/diag.js';
import type { DeadLetter, DeadLetterOption, OnDeadLetter } from './dead-letter.js';

const logger = componentLogger('CloudTrailLakeDeadLetters');

export interface DeadLetterSink {
  /** Hands `entries` to the destination. Never throws. */
  write(entries: readonly DeadLetter[]): void;
  /** Dead letters written so far. */
  readonly written: number;
  /** Dead letters the destination failed to take (logged). */
  readonly failed: number;
  close(): void;
}

/** Checks a `deadLetter` option. @throws ConfigError naming the option */
export function checkDeadLetterOption(value: unknown): DeadLetterOption {
  if (typeof value === 'object' && value !== null) {
    const option = value as Record<string, unknown>;
    if (typeof option['path'] === 'string' && option['path'] !== '') return { path: option['path'] };
    if (typeof option['onDeadLetter'] === 'function')
      return { onDeadLetter: option['onDeadLetter'] as OnDeadLetter };
  }
  throw new ConfigError(
    'deadLetter',
    `Expected \`deadLetter\` to be { path: string } or { onDeadLetter: function }, got ${
      typeof value === 'object' && value !== null
        ? `an object with keys ${Object.keys(value).join(', ') || '(none)'}`
        : typeof value
    }`,
  );
}

export function createDeadLetterSink(
  option: DeadLetterOption,
  meterProvider?: MeterProvider,
): DeadLetterSink {
  let written = 0;
  let failed = 0;
  let fd: number | undefined;
  const counter: Counter | undefined = meterProvider
    ?.getMeter('otel-cloudtrail-lake')
    .createCounter(METRIC_NAMES.deadLettered, {
      description: 'Audit events rejected for good and written to the dead-letter destination.',
      unit: '{record}',
    });
  const deliver: (entries: readonly DeadLetter[]) => void =
    'path' in option
      ? (entries) => {
          if (fd === undefined) {
            makePrivateDirectory(dirname(option.path));
            fd = openPrivateForAppend(option.path);
          }
          const text = entries.map((entry) => JSON.stringify(entry)).join('\n') + '\n';
          const data = Buffer.from(text, 'utf8');
          let offset = 0;
          while (offset < data.length) offset += writeSync(fd, data, offset, data.length - offset);
        }
      : (entries) => option.onDeadLetter(entries);
  const where = 'path' in option ? `file ${option.path}` : 'onDeadLetter';
  return {
    write(entries) {
      if (entries.length === 0) return;
      try {
        deliver(entries);
        written += entries.length;
        if (counter !== undefined) {
          // Labelled by channel, as the exporter's other counters are, when the letters name one.
          const byChannel = new Map<string | undefined, number>();
          for (const entry of entries)
            byChannel.set(entry.channelArn, (byChannel.get(entry.channelArn) ?? 0) + 1);
          for (const [channelArn, count] of byChannel) {
            counter.add(
              count,
              channelArn === undefined
                ? { exporter: 'cloudtrail_lake' }
                : { exporter: 'cloudtrail_lake', [CHANNEL_ATTRIBUTE]: channelArn },
            );
          }
        }
      } catch (error) {
        failed += entries.length;
        logger.error(`Writing ${entries.length} dead letter(s) to ${where} failed; they are lost`, error);
      }
    },
    get written() {
      return written;
    },
    get failed() {
      return failed;
    },
    close() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}

import type { Context } from '@opentelemetry/api';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { createRedactor, type RedactOptions } from './redact.js';

/** Options of {@link RedactingLogRecordProcessor}. */
export interface RedactingLogRecordProcessorOptions extends RedactOptions {
  /**
   * The processor that receives each record once redacted. Without it, the processor only rewrites
   * records in place; list it before the others in `LoggerProvider({ processors })`, which calls them in order.
   * @default undefined
   */
  next?: LogRecordProcessor;
  /**
   * Redact inside the record body too, when it is a map or a JSON-object string.
   * @default true
   */
  redactBody?: boolean;
}

/**
 * The setters this processor needs. Written as methods so that both the 0.2xx signature
 * (`value?: AnyValue`) and the 3.x one (`value?: unknown`) are assignable to it.
 */
interface WritableRecord {
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly body?: unknown;
  setAttribute(key: string, value: unknown): unknown;
  setBody(body: unknown): unknown;
}

/**
 * A LogRecordProcessor that replaces the values of sensitive attributes (passwords, tokens,
 * authorization and cookie headers, keys, credentials...) with REDACTED_VALUE, as CloudTrail does in
 * its own events, at any depth of map attributes and JSON-object strings. It must run inside `onEmit`:
 * records are read-only once emitted.
 */
export class RedactingLogRecordProcessor implements LogRecordProcessor {
  readonly #next: LogRecordProcessor | undefined;
  readonly #redactBody: boolean;
  readonly #redactor;

  /** @throws ConfigError when a pattern is not a valid regular expression. */
  constructor(options: RedactingLogRecordProcessorOptions = {}) {
    this.#next = options.next;
    this.#redactBody = options.redactBody ?? true;
    this.#redactor = createRedactor(options);
  }

  onEmit(logRecord: ReadWriteLogRecord, context?: Context): void {
    const record: WritableRecord = logRecord;
    const attributes = record.attributes;
    const redacted = this.#redactor.redactAttributes(attributes);
    if (redacted !== attributes) {
      for (const key of Object.keys(redacted)) {
        if (redacted[key] !== attributes[key]) record.setAttribute(key, redacted[key]);
      }
    }
    if (this.#redactBody && record.body !== undefined) {
      const body = this.#redactor.redactValue(record.body);
      if (body !== record.body) record.setBody(body);
    }
    this.#next?.onEmit(logRecord, context);
  }

  forceFlush(): Promise<void> {
    return this.#next?.forceFlush() ?? Promise.resolve();
  }

  shutdown(): Promise<void> {
    return this.#next?.shutdown() ?? Promise.resolve();
  }
}

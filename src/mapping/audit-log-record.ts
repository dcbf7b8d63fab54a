/**
 * The record shape the mapping reads: the fields of the sdk-logs `ReadableLogRecord` that matter to an
 * audit event, typed loosely enough that both OTel JS lines fit (0.2xx types attribute values as
 * `AnyValue`, 3.x as `unknown`), and that the bridge and the spool can build one from plain data.
 * Values are therefore checked at run time, never trusted by type.
 */
export interface AuditLogRecord {
  /** Event time, `[seconds, nanoseconds]` since the epoch. */
  readonly hrTime: readonly [number, number];
  /** Observed time, `[seconds, nanoseconds]` since the epoch. */
  readonly hrTimeObserved: readonly [number, number];
  readonly spanContext?: { readonly traceId: string; readonly spanId: string } | undefined;
  readonly severityText?: string | undefined;
  readonly severityNumber?: number | undefined;
  readonly body?: unknown;
  readonly eventName?: string | undefined;
  readonly resource: { readonly attributes: Readonly<Record<string, unknown>> };
  readonly instrumentationScope: { readonly name: string; readonly version?: string | undefined };
  readonly attributes: Readonly<Record<string, unknown>>;
}

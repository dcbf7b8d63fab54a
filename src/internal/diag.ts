import { diag, type DiagLogger } from '@opentelemetry/api';

/** A component logger, as the OTel exporters do, so users filter our lines with their diag setup. */
export function componentLogger(namespace: string): DiagLogger {
  return diag.createComponentLogger({ namespace });
}

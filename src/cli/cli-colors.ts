import { styleText } from 'node:util';
import type { CliIo } from './cli-io.js';

/** The few styles the CLI uses; each returns its text unchanged when colour is off. */
export interface CliColors {
  readonly enabled: boolean;
  readonly error: (text: string) => string;
  readonly warn: (text: string) => string;
  readonly dim: (text: string) => string;
}

type Style = Parameters<typeof styleText>[0];

/**
 * Colour only on a terminal, and never when `NO_COLOR` is set to a non-empty value (https://no-color.org).
 * `validateStream: false`: the decision is made here, for stderr, whatever stdout is.
 */
export function cliColors(io: Pick<CliIo, 'isTty' | 'env'>): CliColors {
  const noColor = io.env['NO_COLOR'];
  const enabled = io.isTty && (noColor === undefined || noColor === '');
  const style =
    (format: Style) =>
    (text: string): string =>
      enabled ? styleText(format, text, { validateStream: false }) : text;
  return { enabled, error: style('red'), warn: style('yellow'), dim: style('dim') };
}

// Shared by the console's browser tests: launching Debian's Chromium through playwright-core, the rule
// for skipping without it (never under CI), screenshots, and a real exporter pipeline to send events.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CloudTrailLakeLogExporter } from '../../src/cloudtrail-lake-log-exporter.js';
import type { Emulator } from '../../src/emulator/index.js';
import { RedactingLogRecordProcessor } from '../../src/processors/redacting-log-record-processor.js';
import { emulatorExporterOptions } from '../helpers/audit-pipeline.js';

export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM_PATH);
const underCi = process.env['CI'] === 'true';
const INSTALL_HINT = `install it with \`apt-get install chromium\` (or set CHROMIUM_PATH)`;

/** Browser tests run wherever Chromium is installed, and always under CI, where a missing one fails them. */
export const runBrowserTests = hasChromium || underCi;
if (!runBrowserTests)
  console.warn(`console browser tests skipped: no Chromium at ${CHROMIUM_PATH}; ${INSTALL_HINT}.`);

export const ARTIFACTS_DIR = new URL('../../test-artifacts/console/', import.meta.url);

export async function launchBrowser(): Promise<Browser> {
  if (!hasChromium) throw new Error(`The console tests need Chromium at ${CHROMIUM_PATH}; ${INSTALL_HINT}.`);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Saves a screenshot of the page as test-artifacts/console/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: new URL(`${name}.png`, ARTIFACTS_DIR).pathname, fullPage: true });
}

/** The exporter path a service uses: LoggerProvider -> redaction -> SimpleLogRecordProcessor -> exporter. */
export function createSender(emulator: Emulator): {
  send(eventName: string, attributes: Record<string, unknown>): Promise<void>;
  exporter: CloudTrailLakeLogExporter;
  shutdown(): Promise<void>;
} {
  const exporter = new CloudTrailLakeLogExporter(emulatorExporterOptions(emulator), {});
  const provider = new LoggerProvider({
    processors: [new RedactingLogRecordProcessor({ next: new SimpleLogRecordProcessor({ exporter }) })],
  });
  const logger = provider.getLogger('console-tests');
  return {
    exporter,
    async send(eventName, attributes) {
      logger.emit({ eventName, attributes: attributes as Record<string, string> });
      await provider.forceFlush();
      // SimpleLogRecordProcessor's flush does not wait for the export it started; the exporter's does.
      await exporter.forceFlush();
    },
    shutdown: () => provider.shutdown(),
  };
}

import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors.js';
import { componentLogger } from '../internal/diag.js';
import { parseBridgeClients, type BridgeClients } from './bridge-clients.js';
import { watchFiles } from './watch-files.js';

const logger = componentLogger('CloudTrailLakeBridge');

/** The clients of a token file as it is now, kept up to date while the bridge runs. */
export interface LiveBridgeClients {
  current(): BridgeClients;
  close(): void;
}

function read(path: string): BridgeClients {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new ConfigError(
      'authTokensFile',
      `Could not read the token file ${path}: ${(cause as Error).message}`,
      {
        cause,
      },
    );
  }
  return parseBridgeClients(text, path);
}

/**
 * Reads the token file now (throwing ConfigError when it is unusable, so the bridge does not start), then
 * again whenever it changes. A change that makes the file unusable is logged and ignored: the clients
 * of the last good version stay, so a half-written file neither locks everyone out nor lets anyone in.
 */
export function loadBridgeClients(path: string, reloadIntervalMillis: number): LiveBridgeClients {
  let clients = read(path);
  logger.info(`Loaded ${clients.size} client(s) from the token file ${path}`);
  const stop = watchFiles([path], reloadIntervalMillis, () => {
    try {
      clients = read(path);
      logger.info(`Reloaded the token file ${path}: ${clients.size} client(s)`);
    } catch (error) {
      logger.error(`Keeping the previous clients: ${(error as Error).message}`);
    }
  });
  return { current: () => clients, close: stop };
}

import { readFileSync } from 'node:fs';
import type { Server } from 'node:https';
import type { SecureContextOptions } from 'node:tls';
import { ConfigError } from '../errors.js';
import { componentLogger } from '../internal/diag.js';
import { watchFiles } from './watch-files.js';

const logger = componentLogger('CloudTrailLakeBridge');

/** The TLS files of a bridge that serves HTTPS. */
export interface BridgeTlsFiles {
  tlsCert: string;
  tlsKey: string;
  tlsClientCa: string | undefined;
}

function read(option: keyof BridgeTlsFiles, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (cause) {
    throw new ConfigError(option, `Could not read \`${option}\` ${path}: ${(cause as Error).message}`, {
      cause,
    });
  }
}

/**
 * The certificate, key and client CA as `tls.createSecureContext` options. With a client CA, clients
 * must present a certificate it signed: the handshake fails otherwise, before any HTTP is read.
 * @throws ConfigError naming the file that cannot be read.
 */
export function readTlsFiles(files: BridgeTlsFiles): SecureContextOptions {
  return {
    cert: read('tlsCert', files.tlsCert),
    key: read('tlsKey', files.tlsKey),
    ...(files.tlsClientCa === undefined ? {} : { ca: read('tlsClientCa', files.tlsClientCa) }),
  };
}

/**
 * Loads the TLS files again when one changes (a renewed certificate, e.g. from cert-manager), for new
 * connections; open connections keep theirs. A change that does not load (a key not matching its
 * certificate while the two are being replaced) is logged and retried at the next change.
 */
export function watchTlsFiles(server: Server, files: BridgeTlsFiles, intervalMillis: number): () => void {
  const paths = [
    files.tlsCert,
    files.tlsKey,
    ...(files.tlsClientCa === undefined ? [] : [files.tlsClientCa]),
  ];
  return watchFiles(paths, intervalMillis, () => {
    try {
      server.setSecureContext(readTlsFiles(files));
      logger.info(`Reloaded the TLS certificate ${files.tlsCert}`);
    } catch (error) {
      logger.error(`Keeping the previous TLS certificate: ${(error as Error).message}`);
    }
  });
}

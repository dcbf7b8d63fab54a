import { ServerCredentials, experimental } from '@grpc/grpc-js';
import { createSecureContext, type SecureContextOptions } from 'node:tls';
import { componentLogger } from '../internal/diag.js';
import { readTlsFiles, type BridgeTlsFiles } from './bridge-tls.js';
import { watchFiles } from './watch-files.js';

const logger = componentLogger('CloudTrailLakeBridge');

type CertificateProvider = experimental.CertificateProvider;
type IdentityListener = experimental.IdentityCertificateUpdateListener;
type CaListener = experimental.CaCertificateUpdateListener;

/** The gRPC port's credentials, and what stops their file watch. */
export interface GrpcServerCredentials {
  credentials: ServerCredentials;
  stopWatchingTls: () => void;
}

/**
 * Plaintext without TLS files; with them, TLS from the same certificate, key and client CA as the
 * OTLP/HTTP port (mutual TLS when a client CA is given), reloaded when the files change. grpc-js takes
 * reloadable certificates through a certificate provider (`experimental.createCertificateProviderServerCredentials`,
 * https://github.com/grpc/grpc-node/tree/master/packages/grpc-js); this one is fed by the bridge's own
 * file watch, so a half-replaced pair (key not matching its certificate) keeps the previous one, as on
 * the HTTP port, rather than refusing connections until the next change.
 */
export function createGrpcServerCredentials(
  tls: BridgeTlsFiles | undefined,
  initial: SecureContextOptions | undefined,
  fileReloadIntervalMillis: number,
): GrpcServerCredentials {
  if (tls === undefined || initial === undefined)
    return { credentials: ServerCredentials.createInsecure(), stopWatchingTls: () => undefined };
  let current = initial;
  const identityListeners = new Set<IdentityListener>();
  const caListeners = new Set<CaListener>();
  const publish = (): void => {
    const identity = { certificate: current.cert as Buffer, privateKey: current.key as Buffer };
    for (const listener of identityListeners) listener(identity);
    if (current.ca !== undefined)
      for (const listener of caListeners) listener({ caCertificate: current.ca as Buffer });
  };
  const provider: CertificateProvider = {
    // Later, as grpc-js's own file provider does: the server registers its watcher after the provider's listeners.
    addIdentityCertificateListener(listener) {
      identityListeners.add(listener);
      process.nextTick(publish);
    },
    removeIdentityCertificateListener: (listener) => void identityListeners.delete(listener),
    addCaCertificateListener(listener) {
      caListeners.add(listener);
      process.nextTick(publish);
    },
    removeCaCertificateListener: (listener) => void caListeners.delete(listener),
  };
  const clientCertificates = tls.tlsClientCa !== undefined;
  // The first argument is the identity provider and the second the CA provider, whatever the parameter names say.
  const credentials = experimental.createCertificateProviderServerCredentials(
    provider,
    clientCertificates ? provider : null,
    clientCertificates,
  );
  const paths = [tls.tlsCert, tls.tlsKey, ...(tls.tlsClientCa === undefined ? [] : [tls.tlsClientCa])];
  const stopWatchingTls = watchFiles(paths, fileReloadIntervalMillis, () => {
    try {
      const next = readTlsFiles(tls);
      // Throws for a key that does not match its certificate, before any connection sees the pair.
      createSecureContext(next);
      current = next;
      publish();
      logger.info(`Reloaded the TLS certificate ${tls.tlsCert} for OTLP/gRPC`);
    } catch (error) {
      logger.error(`Keeping the previous TLS certificate for OTLP/gRPC: ${(error as Error).message}`);
    }
  });
  return { credentials, stopWatchingTls };
}

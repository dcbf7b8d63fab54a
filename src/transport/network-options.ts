import { readFileSync } from 'node:fs';
import type { Dispatcher } from 'undici';
import { ENV_VARS, STANDARD_ENV_VARS } from '../env.js';
import { ConfigError } from '../errors.js';
import { componentLogger } from '../internal/diag.js';
import { describeValue, envText, type Env } from '../internal/check-option.js';

/**
 * How the exporter reaches the endpoint through a corporate network: extra CAs, a client certificate,
 * proxies, or a whole HTTP dispatcher of the application's own. Proxies follow the curl / undici
 * `EnvHttpProxyAgent` convention (`https_proxy`, `http_proxy`, `no_proxy`, lower case first); the CA
 * bundle follows the AWS SDKs' `AWS_CA_BUNDLE`.
 */

/** PEM text, as node:tls takes it. */
export type Pem = string | Buffer;

export interface NetworkOptions {
  /**
   * CA certificates (PEM) to trust besides Node's built-in roots, e.g. a TLS-inspecting proxy's CA or a
   * private endpoint's. Env: `OTEL_EXPORTER_CLOUDTRAIL_LAKE_CERTIFICATE` and `AWS_CA_BUNDLE` (PEM files).
   * @default none: Node's roots (and `NODE_EXTRA_CA_CERTS`)
   */
  ca?: Pem | readonly Pem[] | undefined;
  /** Client certificate (PEM) for mutual TLS. Env: `OTEL_EXPORTER_CLOUDTRAIL_LAKE_CLIENT_CERTIFICATE` (a file). */
  clientCertificate?: Pem | undefined;
  /** Private key (PEM) of `clientCertificate`. Env: `OTEL_EXPORTER_CLOUDTRAIL_LAKE_CLIENT_KEY` (a file). Never logged. */
  clientKey?: Pem | undefined;
  /**
   * An undici Dispatcher (Agent, ProxyAgent, MockAgent, ...) to send every request through instead of
   * the built-in one; `ca`, the client certificate, the proxy variables and `maxSockets` are then the
   * dispatcher's business. It is not closed by `shutdown()`.
   * @default an undici EnvHttpProxyAgent built from the options above and the environment
   */
  dispatcher?: Dispatcher | undefined;
}

/** TLS material and proxies, read and checked once. */
export interface ResolvedNetworkOptions {
  /** Extra CAs (PEM), besides Node's roots; empty when none. */
  ca: readonly Pem[];
  clientCertificate: Pem | undefined;
  clientKey: Pem | undefined;
  /** Proxy URLs and the no-proxy list from the environment; `''` means none. */
  proxy: { httpsProxy: string; httpProxy: string; noProxy: string };
  dispatcher: Dispatcher | undefined;
}

const logger = componentLogger('CloudTrailLakeConfig');

function isPem(value: unknown): value is Pem {
  return (typeof value === 'string' && value !== '') || Buffer.isBuffer(value);
}

function checkPem(option: string, value: unknown, secret = false): Pem | undefined {
  if (value === undefined || isPem(value)) return value;
  const got = secret ? typeof value : describeValue(value);
  throw new ConfigError(option, `Expected \`${option}\` to be PEM text (a string or a Buffer), got ${got}`);
}

/** The content of the PEM file an env var names; unreadable is warned about (never its content) and skipped. */
function readPemFile(env: Env, name: string): Buffer | undefined {
  const path = envText(env, name);
  if (path === undefined) return undefined;
  try {
    return readFileSync(path);
  } catch (error) {
    logger.warn(
      `Ignoring env ${name}=${JSON.stringify(path)}: the file cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}); using no file instead`,
    );
    return undefined;
  }
}

function firstOf(env: Env, names: readonly string[]): string {
  for (const name of names) {
    const value = envText(env, name);
    if (value !== undefined) return value;
  }
  return '';
}

/** @throws ConfigError for a malformed code option */
export function resolveNetworkOptions(user: NetworkOptions, env: Env): ResolvedNetworkOptions {
  const userCa: readonly unknown[] | undefined =
    user.ca === undefined ? undefined : Array.isArray(user.ca) ? user.ca : [user.ca];
  const ca: Pem[] = [];
  if (userCa !== undefined) {
    for (const [index, pem] of userCa.entries()) {
      ca.push(checkPem(userCa.length === 1 ? 'ca' : `ca[${index}]`, pem) as Pem);
    }
  } else {
    for (const name of [ENV_VARS.certificate, STANDARD_ENV_VARS.caBundle]) {
      const pem = readPemFile(env, name);
      if (pem !== undefined) ca.push(pem);
    }
  }
  const clientCertificate =
    checkPem('clientCertificate', user.clientCertificate) ?? readPemFile(env, ENV_VARS.clientCertificate);
  const clientKey = checkPem('clientKey', user.clientKey, true) ?? readPemFile(env, ENV_VARS.clientKey);
  if ((clientCertificate === undefined) !== (clientKey === undefined)) {
    throw new ConfigError(
      clientCertificate === undefined ? 'clientCertificate' : 'clientKey',
      'Expected `clientCertificate` and `clientKey` to be given together, got only one of them',
    );
  }
  if (user.dispatcher !== undefined && typeof user.dispatcher?.dispatch !== 'function') {
    throw new ConfigError(
      'dispatcher',
      `Expected \`dispatcher\` to be an undici Dispatcher, got ${describeValue(user.dispatcher)}`,
    );
  }
  return {
    ca,
    clientCertificate,
    clientKey,
    proxy: {
      httpsProxy: firstOf(env, STANDARD_ENV_VARS.httpsProxy),
      httpProxy: firstOf(env, STANDARD_ENV_VARS.httpProxy),
      noProxy: firstOf(env, STANDARD_ENV_VARS.noProxy),
    },
    dispatcher: user.dispatcher,
  };
}

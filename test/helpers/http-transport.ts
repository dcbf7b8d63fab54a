// The built-in HTTP transport from unresolved options, as the exporter builds it: resolve once, then create.
import type { Env } from '../../src/env.js';
import {
  createHttpTransport,
  resolveHttpTransportOptions,
  type HttpTransport,
  type HttpTransportOptions,
} from '../../src/transport/http-transport.js';

export function createTestHttpTransport(options: HttpTransportOptions & { env?: Env }): HttpTransport {
  const { env = {}, ...rest } = options;
  return createHttpTransport(resolveHttpTransportOptions(rest, env));
}

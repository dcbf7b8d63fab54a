// A real HTTP server on port 0 that answers every request with one REST-JSON AWS error, for error names
// the emulator cannot be driven into (e.g. InvalidChannelARN for an ARN our own parser already accepts).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AwsErrorServer {
  url: string;
  /** Requests received so far. */
  readonly requests: number;
  close(): Promise<void>;
}

export async function startAwsErrorServer(errorType: string, statusCode = 400): Promise<AwsErrorServer> {
  let requests = 0;
  const server: Server = createServer((request, response) => {
    requests += 1;
    request.resume();
    request.on('end', () => {
      const body = JSON.stringify({ __type: errorType, message: `${errorType} from the test server` });
      response.writeHead(statusCode, {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-errortype': errorType,
        'x-amzn-requestid': `req-${requests}`,
        'content-length': Buffer.byteLength(body),
      });
      response.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// Test network parts, all on 127.0.0.1 port 0: certificates made by a CA generated in the test (the
// `selfsigned` package), a TLS front that serves the (plain-http) emulator over https, optionally asking
// for a client certificate, and a CONNECT proxy that records the tunnels it opens.
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { generate } from 'selfsigned';

type SubjectAltNames = Array<{ type: 2; value: string } | { type: 7; ip: string }>;

export interface TestPki {
  caCert: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

/** A CA, a server certificate for 127.0.0.1/localhost and a client certificate, both signed by the CA. */
export async function createTestPki(): Promise<TestPki> {
  const ca = await generate([{ name: 'commonName', value: 'otel-cloudtrail-lake test CA' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  /** A leaf certificate for `commonName`, signed by the CA, for `usage` (and the given names). */
  const leaf = (commonName: string, usage: 'serverAuth' | 'clientAuth', altNames?: SubjectAltNames) =>
    generate([{ name: 'commonName', value: commonName }], {
      keyType: 'ec',
      algorithm: 'sha256',
      ca: { key: ca.private, cert: ca.cert },
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'extKeyUsage', [usage]: true },
        ...(altNames === undefined ? [] : [{ name: 'subjectAltName' as const, altNames }]),
      ],
    });
  const server = await leaf('localhost', 'serverAuth', [
    { type: 2, value: 'localhost' },
    { type: 7, ip: '127.0.0.1' },
  ]);
  const client = await leaf('exporter-client', 'clientAuth');
  return {
    caCert: ca.cert,
    serverCert: server.cert,
    serverKey: server.private,
    clientCert: client.cert,
    clientKey: client.private,
  };
}

export interface Listening {
  readonly url: string;
  close(): Promise<void>;
}

function closeServer(server: net.Server, sockets: Set<net.Socket>): Promise<void> {
  for (const socket of sockets) socket.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}

function track(server: net.Server): Set<net.Socket> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return sockets;
}

/** An https server forwarding every request to `target` (the emulator's http URL), body and headers as is. */
export async function startTlsFront(
  target: string,
  pki: TestPki,
  options: { requireClientCertificate?: boolean } = {},
): Promise<Listening & { clientNames: string[] }> {
  const clientNames: string[] = [];
  const server = https.createServer(
    {
      key: pki.serverKey,
      cert: pki.serverCert,
      ...(options.requireClientCertificate === true
        ? { ca: pki.caCert, requestCert: true, rejectUnauthorized: true }
        : {}),
    },
    (req, res) => {
      const peer = (req.socket as TLSSocket).getPeerCertificate();
      if (peer?.subject?.CN !== undefined) clientNames.push(String(peer.subject.CN));
      const upstream = http.request(
        new URL(req.url ?? '/', target),
        { method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    },
  );
  const sockets = track(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    clientNames,
    close: () => closeServer(server, sockets),
  };
}

/** An HTTP CONNECT proxy that records the `host:port` of every tunnel asked for. */
export async function startConnectProxy(): Promise<Listening & { tunnels: string[] }> {
  const tunnels: string[] = [];
  const server = http.createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const authority = req.url ?? '';
    tunnels.push(authority);
    const [host = '', port = '0'] = authority.split(/:(?=\d+$)/);
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  const sockets = track(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    tunnels,
    close: () => closeServer(server, sockets),
  };
}

// A node:crypto SHA-256 in the shape the AWS SDK's signer (@smithy/signature-v4) expects of its `sha256`
// option (a Checksum constructor, HMAC when given a secret), for tests that sign or verify with AWS's own
// signer, independently of src/transport/sign-request.ts.
import { createHash, createHmac } from 'node:crypto';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

function toBytes(data: string | ArrayBuffer | ArrayBufferView): Uint8Array {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

export class NodeSha256 {
  readonly #hash: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.#hash.update(toBytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.#hash.digest()));
  }
  reset(): void {}
}

/**
 * Signs PutAuditEvents requests to `endpoint` with AWS's own signer, for clients that are not this library
 * (the benchmarks' naive client and emulator load). Returns the headers to send, `host` left to the HTTP
 * client, and the URL with the channel on its query string.
 */
export function createPutAuditEventsSigner(init: {
  endpoint: string;
  channelArn: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}): (body: string) => Promise<{ url: string; headers: Record<string, string> }> {
  const target = new URL(init.endpoint);
  const signer = new SignatureV4({
    credentials: init.credentials,
    region: init.region,
    service: 'cloudtrail-data',
    sha256: NodeSha256,
  });
  const url = `${target.origin}/PutAuditEvents?channelArn=${encodeURIComponent(init.channelArn)}`;
  return async (body) => {
    const signed = await signer.sign(
      new HttpRequest({
        method: 'POST',
        protocol: target.protocol,
        hostname: target.hostname,
        port: Number(target.port),
        path: '/PutAuditEvents',
        query: { channelArn: init.channelArn },
        headers: { host: target.host, 'content-type': 'application/json' },
        body,
      }),
    );
    const headers = { ...(signed.headers as Record<string, string>) };
    delete headers['host'];
    return { url, headers };
  };
}

import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { ReusedBuffers } from '../internal/reused-buffers.js';

const gunzipAsync = promisify(gunzip);

/** Why a body could not be read; the server turns each into its HTTP status. */
export class BodyError extends Error {
  override readonly name = 'BodyError';
  constructor(
    readonly statusCode: 400 | 413 | 415,
    message: string,
  ) {
    super(message);
  }
}

/** A request body as read: its bytes, gzipped when `Content-Encoding: gzip` said so. */
export interface ReceivedBody {
  bytes: Buffer;
  gzip: boolean;
}

/**
 * Reads a request body of at most `maxBodyBytes`, as sent: gunzipping is left to {@link unpackBody},
 * which the bridge runs for one request at a time, so that the requests waiting their turn hold their
 * compressed bodies only. A too-large body is refused as soon as the limit is crossed. A body with a
 * Content-Length is read into a buffer from `buffers`, which the caller gives back once it is answered.
 */
export async function readBody(
  request: IncomingMessage,
  maxBodyBytes: number,
  buffers?: ReusedBuffers,
): Promise<ReceivedBody> {
  const encoding = (request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip') {
    throw new BodyError(415, `Content-Encoding \`${encoding}\` is not supported; use gzip or none`);
  }
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBodyBytes) {
    throw new BodyError(413, `request body of ${declared} bytes is above maxBodyBytes (${maxBodyBytes})`);
  }
  // With a Content-Length, each chunk is copied into the body's buffer as it arrives, so the copy (and
  // the first touch of the buffer's pages, which is costly in a VM) is spread over the turns that
  // receive it instead of held in one turn at the end. Node's parser stops a body at its Content-Length.
  const body =
    Number.isFinite(declared) && declared > 0
      ? (buffers?.take(declared) ?? Buffer.allocUnsafeSlow(declared))
      : undefined;
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    if (received + chunk.length > maxBodyBytes) {
      throw new BodyError(413, `request body is above maxBodyBytes (${maxBodyBytes}) bytes`);
    }
    if (body === undefined) chunks.push(chunk);
    else if (received + chunk.length <= body.length) chunk.copy(body, received);
    else throw new BodyError(400, `request body is longer than its Content-Length (${declared} bytes)`);
    received += chunk.length;
  }
  const bytes = body === undefined ? Buffer.concat(chunks, received) : body.subarray(0, received);
  return { bytes, gzip: encoding === 'gzip' };
}

/**
 * The bytes of a body, gunzipped when it is gzipped, again bounded by `maxBodyBytes`: zlib stops at
 * `maxOutputLength`, so a small gzip bomb cannot expand past the limit in memory.
 * @throws BodyError 413 when it expands above the limit, 400 when it is not valid gzip.
 */
export async function unpackBody(body: ReceivedBody, maxBodyBytes: number): Promise<Buffer> {
  if (!body.gzip) return body.bytes;
  try {
    return await gunzipAsync(body.bytes, { maxOutputLength: maxBodyBytes });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new BodyError(413, `gzip request body expands above maxBodyBytes (${maxBodyBytes}) bytes`);
    }
    throw new BodyError(400, `gzip request body could not be decompressed: ${(error as Error).message}`);
  }
}

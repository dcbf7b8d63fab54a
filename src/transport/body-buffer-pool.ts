import { writeRequestBody } from '../batch/request-body.js';
import { createReusedBuffers } from '../internal/reused-buffers.js';
import { PUT_AUDIT_EVENTS_MAX_REQUEST_BYTES } from '../limits.js';
import type { PreparedRequest } from './transport.js';

/**
 * Request bodies encoded into buffers that are used again, request after request (see
 * reused-buffers.ts for why). Encoding each body afresh (`Buffer.from(body)`) also flattened the body
 * string first, as much again in V8's large-object space; writing the entries straight into a reused
 * buffer avoids both, and the CPU profile of the end-to-end benchmark had put a fifth of this
 * exporter's CPU there.
 *
 * A buffer goes back to the pool only once the response to its request has arrived, so nothing still
 * reads it (undici has written it whole; an aborted or failed exchange gives its buffer up instead).
 */
export interface BodyBufferPool {
  /** The request's body as UTF-8 bytes, the same bytes as `Buffer.from(request.body)`. */
  encode(request: PreparedRequest): Buffer;
  /** Takes back a buffer from `encode` whose request has its response. */
  release(bytes: Buffer): void;
}

/** @param maxIdleBuffers buffers kept for the next requests (the rest are left to the GC). */
export function createBodyBufferPool(maxIdleBuffers: number): BodyBufferPool {
  // Each slab holds any request the service accepts.
  const buffers = createReusedBuffers(PUT_AUDIT_EVENTS_MAX_REQUEST_BYTES, maxIdleBuffers);
  return {
    encode(request) {
      if (request.bodyBytes > PUT_AUDIT_EVENTS_MAX_REQUEST_BYTES) return Buffer.from(request.body, 'utf8');
      const target = buffers.take(request.bodyBytes);
      // bodyBytes is measured, not counted from the string: should the two ever differ, the string wins.
      if (writeRequestBody(request.events, target) !== request.bodyBytes) {
        buffers.release(target);
        return Buffer.from(request.body, 'utf8');
      }
      return target;
    },
    release: (bytes) => buffers.release(bytes),
  };
}

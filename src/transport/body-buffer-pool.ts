import { writeRequestBody } from '../batch/request-body.js';
import { PUT_AUDIT_EVENTS_MAX_REQUEST_BYTES } from '../limits.js';
import type { PreparedRequest } from './transport.js';

/**
 * Request bodies encoded into buffers that are used again, request after request.
 *
 * Why: encoding each body afresh (`Buffer.from(body)`) allocates up to a megabyte per request, above
 * malloc's mmap threshold, so every request faults in new pages, and flattening the body string first
 * allocates as much again in V8's large-object space. In a VM such as the Firecracker microVMs behind
 * Lambda and Fargate a page fault is costly: on the 2-core benchmark VM, `Buffer.from` of a 285 kB body
 * took about 3 ms against 0.03 ms to write the same entries into a buffer already in use, and the
 * CPU profile of the end-to-end benchmark put a fifth of this exporter's CPU there.
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

/** The size of each pooled buffer: any request the service accepts fits (bytes). */
const POOLED_BUFFER_BYTES = PUT_AUDIT_EVENTS_MAX_REQUEST_BYTES;

/** @param maxIdleBuffers buffers kept for the next requests (the rest are left to the GC). */
export function createBodyBufferPool(maxIdleBuffers: number): BodyBufferPool {
  const idle: ArrayBuffer[] = [];
  return {
    encode(request) {
      if (request.bodyBytes > POOLED_BUFFER_BYTES) return Buffer.from(request.body, 'utf8');
      const slab = idle.pop() ?? new ArrayBuffer(POOLED_BUFFER_BYTES);
      const target = Buffer.from(slab, 0, request.bodyBytes);
      // bodyBytes is measured, not counted from the string: should the two ever differ, the string wins.
      if (writeRequestBody(request.events, target) !== request.bodyBytes) {
        idle.push(slab);
        return Buffer.from(request.body, 'utf8');
      }
      return target;
    },
    release(bytes) {
      const slab = bytes.buffer;
      if (
        slab instanceof ArrayBuffer &&
        slab.byteLength === POOLED_BUFFER_BYTES &&
        idle.length < maxIdleBuffers
      )
        idle.push(slab);
    },
  };
}

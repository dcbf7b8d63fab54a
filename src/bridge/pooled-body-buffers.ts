/**
 * Buffers that request bodies are read into, used again request after request.
 *
 * Why: a body of a few hundred kilobytes read into a buffer of its own lies above malloc's mmap
 * threshold, so every request faults in fresh pages, and in a VM such as the Firecracker microVMs
 * behind Lambda and Fargate a page fault is costly. On the 2-core benchmark VM, copying a 740 kB body
 * (bench/bridge.ts's JSON request of 512 records) into a fresh buffer took about 650 µs against 16 µs
 * into a buffer already in use, and the CPU profile of the bridge's JSON run put 4% of its CPU in that
 * copy and the allocation.
 *
 * A buffer comes back only once its request is answered: what was decoded from it holds copies of its
 * bytes (strings, and bytes values copied out), never a view.
 */
export interface PooledBodyBuffers {
  /** A buffer of exactly `bytes` bytes, on a pooled slab when it fits one. */
  take(bytes: number): Buffer;
  /** Takes back a buffer from `take` that nothing reads any more; others are left to the GC. */
  release(buffer: Buffer): void;
}

/**
 * The size of each pooled slab (bytes): an OTLP exporter's batch of 512 records of about 1 kB fits,
 * in JSON as in protobuf; a larger body gets a buffer of its own.
 */
export const POOLED_BODY_BYTES = 1024 * 1024;

/** @param maxIdleBuffers slabs kept for the next requests (at most maxConcurrentRequests are in use at once). */
export function createPooledBodyBuffers(maxIdleBuffers: number): PooledBodyBuffers {
  const idle: ArrayBuffer[] = [];
  return {
    take(bytes) {
      if (bytes > POOLED_BODY_BYTES) return Buffer.allocUnsafeSlow(bytes);
      return Buffer.from(idle.pop() ?? new ArrayBuffer(POOLED_BODY_BYTES), 0, bytes);
    },
    release(buffer) {
      const slab = buffer.buffer;
      if (
        slab instanceof ArrayBuffer &&
        slab.byteLength === POOLED_BODY_BYTES &&
        idle.length < maxIdleBuffers &&
        !idle.includes(slab)
      ) {
        idle.push(slab);
      }
    },
  };
}

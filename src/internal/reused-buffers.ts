/**
 * Buffers for request bodies, used again request after request: the exporter encodes its
 * PutAuditEvents bodies into them (src/transport/body-buffer-pool.ts) and the bridge reads OTLP bodies
 * into them (src/bridge/read-body.ts).
 *
 * Why: a body of a few hundred kilobytes in a buffer of its own lies above malloc's mmap threshold, so
 * every request faults in fresh pages, and in a VM such as the Firecracker microVMs behind Lambda and
 * Fargate a page fault is costly. On the 2-core benchmark VM, writing a 285 kB body into a fresh buffer
 * took about 3 ms against 0.03 ms into one already in use, and copying a 740 kB body about 650 µs
 * against 16 µs.
 *
 * A buffer comes back only once nothing reads it: the exporter's when its response has arrived, the
 * bridge's when its request is answered (what was decoded from it holds copies, never a view).
 */
export interface ReusedBuffers {
  /** A buffer of exactly `bytes` bytes, on a slab used before when it fits one. */
  take(bytes: number): Buffer;
  /** Takes back a buffer from `take` that nothing reads any more; others are left to the GC. */
  release(buffer: Buffer): void;
}

/**
 * @param slabBytes the size of each slab: a larger body gets a buffer of its own, not kept.
 * @param maxIdleBuffers slabs kept for the next requests (about the requests in flight at once).
 */
export function createReusedBuffers(slabBytes: number, maxIdleBuffers: number): ReusedBuffers {
  const idle: ArrayBuffer[] = [];
  return {
    take(bytes) {
      if (bytes > slabBytes) return Buffer.allocUnsafeSlow(bytes);
      return Buffer.from(idle.pop() ?? new ArrayBuffer(slabBytes), 0, bytes);
    },
    release(buffer) {
      const slab = buffer.buffer;
      if (
        slab instanceof ArrayBuffer &&
        slab.byteLength === slabBytes &&
        idle.length < maxIdleBuffers &&
        !idle.includes(slab)
      ) {
        idle.push(slab);
      }
    },
  };
}

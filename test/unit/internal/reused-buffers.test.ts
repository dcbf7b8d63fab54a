// Covers the buffers request bodies are encoded or read into: a slab given back is used by the next body, a body
// above the slab size gets a buffer of its own that is not kept, and at most maxIdleBuffers are kept.
// That the bridge's decoded records keep nothing of a body: test/bridge/decode-logs-body.test.ts; the
// exporter's encoding into them: test/unit/transport/body-buffer-pool.test.ts.
import { describe, expect, it } from 'vitest';
import { createReusedBuffers } from '../../../src/internal/reused-buffers.js';

const SLAB_BYTES = 64 * 1024;

describe('createReusedBuffers', () => {
  it('gives a body buffer of exactly its size, on the slab given back by the request before', () => {
    const buffers = createReusedBuffers(SLAB_BYTES, 2);
    const first = buffers.take(1000);
    expect(first.length).toBe(1000);
    buffers.release(first);
    const second = buffers.take(5000);
    expect(second.length).toBe(5000);
    expect(second.buffer).toBe(first.buffer);
    // Still in use: the next body gets a slab of its own.
    expect(buffers.take(10).buffer).not.toBe(first.buffer);
  });

  it('keeps no buffer for a body above the slab size', () => {
    const buffers = createReusedBuffers(SLAB_BYTES, 2);
    const large = buffers.take(SLAB_BYTES + 1);
    expect(large.length).toBe(SLAB_BYTES + 1);
    buffers.release(large);
    expect(buffers.take(SLAB_BYTES + 1).buffer).not.toBe(large.buffer);
    expect(buffers.take(100).buffer).not.toBe(large.buffer);
  });

  it('keeps at most maxIdleBuffers slabs, and a slab given back twice once', () => {
    const buffers = createReusedBuffers(SLAB_BYTES, 1);
    const [a, b] = [buffers.take(10), buffers.take(10)];
    buffers.release(a);
    buffers.release(a);
    buffers.release(b);
    expect(buffers.take(10).buffer).toBe(a.buffer);
    const fresh = buffers.take(10);
    expect(fresh.buffer).not.toBe(a.buffer);
    expect(fresh.buffer).not.toBe(b.buffer);
  });
});

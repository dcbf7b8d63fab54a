// createConcurrencyLimiter: at most N tasks at once, FIFO hand-over, and a slot freed by a failing task.
import { describe, expect, it } from 'vitest';
import { createConcurrencyLimiter } from '../../../src/pipeline/concurrency-limiter.js';

describe('createConcurrencyLimiter', () => {
  it('runs at most maxConcurrent tasks at once and starts waiting ones in order', async () => {
    const limiter = createConcurrencyLimiter(2);
    const started: number[] = [];
    const releases: Array<() => void> = [];
    const tasks = [0, 1, 2, 3].map((i) =>
      limiter.run(
        () =>
          new Promise<number>((resolve) => {
            started.push(i);
            releases[i] = () => resolve(i);
          }),
      ),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect(limiter.active).toBe(2);
    releases[1]!();
    await new Promise((r) => setTimeout(r, 0));
    expect(started).toEqual([0, 1, 2]);
    releases[0]!();
    releases[2]!();
    await new Promise((r) => setTimeout(r, 0));
    releases[3]!();
    expect(await Promise.all(tasks)).toEqual([0, 1, 2, 3]);
    expect(limiter.active).toBe(0);
  });

  it('frees the slot of a task that rejects', async () => {
    const limiter = createConcurrencyLimiter(1);
    await expect(limiter.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limiter.run(() => Promise.resolve('next'))).resolves.toBe('next');
    expect(limiter.active).toBe(0);
  });
});

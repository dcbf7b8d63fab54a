// Covers the credentials cache: static credentials, provider functions called once and again only near
// expiry or on refresh, failed loads not cached, and errors that never echo a secret. The AWS default
// chain (env vars, profiles) is exercised in test/integration/transport-credentials.test.ts.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import type { Clock } from '../../../src/internal/clock.js';
import { createCachedCredentials, type AwsCredentials } from '../../../src/transport/credentials-provider.js';

function clockAt(time: { now: number }): Clock {
  return { now: () => time.now, setTimeout: () => undefined, clearTimeout: () => undefined };
}

describe('createCachedCredentials', () => {
  it('returns static credentials as given and cannot refresh them', async () => {
    const cached = createCachedCredentials({ accessKeyId: 'AKID', secretAccessKey: 'secret' });
    expect(await cached.get()).toEqual({ accessKeyId: 'AKID', secretAccessKey: 'secret' });
    expect(cached.refreshable).toBe(false);
  });

  it('rejects static credentials without a secret, never echoing the values', () => {
    expect(() => createCachedCredentials({ accessKeyId: 'AKIDSHOWN', secretAccessKey: '' })).toThrow(
      ConfigError,
    );
    expect(() => createCachedCredentials({ accessKeyId: 'AKIDSHOWN', secretAccessKey: '' })).not.toThrow(
      /AKIDSHOWN/,
    );
  });

  it('calls a provider once while its credentials are fresh, and again five minutes before expiry', async () => {
    const time = { now: 0 };
    let calls = 0;
    const provider = (): Promise<AwsCredentials> => {
      calls += 1;
      return Promise.resolve({
        accessKeyId: `AKID${calls}`,
        secretAccessKey: 's',
        expiration: new Date(time.now + 3_600_000),
      });
    };
    const cached = createCachedCredentials(provider, clockAt(time));
    expect((await cached.get()).accessKeyId).toBe('AKID1');
    time.now = 3_600_000 - 300_001;
    expect((await cached.get()).accessKeyId).toBe('AKID1');
    time.now = 3_600_000 - 300_000;
    expect((await cached.get()).accessKeyId).toBe('AKID2');
    expect(calls).toBe(2);
  });

  it('shares one pending load between concurrent callers', async () => {
    let calls = 0;
    const cached = createCachedCredentials(() => {
      calls += 1;
      return Promise.resolve({ accessKeyId: 'A', secretAccessKey: 's' });
    });
    await Promise.all([cached.get(), cached.get(), cached.get()]);
    expect(calls).toBe(1);
  });

  it('asks again with forceRefresh on refresh()', async () => {
    const seen: unknown[] = [];
    const cached = createCachedCredentials((options) => {
      seen.push(options);
      return Promise.resolve({ accessKeyId: 'A', secretAccessKey: 's' });
    });
    await cached.get();
    await cached.refresh();
    expect(seen).toEqual([undefined, { forceRefresh: true }]);
  });

  it('does not keep a failed load', async () => {
    let fail = true;
    const cached = createCachedCredentials(() =>
      fail
        ? Promise.reject(new Error('metadata timeout'))
        : Promise.resolve({ accessKeyId: 'A', secretAccessKey: 's' }),
    );
    await expect(cached.get()).rejects.toThrow('metadata timeout');
    fail = false;
    expect((await cached.get()).accessKeyId).toBe('A');
  });

  it('rejects a provider result without keys', async () => {
    const cached = createCachedCredentials(() => Promise.resolve({ accessKeyId: 'A' } as AwsCredentials));
    await expect(cached.get()).rejects.toThrow(ConfigError);
  });
});

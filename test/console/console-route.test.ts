// The console's HTTP surface without a browser: the page and its fixed files with their security
// headers, the data endpoints (cursor, timeline bounds, session), and who may read them. What the page
// does with the data is covered in console-views.test.ts.
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { SAMPLE_QUERIES } from '../../src/emulator/console/app/sample-queries.js';
import { createSender } from './console-browser.js';

const OWNER = {
  accessKeyId: 'AKIDCONSOLEROUTE0001',
  secretAccessKey: 'console-route-secret',
  accountId: '111122223333',
};

function get(emulator: Emulator, path: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${emulator.url}${path}`, { headers });
}

describe('the console route on an emulator without credentials', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, log: () => undefined });
  });
  afterAll(() => emulator.close());

  it('serves the page at / with a strict content security policy and no framing', async () => {
    const response = await get(emulator, '/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toMatch(/^default-src 'self';/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    const html = await response.text();
    expect(html).toContain('<script type="module" src="/console/main.js"></script>');
    // No inline script or handler: the policy would block them, and the page must not need them.
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>|\son[a-z]+=/i);
  });

  it('serves the bundled script and the stylesheet with their types, and nothing outside the list', async () => {
    const script = await get(emulator, '/console/main.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toContain('/console/api/events');
    expect((await get(emulator, '/console/styles.css')).headers.get('content-type')).toBe(
      'text/css; charset=utf-8',
    );
    for (const path of [
      '/console/main.ts',
      '/console/tsconfig.json',
      '/console/%2e%2e/console-route.ts',
      '/console/app/index.html',
    ]) {
      const response = await get(emulator, path);
      expect(response.status, path).toBe(404);
    }
  });

  it('pages stored events from a cursor and says where the page starts', async () => {
    const sender = createSender(emulator);
    for (const name of ['First', 'Second', 'Third'])
      await sender.send('console.route', {
        'audit.event_source': 'route.example',
        'audit.event_name': name,
        'audit.user_identity.type': 'User',
        'audit.user_identity.principal_id': 'dana',
      });
    await sender.shutdown();
    const all = (await (await get(emulator, '/console/api/events')).json()) as {
      total: number;
      from: number;
      events: Array<{ eventData: { eventName: string } }>;
    };
    expect(all.total).toBe(3);
    expect(all.events.map((event) => event.eventData.eventName)).toEqual(['First', 'Second', 'Third']);
    const after = (await (await get(emulator, '/console/api/events?after=2')).json()) as typeof all;
    expect(after).toMatchObject({ total: 3, from: 2 });
    expect(after.events.map((event) => event.eventData.eventName)).toEqual(['Third']);
    const newest = (await (await get(emulator, '/console/api/events?limit=1')).json()) as typeof all;
    expect(newest.from).toBe(2);
    const bad = await get(emulator, '/console/api/events?limit=0');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      __type: 'ValidationException',
      message: 'Expected `limit` to be an integer from 1 to 1000, got `0`',
    });
  });

  it('refuses a timeline wider than a day, naming the bound', async () => {
    const toMillis = Date.now();
    const response = await get(
      emulator,
      `/console/api/timeline?fromMillis=${toMillis - 2 * 86_400_000}&toMillis=${toMillis}`,
    );
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(
      /^Expected `fromMillis` to be an integer from \d+ to \d+, got `\d+`$/,
    );
  });

  it('hands its admin token to its own page, since without credentials any signature passes', async () => {
    expect(await (await get(emulator, '/console/api/session')).json()).toEqual({
      adminToken: emulator.adminToken,
    });
  });

  it('answers no other site: cross-site requests and foreign Host names are refused', async () => {
    const crossSite = await get(emulator, '/console/api/session', { 'sec-fetch-site': 'cross-site' });
    expect(crossSite.status).toBe(403);
    const foreignOrigin = await get(emulator, '/console/api/events', { origin: 'http://evil.example' });
    expect(foreignOrigin.status).toBe(403);
    // fetch() will not send another Host, so this one goes through node:http as a rebound page would.
    const reboundStatus = await new Promise<number | undefined>((resolve, reject) => {
      const request = httpRequest(
        `${emulator.url}/console/api/session`,
        { headers: { host: 'rebound.example' } },
        (response) => {
          response.resume();
          resolve(response.statusCode);
        },
      );
      request.on('error', reject);
      request.end();
    });
    expect(reboundStatus).toBe(403);
  });
});

describe('the console route on an emulator that checks credentials', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, log: () => undefined, credentials: [OWNER] });
  });
  afterAll(() => emulator.close());

  it('still serves the page, which asks for the token', async () => {
    expect((await get(emulator, '/')).status).toBe(200);
  });

  it('needs the admin token for every data endpoint and gives no token away', async () => {
    for (const path of ['/console/api/events', '/console/api/rejected', '/console/api/session']) {
      expect((await get(emulator, path)).status, path).toBe(403);
      expect((await get(emulator, path, { authorization: 'Bearer wrong-token' })).status, path).toBe(403);
      expect(
        (await get(emulator, path, { authorization: `Bearer ${emulator.adminToken}` })).status,
        path,
      ).toBe(200);
    }
    const session = await get(emulator, '/console/api/session', {
      authorization: `Bearer ${emulator.adminToken}`,
    });
    expect(await session.json()).toEqual({});
  });
});

describe('the sample queries', () => {
  it('each runs on the emulator and finds what it is named for', async () => {
    const emulator = await startEmulator({ port: 0, log: () => undefined });
    try {
      const sender = createSender(emulator);
      const base = { 'audit.event_source': 'samples.example', 'audit.user_identity.type': 'User' };
      await sender.send('login', {
        ...base,
        'audit.event_name': 'Login',
        'audit.user_identity.principal_id': 'frank',
        'audit.error_code': 'BadPassword',
        'audit.source_ip_address': '192.0.2.44',
      });
      await sender.send('login', {
        ...base,
        'audit.event_name': 'Login',
        'audit.user_identity.principal_id': 'frank',
        'audit.uid': 'same-uid',
        'audit.source_ip_address': '192.0.2.44',
      });
      await sender.send('login', {
        ...base,
        'audit.event_name': 'Login',
        'audit.user_identity.principal_id': 'grace',
        'audit.uid': 'same-uid',
      });
      await sender.shutdown();
      const results = new Map<string, Array<Record<string, string | null>>>();
      for (const sample of SAMPLE_QUERIES)
        results.set(sample.title, await emulator.query(sample.sql(emulator.eventDataStoreId)));
      expect(results.get('Failed logins by user')).toEqual([
        expect.objectContaining({ principal: 'frank', failed_logins: '1' }),
      ]);
      expect(results.get('Actions by source IP')).toContainEqual(
        expect.objectContaining({ source_ip: '192.0.2.44', actions: '2' }),
      );
      expect(results.get('Duplicates by UID')).toEqual([{ uid: 'same-uid', copies: '2' }]);
      expect(results.get("The last hour's errors")).toEqual([
        expect.objectContaining({ errorCode: 'BadPassword' }),
      ]);
    } finally {
      await emulator.close();
    }
  });
});

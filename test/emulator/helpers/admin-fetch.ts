// Test helper: calls the emulator's admin endpoints with its admin token, as the CLI and the console do.
import type { Emulator } from '../../../src/emulator/index.js';

export function adminFetch(emulator: Emulator, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${emulator.adminToken}`);
  if (init.body !== undefined && !headers.has('content-type'))
    headers.set('content-type', 'application/json');
  return fetch(`${emulator.url}${path}`, { ...init, headers });
}

/**
 * The console's only way to the emulator: same-origin fetches with the admin token, when one was given.
 * A 401 or 403 asks for the token once (every request waiting on it shares the one prompt) and retries.
 */

const TOKEN_KEY = 'otel-cloudtrail-lake.console.adminToken';
const CLOUDTRAIL_TARGET = 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101';

/** An error answer: the AWS-style `__type` and message, or a network failure. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly type: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let pendingPrompt: Promise<boolean> | undefined;

/** Shows the token dialog; resolves true once a token was entered, false on cancel. */
function promptForToken(): Promise<boolean> {
  pendingPrompt ??= new Promise<boolean>((resolve) => {
    const dialog = document.getElementById('token-dialog') as HTMLDialogElement;
    const input = document.getElementById('token-input') as HTMLInputElement;
    input.value = '';
    dialog.addEventListener(
      'close',
      () => {
        pendingPrompt = undefined;
        const token = input.value.trim();
        input.value = '';
        if (dialog.returnValue === 'ok' && token !== '') {
          sessionStorage.setItem(TOKEN_KEY, token);
          resolve(true);
        } else resolve(false);
      },
      { once: true },
    );
    dialog.showModal();
  });
  return pendingPrompt;
}

async function errorOf(response: Response): Promise<ApiError> {
  let type = `HTTP ${response.status}`;
  let message = response.statusText;
  try {
    const body = (await response.json()) as { __type?: unknown; message?: unknown; Message?: unknown };
    if (typeof body.__type === 'string') type = body.__type.split('#').pop() ?? type;
    const text = body.message ?? body.Message;
    if (typeof text === 'string') message = text;
  } catch {
    // Not JSON: the status line is all there is.
  }
  return new ApiError(message, response.status, type);
}

let session: Promise<void> | undefined;

/**
 * An emulator without configured credentials hands its admin token to its own page (the control plane
 * needs one); with credentials, the session is empty and the first 401 or 403 asks the developer.
 */
function startSession(): Promise<void> {
  session ??= (async () => {
    if (sessionStorage.getItem(TOKEN_KEY) !== null) return;
    const response = await fetch('/console/api/session', { credentials: 'same-origin', cache: 'no-store' });
    if (!response.ok) return;
    const { adminToken } = (await response.json()) as { adminToken?: unknown };
    if (typeof adminToken === 'string') sessionStorage.setItem(TOKEN_KEY, adminToken);
  })().catch(() => undefined);
  return session;
}

/** Fetches JSON from the emulator; asks for the admin token when the answer is 401 or 403. */
async function requestJson(path: string, init: RequestInit = {}): Promise<unknown> {
  await startSession();
  let renewed = false;
  for (;;) {
    const headers = new Headers(init.headers);
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token !== null) headers.set('authorization', `Bearer ${token}`);
    const response = await fetch(path, { ...init, headers, credentials: 'same-origin', cache: 'no-store' });
    if (response.ok) return response.json();
    const error = await errorOf(response);
    if (response.status !== 401 && response.status !== 403) throw error;
    if (!renewed && token !== null) {
      // A token kept from an earlier run of the emulator: ask the session for the current one first.
      renewed = true;
      sessionStorage.removeItem(TOKEN_KEY);
      session = undefined;
      await startSession();
      if (sessionStorage.getItem(TOKEN_KEY) !== null) continue;
    }
    if (await promptForToken()) continue;
    throw error;
  }
}

/** Calls a CloudTrail control-plane operation the way the AWS SDKs do (JSON 1.1 protocol). */
export function callCloudTrail<T>(operation: string, input: object): Promise<T> {
  return requestJson('/', {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `${CLOUDTRAIL_TARGET}.${operation}`,
    },
    body: JSON.stringify(input),
  }) as Promise<T>;
}

/** GETs one of the console's or the emulator's JSON endpoints. */
export function getJson<T>(path: string): Promise<T> {
  return requestJson(path) as Promise<T>;
}

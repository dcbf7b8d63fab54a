/** A minimal eventData that passes every rule of the integration event schema; a fresh object each call. */
export function validEventData() {
  return {
    version: '1.0',
    userIdentity: { type: 'User', principalId: 'alice' },
    eventSource: 'shop.example.com',
    eventName: 'Login',
    eventTime: '2026-11-21T09:30:00Z',
    UID: 'uid-1',
    recipientAccountId: '123456789012',
  };
}

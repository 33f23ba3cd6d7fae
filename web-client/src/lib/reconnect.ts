import { backoff } from './retry';

/**
 * Reconnection policy for graphql-ws. The server closes sockets with 1001 ("going away") when it
 * drains for a restart, and the network drops them with 1006: both must come back by themselves.
 */

/** CloseLike is the part of a CloseEvent the policy reads. */
export interface CloseLike {
  code: number;
  reason?: string;
}

function isCloseLike(v: unknown): v is CloseLike {
  return typeof v === 'object' && v !== null && 'code' in v && typeof (v as CloseLike).code === 'number';
}

// 4403 Forbidden: the token is not accepted; retrying the same token cannot help.
const GIVE_UP = new Set([4403]);

/** shouldRetry decides for graphql-ws whether to reconnect after a close or a socket error. */
export function shouldRetry(errOrCloseEvent: unknown): boolean {
  if (isCloseLike(errOrCloseEvent)) return !GIVE_UP.has(errOrCloseEvent.code);
  // A socket error event (e.g. connection refused while the server restarts): try again.
  return true;
}

/**
 * retryWaitMs is the pause before reconnect attempt n: the SPA's one backoff policy
 * (retry.ts), 0.5 s doubling to 8 s, with ±25 % jitter.
 */
export function retryWaitMs(retries: number, random: () => number = Math.random): number {
  const base = Math.min(backoff.maxDelayMs, backoff.firstDelayMs * 2 ** retries);
  return Math.round(base * (0.75 + random() * 0.5));
}

/**
 * resumingVariables returns subscription variables whose `after` is read at send time. graphql-ws
 * re-sends the same subscribe payload after every reconnect and serialises it with JSON.stringify
 * each time, so the getter makes each resend ask only for events after the last seq seen.
 */
export function resumingVariables(
  orderId: string,
  after: () => number,
): { orderId: string; readonly after: number } {
  return {
    orderId,
    get after() {
      return after();
    },
  };
}

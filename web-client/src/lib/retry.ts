import type { CombinedError, Operation, OperationContext } from '@urql/core';
import type { RetryExchangeOptions } from '@urql/exchange-retry';
import { isRetryable, toApiError } from './errors';

/**
 * The one backoff policy of the SPA: HTTP operations (urql's retry exchange) and the live socket
 * (graphql-ws, reconnect.ts) both wait about 0.5 s before the first retry, then about twice
 * as long each time, with jitter, never more than 8 s.
 */
export const backoff = {
  /** firstDelayMs is the mean wait before the first retry. */
  firstDelayMs: 500,
  /** maxDelayMs caps every wait. */
  maxDelayMs: 8000,
  /** maxAttempts is how often an HTTP operation is sent in all, the first time included. */
  maxAttempts: 4,
} as const;

/**
 * safeToRepeat marks a mutation that may be sent twice: a configuration step carries its version
 * (a repeat of a step that did arrive is a CONFLICT, not a second change) and placeOrder its
 * idempotency key. Other mutations are never repeated: after a network error nobody knows
 * whether the first one ran.
 */
export const safeToRepeat: Partial<OperationContext> = { safeToRepeat: true };

/**
 * shouldRetryOperation says whether urql repeats a failed operation: only when repeating the same
 * request may succeed unchanged (a network error or UNAVAILABLE), never for the customer's
 * mistakes (BAD_USER_INPUT) or a stale version (CONFLICT), which need a change first. Queries
 * are repeated; mutations only when marked safeToRepeat. Subscriptions are left to graphql-ws,
 * which reconnects by itself.
 */
export function shouldRetryOperation(error: CombinedError, operation: Operation): boolean {
  if (operation.kind === 'mutation' && operation.context.safeToRepeat !== true) return false;
  if (operation.kind !== 'query' && operation.kind !== 'mutation') return false;
  return isRetryable(toApiError(error));
}

/**
 * retryOptions configures urql's retry exchange with the backoff policy. The exchange multiplies
 * its delay by 1.5–2.5 (2 on average) before the first wait too, so it starts from half the
 * first delay.
 */
export const retryOptions: RetryExchangeOptions = {
  initialDelayMs: backoff.firstDelayMs / 2,
  maxDelayMs: backoff.maxDelayMs,
  randomDelay: true,
  maxNumberAttempts: backoff.maxAttempts,
  retryIf: shouldRetryOperation,
};

/** SLOW_MS is how long an answer may take before a page says it is retrying. */
export const SLOW_MS = 1500;

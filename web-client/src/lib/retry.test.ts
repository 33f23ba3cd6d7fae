// @vitest-environment happy-dom
import { CombinedError, createRequest, makeOperation, type Operation } from '@urql/core';
import { GraphQLError, parse } from 'graphql';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAtelierClient } from '../graphql/client';
import { backoff, retryOptions, safeToRepeat, shouldRetryOperation } from './retry';
import { retryWaitMs } from './reconnect';

const query = parse('query Ping { __typename }');
const mutation = parse('mutation Poke { __typename }');

function op(kind: 'query' | 'mutation' | 'subscription', context: Record<string, unknown> = {}): Operation {
  const base = makeOperation(kind, createRequest(kind === 'mutation' ? mutation : query, {}), {
    url: '/query',
    requestPolicy: 'network-only',
  });
  return makeOperation(kind, base, { ...base.context, ...context });
}

const coded = (code: string) =>
  new CombinedError({ graphQLErrors: [new GraphQLError('refused', { extensions: { code } })] });
const network = () => new CombinedError({ networkError: new TypeError('Failed to fetch') });
const httpStatus = (status: number) =>
  new CombinedError({ networkError: new Error(`HTTP ${status}`), response: { status } });

describe('shouldRetryOperation', () => {
  it.each([
    ['a network error', network(), true],
    ['UNAVAILABLE', coded('UNAVAILABLE'), true],
    ['HTTP 503 (a draining server)', httpStatus(503), true],
    ['BAD_USER_INPUT', coded('BAD_USER_INPUT'), false],
    ['CONFLICT', coded('CONFLICT'), false],
    ['RATE_LIMITED', coded('RATE_LIMITED'), false],
    ['HTTP 429', httpStatus(429), false],
    ['NOT_FOUND', coded('NOT_FOUND'), false],
    ['INTERNAL', coded('INTERNAL'), false],
  ])('a query with %s retries: %s', (_name, error, want) => {
    expect(shouldRetryOperation(error, op('query'))).toBe(want);
  });
  it('repeats a mutation only when it is marked safe to repeat', () => {
    expect(shouldRetryOperation(network(), op('mutation'))).toBe(false);
    expect(shouldRetryOperation(coded('UNAVAILABLE'), op('mutation'))).toBe(false);
    expect(shouldRetryOperation(network(), op('mutation', safeToRepeat))).toBe(true);
    expect(shouldRetryOperation(coded('CONFLICT'), op('mutation', safeToRepeat))).toBe(false);
    expect(shouldRetryOperation(coded('BAD_USER_INPUT'), op('mutation', safeToRepeat))).toBe(false);
  });
  it('leaves subscriptions to graphql-ws', () => {
    expect(shouldRetryOperation(network(), op('subscription'))).toBe(false);
  });
});

describe('one backoff policy', () => {
  it('starts the retry exchange and the socket at the same mean first delay and cap', () => {
    // urql multiplies by 1.5–2.5 before its first wait: 250 ms × [1.5, 2.5) = [375, 625) ms,
    // the socket's first wait with its ±25 % jitter.
    expect((retryOptions.initialDelayMs ?? 0) * 1.5).toBe(retryWaitMs(0, () => 0));
    expect((retryOptions.initialDelayMs ?? 0) * 2.5).toBe(retryWaitMs(0, () => 1));
    expect(retryOptions.maxDelayMs).toBe(backoff.maxDelayMs);
    expect(retryWaitMs(20, () => 0.5)).toBe(backoff.maxDelayMs);
  });
});

// The real client (graphql/client.ts) against a scripted fetch: what the pages get to see.
describe('the client retries', () => {
  let answers: Array<() => Response>;
  let sentAt: number[];

  beforeEach(() => {
    vi.useFakeTimers();
    answers = [];
    sentAt = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        sentAt.push(Date.now());
        const next = answers.shift();
        if (!next) throw new TypeError('Failed to fetch');
        return next();
      }),
    );
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  const json = (body: unknown, status = 200) => () =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const refused = (code: string) => json({ data: null, errors: [{ message: code, extensions: { code } }] });
  const ok = json({ data: { __typename: 'Query' } });

  async function settle<T>(p: Promise<T>): Promise<T> {
    for (let i = 0; i < 50; i++) await vi.advanceTimersByTimeAsync(1000);
    return p;
  }

  it('repeats a query through network errors and UNAVAILABLE, with growing waits', async () => {
    const down = () => {
      throw new TypeError('Failed to fetch');
    };
    answers = [down, refused('UNAVAILABLE'), ok];
    const client = createAtelierClient();
    const res = await settle(client.urql.query(query, {}).toPromise());
    expect(res.error).toBeUndefined();
    expect(res.data).toEqual({ __typename: 'Query' });
    expect(sentAt).toHaveLength(3);
    const first = sentAt[1] - sentAt[0];
    expect(first).toBeGreaterThanOrEqual(375);
    expect(first).toBeLessThan(625);
    expect(sentAt[2] - sentAt[1]).toBeGreaterThan(first);
    client.dispose();
  });

  it('gives up after the policy’s attempts and hands the last error over', async () => {
    const client = createAtelierClient();
    const res = await settle(client.urql.query(query, {}).toPromise());
    expect(res.error?.networkError).toBeDefined();
    expect(sentAt).toHaveLength(backoff.maxAttempts);
    client.dispose();
  });

  it.each(['BAD_USER_INPUT', 'CONFLICT', 'RATE_LIMITED'])('never repeats %s', async (code) => {
    answers = [refused(code), ok];
    const client = createAtelierClient();
    const res = await settle(client.urql.mutation(mutation, {}, safeToRepeat).toPromise());
    expect(res.error?.graphQLErrors[0].extensions.code).toBe(code);
    expect(sentAt).toHaveLength(1);
    client.dispose();
  });

  it('repeats a mutation after a network error only when it is safe to repeat', async () => {
    const client = createAtelierClient();
    const plain = await settle(client.urql.mutation(mutation, {}).toPromise());
    expect(plain.error?.networkError).toBeDefined();
    expect(sentAt).toHaveLength(1);

    sentAt = [];
    answers = [refused('UNAVAILABLE'), ok];
    const safe = await settle(client.urql.mutation(mutation, {}, safeToRepeat).toPromise());
    expect(safe.error).toBeUndefined();
    expect(sentAt).toHaveLength(2);
    client.dispose();
  });
});

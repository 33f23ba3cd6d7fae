import { describe, expect, it } from 'vitest';
import { resumingVariables, retryWaitMs, shouldRetry } from './reconnect';

describe('shouldRetry', () => {
  it('reconnects after going away (server restart) and abnormal closes', () => {
    expect(shouldRetry({ code: 1001, reason: 'going away' })).toBe(true);
    expect(shouldRetry({ code: 1006, reason: '' })).toBe(true);
    expect(shouldRetry({ code: 1012, reason: 'service restart' })).toBe(true);
  });
  it('reconnects after a socket error event', () => expect(shouldRetry(new Event('error'))).toBe(true));
  it('gives up on a refused token', () => expect(shouldRetry({ code: 4403, reason: 'Forbidden' })).toBe(false));
});

describe('retryWaitMs', () => {
  it('doubles and caps, with bounded jitter', () => {
    expect(retryWaitMs(0, () => 0.5)).toBe(500);
    expect(retryWaitMs(1, () => 0.5)).toBe(1000);
    expect(retryWaitMs(10, () => 0.5)).toBe(8000);
    expect(retryWaitMs(0, () => 0)).toBe(375);
    expect(retryWaitMs(0, () => 1)).toBe(625);
  });
});

describe('resumingVariables', () => {
  it('serialises the latest seq on every (re)send', () => {
    let held = 0;
    const vars = resumingVariables('o1', () => held);
    const payload = { query: 'subscription', variables: vars };
    expect(JSON.parse(JSON.stringify(payload)).variables).toEqual({ orderId: 'o1', after: 0 });
    held = 4; // four events arrived, then the socket dropped and graphql-ws re-sends the payload
    expect(JSON.parse(JSON.stringify(payload)).variables).toEqual({ orderId: 'o1', after: 4 });
  });
});

import { CombinedError } from '@urql/core';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { isRetryable, messageFor, parseGraphQLError, toApiError, type ErrorCode } from './errors';

describe('parseGraphQLError', () => {
  it('reads an excluded-option refusal with reasons and fix', () => {
    const err = parseGraphQLError('Leather grade: Shell cordovan is not available', {
      code: 'BAD_USER_INPUT',
      field: 'option',
      reasons: [{ message: 'Shell cordovan is stitched with linen only.', selections: [{ group: 'stitching', option: 'red', text: '' }] }],
      fix: [{ group: 'stitching', from: 'red', to: '', message: 'Stitching colour: Signal red → cleared' }],
    });
    expect(err.code).toBe('BAD_USER_INPUT');
    expect(err.field).toBe('option');
    expect(err.reasons[0].selections).toEqual([{ group: 'stitching', option: 'red', text: null }]);
    // An empty "to" means cleared.
    expect(err.fix).toEqual([{ group: 'stitching', from: 'red', to: null, message: 'Stitching colour: Signal red → cleared' }]);
  });
  it('reads the current version of a CONFLICT', () => {
    const err = parseGraphQLError('changed meanwhile', { code: 'CONFLICT', currentVersion: 7 });
    expect(err).toMatchObject({ code: 'CONFLICT', currentVersion: 7 });
  });
  it('treats unknown and missing codes as UNKNOWN, schema validation as INTERNAL', () => {
    expect(parseGraphQLError('x', { code: 'TEAPOT' }).code).toBe('UNKNOWN');
    expect(parseGraphQLError('x', undefined).code).toBe('UNKNOWN');
    expect(parseGraphQLError('x', { code: 'GRAPHQL_VALIDATION_FAILED' }).code).toBe('INTERNAL');
  });
});

describe('toApiError', () => {
  it('takes the first GraphQL error', () => {
    const e = new CombinedError({ graphQLErrors: [new GraphQLError('gone', { extensions: { code: 'NOT_FOUND' } })] });
    expect(toApiError(e).code).toBe('NOT_FOUND');
  });
  it('maps a network failure', () => {
    const e = new CombinedError({ networkError: new Error('Failed to fetch') });
    expect(toApiError(e).code).toBe('NETWORK');
  });
  it('maps HTTP 503 and 429', () => {
    const e503 = new CombinedError({ networkError: new Error('x'), response: { status: 503 } });
    const e429 = new CombinedError({ networkError: new Error('x'), response: { status: 429 } });
    expect(toApiError(e503).code).toBe('UNAVAILABLE');
    expect(toApiError(e429).code).toBe('RATE_LIMITED');
  });
});

describe('messageFor', () => {
  const codes: ErrorCode[] = [
    'BAD_USER_INPUT',
    'CONFLICT',
    'NOT_FOUND',
    'UNAUTHENTICATED',
    'FORBIDDEN',
    'UNAVAILABLE',
    'SOLD_OUT',
    'RATE_LIMITED',
    'INTERNAL',
    'NETWORK',
    'UNKNOWN',
  ];
  for (const code of codes) {
    it(`${code} has a human sentence in every context`, () => {
      for (const ctx of ['configure', 'checkout', 'order', 'designer', 'catalog'] as const) {
        const m = messageFor({ code, serverMessage: '', reasons: [], fix: [] }, ctx);
        expect(m.length).toBeGreaterThan(20);
        expect(m).not.toMatch(/internal error|undefined|null/i);
      }
    });
  }
  it('shows the server words for BAD_USER_INPUT', () => {
    expect(messageFor({ code: 'BAD_USER_INPUT', serverMessage: 'Quantity must be 1 to 500.', reasons: [], fix: [] })).toBe(
      'Quantity must be 1 to 500.',
    );
  });
  it('never shows raw internal text', () => {
    expect(messageFor({ code: 'INTERNAL', serverMessage: 'internal error', reasons: [], fix: [] })).toMatch(/our side/);
  });
  it('tells a refused staff member which token the place needs', () => {
    const forbidden = { code: 'FORBIDDEN' as const, serverMessage: '', reasons: [], fix: [] };
    expect(messageFor(forbidden, 'workshop')).toMatch(/workshop token/);
    expect(messageFor(forbidden, 'designer')).toMatch(/designer token/);
    for (const code of codes) expect(messageFor({ code, serverMessage: '', reasons: [], fix: [] }, 'workshop').length).toBeGreaterThan(20);
  });
  it('explains sold out', () => {
    expect(messageFor({ code: 'SOLD_OUT', serverMessage: '', reasons: [], fix: [] }, 'checkout')).toMatch(/sold out/);
  });
});

describe('retry policy', () => {
  it('retries only transient failures', () => {
    expect(isRetryable({ code: 'UNAVAILABLE', serverMessage: '', reasons: [], fix: [] })).toBe(true);
    expect(isRetryable({ code: 'NETWORK', serverMessage: '', reasons: [], fix: [] })).toBe(true);
    expect(isRetryable({ code: 'CONFLICT', serverMessage: '', reasons: [], fix: [] })).toBe(false);
    expect(isRetryable({ code: 'SOLD_OUT', serverMessage: '', reasons: [], fix: [] })).toBe(false);
  });
});

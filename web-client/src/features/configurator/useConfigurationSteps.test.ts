// @vitest-environment happy-dom
import { createElement, type ReactNode } from 'react';
import { act, renderHook, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AtelierProvider } from '../../graphql/context';
import type { ApiError } from '../../lib/errors';
import type { Edit } from './edits';
import { afterFailure, isNewer, useConfigurationSteps, useStartConfiguration } from './useConfigurationSteps';

const err = (code: ApiError['code'], fix: ApiError['fix'] = []): ApiError => ({ code, serverMessage: code, reasons: [], fix });
const select: Edit = { kind: 'select', group: 'leather', option: 'cordovan', label: 'Leather: Cordovan' };
const quantity: Edit = { kind: 'quantity', quantity: 2, label: 'Quantity: 2' };
const fix = [{ group: 'thread', from: 'red', to: null, message: 'Thread: red → cleared' }];

describe('afterFailure', () => {
  it.each([
    ['CONFLICT, first time: catch up and send again', err('CONFLICT'), select, false, false, 'catch-up'],
    ['CONFLICT after catching up: report', err('CONFLICT'), select, false, true, 'fail'],
    ['an unavailable choice with a fix: ask', err('BAD_USER_INPUT', fix), select, false, false, 'ask'],
    ['the fix already accepted: report', err('BAD_USER_INPUT', fix), select, true, false, 'fail'],
    ['no fix offered: report', err('BAD_USER_INPUT'), select, false, false, 'fail'],
    ['an edit that cannot resolve: report', err('BAD_USER_INPUT', fix), quantity, false, false, 'fail'],
    ['UNAVAILABLE after the client gave up: report', err('UNAVAILABLE'), select, false, false, 'fail'],
  ] as const)('%s', (_name, e, edit, resolve, caughtUp, want) => {
    expect(afterFailure(e, edit, resolve, caughtUp)).toBe(want);
  });
});

describe('isNewer', () => {
  it('lets versions only move forward, per configuration', () => {
    expect(isNewer(null, { id: 'a', version: 1 })).toBe(true);
    expect(isNewer({ id: 'a', version: 3 }, { id: 'a', version: 4 })).toBe(true);
    expect(isNewer({ id: 'a', version: 3 }, { id: 'a', version: 3 })).toBe(true);
    expect(isNewer({ id: 'a', version: 3 }, { id: 'a', version: 2 })).toBe(false);
    expect(isNewer({ id: 'a', version: 3 }, { id: 'b', version: 1 })).toBe(true);
  });
});

// A scripted server behind the real client (graphql/client.ts, with its retry exchange): each
// request is answered by the handler; what was sent is kept for the assertions.
type Sent = { operationName: string; variables: Record<string, { version?: number; resolveConflicts?: boolean }> };
type Handler = (req: Sent) => unknown;

describe('useConfigurationSteps', () => {
  let sent: Sent[];
  let handler: Handler;
  let serverVersion: number;

  const configuration = (version: number) => ({ id: 'cfg', version });
  const payload = (version: number, changes: { group: string; message: string }[] = []) => ({
    data: { result: { configuration: configuration(version), changes } },
  });
  const refused = (code: string, extensions: Record<string, unknown> = {}) => ({
    data: null,
    errors: [{ message: code, extensions: { code, ...extensions } }],
  });

  beforeEach(() => {
    sent = [];
    serverVersion = 1;
    handler = (req) =>
      req.operationName === 'Configuration'
        ? { data: { configuration: configuration(serverVersion) } }
        : payload(++serverVersion);
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: string, init: RequestInit) => {
        const req = JSON.parse(String(init.body)) as Sent;
        sent.push(req);
        return new Response(JSON.stringify(handler(req)), { headers: { 'content-type': 'application/json' } });
      }),
    );
    // The live socket never opens here: subscriptions stay silent.
    vi.stubGlobal(
      'WebSocket',
      class {
        readonly readyState = 0;
        addEventListener() {}
        removeEventListener() {}
        close() {}
        send() {}
      },
    );
  });
  afterEach(() => vi.unstubAllGlobals());

  const wrapper = ({ children }: { children: ReactNode }) => createElement(AtelierProvider, null, children);
  const mutations = () => sent.filter((r) => r.operationName !== 'Configuration');

  async function loaded() {
    const hook = renderHook(() => useConfigurationSteps('cfg'), { wrapper });
    await waitFor(() => expect(hook.result.current.configuration).not.toBeNull());
    return hook;
  }

  it('loads, then sends each step against the version the previous one produced', async () => {
    const { result } = await loaded();
    expect(result.current.configuration?.version).toBe(1);
    act(() => {
      result.current.run(select);
      result.current.run(quantity);
    });
    await waitFor(() => expect(result.current.configuration?.version).toBe(3));
    expect(mutations().map((r) => [r.operationName, r.variables.input.version])).toEqual([
      ['SelectOption', 1],
      ['SetQuantity', 2],
    ]);
    expect(result.current.busy).toBe(false);
    expect(result.current.error).toBeNull();
  });

  it('reports what the server changed in other groups to make a step fit', async () => {
    handler = (req) =>
      req.operationName === 'Configuration'
        ? { data: { configuration: configuration(1) } }
        : payload(2, [
            { group: 'leather', message: 'Leather: Cordovan' },
            { group: 'thread', message: 'Thread: red → linen' },
          ]);
    const { result } = await loaded();
    act(() => result.current.run(select));
    await waitFor(() => expect(result.current.changed).toEqual(['Thread: red → linen']));
  });

  it('catches up quietly after a version CONFLICT and sends the step again', async () => {
    const { result } = await loaded();
    serverVersion = 5; // another tab moved on
    handler = (req) => {
      if (req.operationName === 'Configuration') return { data: { configuration: configuration(serverVersion) } };
      if (req.variables.input.version !== serverVersion) return refused('CONFLICT', { currentVersion: serverVersion });
      return payload(++serverVersion);
    };
    act(() => result.current.run(select));
    await waitFor(() => expect(result.current.configuration?.version).toBe(6));
    expect(sent.map((r) => [r.operationName, r.variables.input?.version ?? null])).toEqual([
      ['Configuration', null],
      ['SelectOption', 1],
      ['Configuration', null],
      ['SelectOption', 5],
    ]);
    expect(result.current.error).toBeNull();
  });

  it('reports a CONFLICT that persists after catching up, and reloads', async () => {
    const { result } = await loaded();
    handler = (req) =>
      req.operationName === 'Configuration'
        ? { data: { configuration: configuration(++serverVersion) } }
        : refused('CONFLICT');
    act(() => result.current.run(select));
    await waitFor(() => expect(result.current.error).toMatch(/changed in another window/));
    expect(sent.map((r) => r.operationName)).toEqual([
      'Configuration',
      'SelectOption',
      'Configuration',
      'SelectOption',
      'Configuration',
    ]);
    await waitFor(() => expect(result.current.busy).toBe(false));
    expect(result.current.configuration?.version).toBe(3);
  });

  it('puts an unavailable choice to the customer, then sends it with resolveConflicts', async () => {
    const { result } = await loaded();
    handler = (req) => {
      if (req.operationName === 'Configuration') return { data: { configuration: configuration(serverVersion) } };
      if (!req.variables.input.resolveConflicts) return refused('BAD_USER_INPUT', { fix });
      return payload(++serverVersion);
    };
    act(() => result.current.run(select));
    await waitFor(() => expect(result.current.conflict).not.toBeNull());
    expect(result.current.conflict?.edit).toEqual(select);
    expect(result.current.conflict?.error.fix).toEqual([{ ...fix[0], to: null }]);
    expect(result.current.error).toBeNull();

    act(() => result.current.dismissConflict());
    expect(result.current.conflict).toBeNull();

    act(() => result.current.run(select));
    await waitFor(() => expect(result.current.conflict).not.toBeNull());
    act(() => result.current.run(result.current.conflict!.edit, true));
    await waitFor(() => expect(result.current.conflict).toBeNull());
    expect(result.current.configuration?.version).toBe(2);
    expect(mutations().map((r) => r.variables.input.resolveConflicts)).toEqual([false, false, true]);
  });

  it('reports a configuration that cannot be loaded', async () => {
    handler = () => refused('NOT_FOUND');
    const { result } = renderHook(() => useConfigurationSteps('cfg'), { wrapper });
    await waitFor(() => expect(result.current.loadError?.code).toBe('NOT_FOUND'));
    expect(result.current.configuration).toBeNull();
    expect(sent).toHaveLength(1); // NOT_FOUND is never retried
  });
});

describe('useStartConfiguration', () => {
  afterEach(() => vi.unstubAllGlobals());
  const wrapper = ({ children }: { children: ReactNode }) => createElement(AtelierProvider, null, children);

  it('starts once and reports the new id; start() tries again after an error', async () => {
    const answers = [
      { data: null, errors: [{ message: 'sold out', extensions: { code: 'SOLD_OUT' } }] },
      { data: { startConfiguration: { configuration: { id: 'new', version: 1 }, changes: [] } } },
    ];
    const fetch = vi.fn(async () => new Response(JSON.stringify(answers.shift()), { headers: { 'content-type': 'application/json' } }));
    vi.stubGlobal('fetch', fetch);
    const onStarted = vi.fn();
    const { result } = renderHook(() => useStartConfiguration('p1', onStarted), { wrapper });
    await waitFor(() => expect(result.current.error?.code).toBe('SOLD_OUT'));
    expect(onStarted).not.toHaveBeenCalled();
    act(() => result.current.start());
    await waitFor(() => expect(onStarted).toHaveBeenCalledWith('new'));
    expect(result.current.error).toBeNull();
    expect(fetch).toHaveBeenCalledTimes(2);
  });
});

import { useCallback, useEffect, useRef, useState } from 'react';
import type { AnyVariables, Client, OperationResult, TypedDocumentNode } from '@urql/core';
import { useClient } from 'urql';
import type { FragmentType } from '../../gql';
import type { ConnectionState } from '../../graphql/client';
import { useAtelier } from '../../graphql/context';
import { messageFor, toApiError, type ApiError } from '../../lib/errors';
import { safeToRepeat, SLOW_MS } from '../../lib/retry';
import { canResolve, type Edit } from './edits';
import {
  ClearSelectionMutation,
  ConfigurationQuery,
  ConfigurationUpdatedSubscription,
  ConfiguratorPageFragment,
  ResetConfigurationMutation,
  SelectOptionMutation,
  SetDestinationMutation,
  SetNumberMutation,
  SetQuantityMutation,
  SetTextMutation,
  StartConfigurationMutation,
} from './operations';

/**
 * ConfigurationRef is a configuration as the hooks hold it: id and version (selected beside the
 * fragment by every operation) for ordering and sending steps; the rest stays masked until the
 * page reads it with useFragment in render.
 */
export type ConfigurationRef = FragmentType<typeof ConfiguratorPageFragment> & { id: string; version: number };

/** Change is another choice the server changed to make a step fit. */
export interface Change {
  group: string;
  message: string;
}

type StepResult = { result: { configuration: ConfigurationRef; changes: Change[] } };

/** PendingConflict is an unavailable choice waiting for the customer to accept the server's fix. */
export interface PendingConflict {
  edit: Edit;
  error: ApiError;
}

/** FailureMove is what follows a failed step. */
export type FailureMove = 'catch-up' | 'ask' | 'fail';

/**
 * afterFailure decides what a failed step leads to: a CONFLICT (another tab moved the version
 * on) is caught up with once, quietly, and the step sent again; an unavailable choice the server
 * can fix is put to the customer; anything else is reported.
 */
export function afterFailure(err: ApiError, edit: Edit, resolve: boolean, caughtUp: boolean): FailureMove {
  if (err.code === 'CONFLICT' && !caughtUp) return 'catch-up';
  if (err.code === 'BAD_USER_INPUT' && err.fix.length > 0 && canResolve(edit) && !resolve) return 'ask';
  return 'fail';
}

/** isNewer says whether next may replace cur: versions only move forward. */
export function isNewer(cur: { id: string; version: number } | null, next: { id: string; version: number }): boolean {
  return !cur || cur.id !== next.id || next.version >= cur.version;
}

const unknownError: ApiError = { code: 'UNKNOWN', serverMessage: '', reasons: [], fix: [] };

/** sendStep runs one edit as its mutation against a version. */
function sendStep(client: Client, id: string, version: number, edit: Edit, resolve: boolean) {
  const base = { configurationId: id, version };
  const run = <V extends AnyVariables>(doc: TypedDocumentNode<StepResult, V>, vars: V) =>
    client.mutation(doc, vars, safeToRepeat).toPromise() as Promise<OperationResult<StepResult, V>>;
  switch (edit.kind) {
    case 'select':
      return run(SelectOptionMutation, { input: { ...base, group: edit.group, option: edit.option, resolveConflicts: resolve } });
    case 'clear':
      return run(ClearSelectionMutation, { input: { ...base, group: edit.group, option: edit.option ?? null } });
    case 'text':
      return run(SetTextMutation, { input: { ...base, group: edit.group, text: edit.text, resolveConflicts: resolve } });
    case 'number':
      return run(SetNumberMutation, { input: { ...base, group: edit.group, value: edit.value, resolveConflicts: resolve } });
    case 'quantity':
      return run(SetQuantityMutation, { input: { ...base, quantity: edit.quantity } });
    case 'destination':
      return run(SetDestinationMutation, { input: { ...base, country: edit.country } });
    case 'reset':
      return run(ResetConfigurationMutation, { input: base });
  }
}

/** ConfigurationSteps is what the configurator page renders from and acts through. */
export interface ConfigurationSteps {
  /** configuration is the newest state seen (masked for the page's fragment), null until loaded. */
  configuration: ConfigurationRef | null;
  /** loadError is why the configuration could not be loaded at all. */
  loadError: ApiError | null;
  /** error is the last failed step, in the customer's words. */
  error: string | null;
  /** status says that an answer is slow in coming (the client is retrying). */
  status: string | null;
  /** changed lists what the server changed elsewhere to make the last step fit. */
  changed: string[];
  busy: boolean;
  /** conflict is an unavailable choice awaiting the customer's decision. */
  conflict: PendingConflict | null;
  live: ConnectionState;
  /** run queues an edit; resolve accepts the server's fix for an unavailable choice. */
  run(edit: Edit, resolve?: boolean): void;
  /** dismissConflict declines the proposed fix. */
  dismissConflict(): void;
}

/**
 * useConfigurationSteps loads a configuration, follows it live (another tab or device), and runs
 * the customer's edits one at a time, each against the version the previous one produced,
 * catching up after a version CONFLICT. Retries of failed requests happen in the client.
 */
export function useConfigurationSteps(id: string): ConfigurationSteps {
  const client = useClient();
  const atelier = useAtelier();
  const [configuration, setConfiguration] = useState<ConfigurationRef | null>(null);
  const latest = useRef<ConfigurationRef | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [changed, setChanged] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [conflict, setConflict] = useState<PendingConflict | null>(null);
  const [live, setLive] = useState<ConnectionState>('connecting');
  const queue = useRef<Promise<void>>(Promise.resolve());

  const apply = useCallback((c: ConfigurationRef) => {
    if (!isNewer(latest.current, c)) return;
    latest.current = c;
    setConfiguration(c);
  }, []);

  const reload = useCallback(async () => {
    const slow = setTimeout(() => setStatus('Reconnecting to the workshop…'), SLOW_MS);
    try {
      const res = await client.query(ConfigurationQuery, { id }, { requestPolicy: 'network-only' }).toPromise();
      if (res.data?.configuration) {
        apply(res.data.configuration);
        setLoadError(null);
        return;
      }
      if (!latest.current) setLoadError(res.error ? toApiError(res.error) : unknownError);
    } finally {
      clearTimeout(slow);
      setStatus(null);
    }
  }, [client, id, apply]);

  useEffect(() => {
    void reload();
    const sub = client.subscription(ConfigurationUpdatedSubscription, { id }).subscribe((res) => {
      if (res.data?.configurationUpdated) apply(res.data.configurationUpdated);
    });
    const offState = atelier.onState(setLive);
    // After a dropped socket, updates may have been missed: fetch the current state once.
    const offReconnect = atelier.onReconnect(() => void reload());
    return () => {
      sub.unsubscribe();
      offState();
      offReconnect();
    };
  }, [client, atelier, id, apply, reload]);

  const runNow = useCallback(
    async (edit: Edit, resolve: boolean) => {
      setBusy(true);
      setError(null);
      const slow = setTimeout(() => setStatus('The workshop is slow to answer — retrying…'), SLOW_MS);
      try {
        for (const caughtUp of [false, true]) {
          const cur = latest.current;
          if (!cur) return;
          const res = await sendStep(client, cur.id, cur.version, edit, resolve);
          const payload = res.data?.result;
          if (payload) {
            apply(payload.configuration);
            const others = payload.changes.filter((ch) => !('group' in edit) || ch.group !== edit.group);
            setChanged(others.map((ch) => ch.message));
            setConflict(null);
            return;
          }
          const err = res.error ? toApiError(res.error) : unknownError;
          const move = afterFailure(err, edit, resolve, caughtUp);
          if (move === 'catch-up') {
            await reload();
            continue;
          }
          if (move === 'ask') {
            setConflict({ edit, error: err });
            return;
          }
          setConflict(null);
          setError(messageFor(err, 'configure'));
          if (err.code === 'CONFLICT') await reload();
          return;
        }
      } finally {
        clearTimeout(slow);
        setStatus(null);
        setBusy(false);
      }
    },
    [client, apply, reload],
  );

  // Edits run one at a time, in order, each against the version the previous one produced.
  const run = useCallback(
    (edit: Edit, resolve = false) => {
      queue.current = queue.current.then(() => runNow(edit, resolve));
    },
    [runNow],
  );
  const dismissConflict = useCallback(() => setConflict(null), []);

  return { configuration, loadError, error, status, changed, busy, conflict, live, run, dismissConflict };
}

/**
 * useStartConfiguration starts a configuration of a product once and reports its id; start()
 * tries again after an error.
 */
export function useStartConfiguration(productId: string, onStarted: (id: string) => void) {
  const client = useClient();
  const [error, setError] = useState<ApiError | null>(null);
  const started = useRef(false);
  const send = useCallback(async () => {
    const res = await client.mutation(StartConfigurationMutation, { input: { productId, quantity: 1 } }, safeToRepeat).toPromise();
    const c = res.data?.startConfiguration.configuration;
    if (c) onStarted(c.id);
    else setError(res.error ? toApiError(res.error) : unknownError);
  }, [client, productId, onStarted]);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void send();
  }, [send]);
  const start = useCallback(() => {
    setError(null);
    void send();
  }, [send]);
  return { error, start };
}

import { useEffect, useRef, useState } from 'react';
import { print } from 'graphql';
import { graphql } from '../../gql';
import type { OrderEventsSubscription as OrderEventsResult } from '../../gql/graphql';
import { useAtelier } from '../../graphql/context';
import { parseGraphQLError, type ApiError } from '../../lib/errors';
import { resumingVariables } from '../../lib/reconnect';
import { contiguousSeq, mergeEvents, type TimelineEvent } from '../../lib/timeline';

const OrderEventsDocument = graphql(`
  subscription OrderEvents($orderId: ID!, $after: Int) {
    orderEvents(orderId: $orderId, after: $after) {
      seq
      status
      kind
      amount
      note
      at
      trackingNumber
      proofNumber
    }
  }
`);

const query = print(OrderEventsDocument);

/**
 * useOrderEvents follows an order's timeline live. It asks only for events after the ones it
 * holds, and on every reconnect graphql-ws re-sends the subscription with `after` read afresh,
 * so steps are neither lost nor repeated (and a replayed one would be dropped by seq anyway).
 */
export function useOrderEvents(orderId: string, initial: readonly TimelineEvent[]) {
  const atelier = useAtelier();
  const [events, setEvents] = useState<TimelineEvent[]>(() => mergeEvents([], initial));
  const held = useRef(events);
  const [error, setError] = useState<ApiError | null>(null);
  const [live, setLive] = useState<'connecting' | 'connected' | 'reconnecting' | 'idle'>('connecting');

  // Events fetched with the order (e.g. on a refetch) join the same timeline.
  useEffect(() => {
    setEvents((cur) => {
      const next = mergeEvents(cur, initial);
      held.current = next;
      return next;
    });
  }, [initial]);

  useEffect(() => atelier.onState(setLive), [atelier]);

  useEffect(() => {
    let stopped = false;
    let unsubscribe = () => {};
    let timer: ReturnType<typeof setTimeout> | undefined;
    const start = () => {
      unsubscribe = atelier.ws.subscribe<OrderEventsResult>(
        { query, variables: resumingVariables(orderId, () => contiguousSeq(held.current)) },
        {
          next(result) {
            if (result.errors?.length) {
              const first = result.errors[0];
              setError(parseGraphQLError(first.message, first.extensions));
              return;
            }
            const e = result.data?.orderEvents;
            if (!e) return;
            setError(null);
            setEvents((cur) => {
              const next = mergeEvents(cur, [e]);
              held.current = next;
              return next;
            });
          },
          error(err) {
            if (Array.isArray(err) && err.length) {
              const first = err[0] as { message?: string; extensions?: unknown };
              setError(parseGraphQLError(first.message ?? '', first.extensions));
            } else if (!stopped) {
              setError({ code: 'NETWORK', serverMessage: '', reasons: [], fix: [] });
              timer = setTimeout(start, 3000);
            }
          },
          complete() {
            // The server ended the stream (e.g. it is shutting down): pick it up again.
            if (!stopped) timer = setTimeout(start, 1000);
          },
        },
      );
    };
    start();
    return () => {
      stopped = true;
      clearTimeout(timer);
      unsubscribe();
    };
  }, [atelier, orderId]);

  return { events, error, live };
}

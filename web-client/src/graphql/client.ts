import { Client, fetchExchange, subscriptionExchange } from '@urql/core';
import { retryExchange } from '@urql/exchange-retry';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { retryWaitMs, shouldRetry } from '../lib/reconnect';
import { retryOptions } from '../lib/retry';

/**
 * The one place urql and graphql-ws are set up. Each audience gets its own client because the
 * WebSocket carries its credentials in connection_init: customers (no token), an order's owner
 * (the order token) and staff (their token).
 */

/** httpUrl is the GraphQL endpoint (VITE_GRAPHQL_URL, default same-origin /query). */
export function httpUrl(): string {
  const configured = import.meta.env.VITE_GRAPHQL_URL as string | undefined;
  return configured || '/query';
}

/** wsUrl is the WebSocket endpoint (VITE_GRAPHQL_WS_URL, default ws(s)://<this host>/query). */
export function wsUrl(): string {
  const configured = import.meta.env.VITE_GRAPHQL_WS_URL as string | undefined;
  if (configured) return configured;
  const http = new URL(httpUrl(), window.location.href);
  http.protocol = http.protocol === 'https:' ? 'wss:' : 'ws:';
  return http.toString();
}

/** ConnectionState is what the page tells the customer about the live link. */
export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting';

/** AtelierClient bundles the urql client with its socket. */
export interface AtelierClient {
  urql: Client;
  ws: WsClient;
  /** onReconnect calls fn each time the socket comes back after a drop (to refetch state). */
  onReconnect(fn: () => void): () => void;
  /** onState follows the socket's state. */
  onState(fn: (s: ConnectionState) => void): () => void;
  dispose(): void;
}

/** createAtelierClient builds the clients for one audience; token is sent as a Bearer token. */
export function createAtelierClient(token?: string | null): AtelierClient {
  const reconnectListeners = new Set<() => void>();
  const stateListeners = new Set<(s: ConnectionState) => void>();
  const emit = (s: ConnectionState) => stateListeners.forEach((fn) => fn(s));
  let everConnected = false;

  const ws = createWsClient({
    url: wsUrl(),
    lazy: true,
    // The server reads `authorization` (or `Authorization`) from the connection_init payload.
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    keepAlive: 15_000,
    // Keep trying for as long as the page is open: a restarting server closes with 1001.
    retryAttempts: Number.MAX_SAFE_INTEGER,
    shouldRetry,
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, retryWaitMs(retries))),
    on: {
      connecting: () => emit(everConnected ? 'reconnecting' : 'connecting'),
      connected: (_socket, _payload, wasRetry) => {
        emit('connected');
        if (everConnected || wasRetry) reconnectListeners.forEach((fn) => fn());
        everConnected = true;
      },
      closed: () => emit(everConnected ? 'reconnecting' : 'idle'),
    },
  });

  const urql = new Client({
    url: httpUrl(),
    preferGetMethod: false,
    // urql aborts a request when its operation is torn down (toPromise() after the first result,
    // a page change); Chromium then reports the AbortError as uncaught. Let requests finish: a
    // late result for a torn-down operation is simply dropped.
    fetch: (input, init) => fetch(input, { ...init, signal: undefined }),
    requestPolicy: 'network-only',
    fetchOptions: (): RequestInit => {
      const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
      return { headers };
    },
    exchanges: [
      // Every query and mutation is retried here, once for the whole SPA (lib/retry.ts): pages
      // see only the final answer.
      retryExchange(retryOptions),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query || '' };
          return {
            subscribe(sink) {
              const unsubscribe = ws.subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });

  return {
    urql,
    ws,
    onReconnect(fn) {
      reconnectListeners.add(fn);
      return () => reconnectListeners.delete(fn);
    },
    onState(fn) {
      stateListeners.add(fn);
      return () => stateListeners.delete(fn);
    },
    dispose() {
      void ws.dispose();
    },
  };
}

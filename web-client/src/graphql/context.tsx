import { createContext, useContext, useEffect, useMemo, type ReactNode } from 'react';
import { Provider } from 'urql';
import { createAtelierClient, type AtelierClient } from './client';

const AtelierContext = createContext<AtelierClient | null>(null);

/** AtelierProvider gives its subtree a client for one audience (token: none, order or staff). */
export function AtelierProvider({ token, children }: { token?: string | null; children: ReactNode }) {
  const client = useMemo(() => createAtelierClient(token), [token]);
  useEffect(() => () => client.dispose(), [client]);
  return (
    <AtelierContext.Provider value={client}>
      <Provider value={client.urql}>{children}</Provider>
    </AtelierContext.Provider>
  );
}

/** useAtelier is the nearest client bundle (socket events, the raw graphql-ws client). */
export function useAtelier(): AtelierClient {
  const c = useContext(AtelierContext);
  if (!c) throw new Error('useAtelier outside AtelierProvider');
  return c;
}

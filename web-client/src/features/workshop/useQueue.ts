import { useEffect, useMemo, useState } from 'react';
import { useQuery, useSubscription } from 'urql';
import { queueWhere, withStatus, type QueueFilters } from '../../lib/workshop';
import { COUNT_STATUSES, QueueCountsQuery, QueueLiveSubscription, QueueQuery } from './operations';

const PAGE = 50;

/**
 * useQueue holds the workshop queue: the filtered orders (oldest first), the count of each
 * status under the same filters, and a live subscription that reads both again whenever an
 * order is placed or moves — its first message arrives once it is live, so nothing falls
 * between the first read and the subscription.
 */
export function useQueue(filters: QueueFilters) {
  const [limit, setLimit] = useState(PAGE);
  const base = useMemo(
    () => queueWhere({ productId: filters.productId, from: filters.from, to: filters.to, search: filters.search }),
    [filters.productId, filters.from, filters.to, filters.search],
  );
  const where = useMemo(() => withStatus(base, filters.status), [base, filters.status]);
  const [list, refetchList] = useQuery({ query: QueueQuery, variables: { where, first: limit } });
  // One where per status, each a plain list of conditions: an empty object inside `and` is
  // refused by the server.
  const countVars = useMemo(
    () => Object.fromEntries(COUNT_STATUSES.map(([alias, status]) => [alias, withStatus(base, status)])),
    [base],
  );
  const [counts, refetchCounts] = useQuery({ query: QueueCountsQuery, variables: countVars as never });
  const [live] = useSubscription({ query: QueueLiveSubscription }, (prev: number | undefined) => (prev ?? 0) + 1);
  const changes = live.data ?? 0;
  useEffect(() => {
    if (changes === 0) return;
    refetchList({ requestPolicy: 'network-only' });
    refetchCounts({ requestPolicy: 'network-only' });
    // Only a new change reads again; the refetch functions change with the filters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [changes]);
  const orders = (list.data?.orders.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []));
  return {
    orders,
    total: list.data?.orders.totalCount ?? 0,
    fetching: list.fetching,
    error: list.error ?? counts.error ?? live.error,
    counts: counts.data,
    live: changes > 0 && !live.error,
    changes,
    more: () => setLimit((n) => n + PAGE),
  };
}

import { useState } from 'react';
import { useQuery } from 'urql';
import { Link } from '../../components/router';
import { Notice } from '../../components/Notice';
import { Loading } from '../../components/Spinner';
import { StaffGate, type StaffViewer } from '../../components/StaffGate';
import { messageFor, toApiError } from '../../lib/errors';
import { formatDate, formatMoney } from '../../lib/money';
import { statusLabel } from '../../lib/timeline';
import { isOverdue, ORDER_STATUSES, type QueueFilters } from '../../lib/workshop';
import { COUNT_STATUSES, WorkshopProductsQuery } from './operations';
import { WorkshopOrder } from './WorkshopOrder';
import { useQueue } from './useQueue';

/** WorkshopPage is the workshop's side: the order queue, and one order with its actions. */
export function WorkshopPage(props: { token: string | null; onToken(t: string | null): void; orderId?: string }) {
  return (
    <StaffGate role="WORKSHOP" token={props.token} onToken={props.onToken}>
      {(viewer) =>
        props.orderId ? <WorkshopOrder orderId={props.orderId} viewer={viewer} /> : <Queue viewer={viewer} />
      }
    </StaffGate>
  );
}

const EMPTY: QueueFilters = { status: 'ACTIVE', productId: '', from: '', to: '', search: '' };

function Queue({ viewer }: { viewer: StaffViewer }) {
  const [filters, setFilters] = useState<QueueFilters>(EMPTY);
  const set = (patch: Partial<QueueFilters>) => setFilters((f) => ({ ...f, ...patch }));
  const q = useQueue(filters);
  const [products] = useQuery({ query: WorkshopProductsQuery });
  const productList = (products.data?.products.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []));
  const now = new Date();
  const count = (status: string) => {
    const c = q.counts as Record<string, { totalCount: number } | undefined> | undefined;
    const alias = COUNT_STATUSES.find(([, s]) => s === status)?.[0];
    return alias ? c?.[alias]?.totalCount : undefined;
  };
  const filtered = filters.productId || filters.from || filters.to || filters.search.trim();

  return (
    <div className="page workshop">
      <header className="designer-head">
        <div>
          <p className="eyebrow">
            Atelier staff · {viewer.name} (workshop)
          </p>
          <h1>Workshop</h1>
        </div>
        <div className="designer-tools">
          <span className={`live live-${q.live ? 'connected' : 'connecting'}`} aria-live="polite" data-testid="queue-live">
            {q.live ? 'Live' : 'Connecting…'}
          </span>
          <button type="button" className="link-btn" onClick={viewer.signOut}>
            Sign out
          </button>
        </div>
      </header>

      <div className="status-chips" role="group" aria-label="Status">
        {['ACTIVE', ...ORDER_STATUSES, 'ALL'].map((s) => (
          <button
            key={s}
            type="button"
            className="chip"
            aria-pressed={filters.status === s}
            onClick={() => set({ status: s })}
            data-testid={`chip-${s}`}
          >
            {s === 'ACTIVE' ? 'In progress' : s === 'ALL' ? 'All' : statusLabel(s)}
            <span className="chip-count">{count(s) ?? '–'}</span>
          </button>
        ))}
      </div>

      <form className="queue-filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <div className="field grow">
          <label htmlFor="q-search">Order number, e-mail or name</label>
          <input
            id="q-search"
            type="search"
            value={filters.search}
            onChange={(e) => set({ search: e.target.value })}
            placeholder="AT-2026- or ada@…"
          />
        </div>
        <div className="field">
          <label htmlFor="q-product">Product</label>
          <select id="q-product" value={filters.productId} onChange={(e) => set({ productId: e.target.value })}>
            <option value="">All products</option>
            {productList.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="q-from">Placed from</label>
          <input id="q-from" type="date" value={filters.from} onChange={(e) => set({ from: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="q-to">to</label>
          <input id="q-to" type="date" value={filters.to} onChange={(e) => set({ to: e.target.value })} />
        </div>
        {filtered ? (
          <button type="button" className="link-btn" onClick={() => setFilters({ ...EMPTY, status: filters.status })}>
            Clear filters
          </button>
        ) : null}
      </form>

      {q.error ? <Notice tone="error">{messageFor(toApiError(q.error), 'designer')}</Notice> : null}
      {!q.orders.length && q.fetching ? <Loading label="Reading the queue" /> : null}
      {!q.orders.length && !q.fetching && !q.error ? (
        <p className="empty" data-testid="queue-empty">
          No orders {filters.status === 'ALL' ? '' : `${filters.status === 'ACTIVE' ? 'in progress' : statusLabel(filters.status).toLowerCase()} `}
          {filtered ? 'match these filters' : 'yet'}.
        </p>
      ) : null}
      {q.orders.length ? (
        <table className="queue" data-testid="queue">
          <caption className="visually-hidden">Orders, oldest first</caption>
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Customer</th>
              <th scope="col">Strap</th>
              <th scope="col">Status</th>
              <th scope="col">Placed</th>
              <th scope="col">Ships by</th>
              <th scope="col" className="num">
                Paid / total
              </th>
            </tr>
          </thead>
          <tbody>
            {q.orders.map((o) => {
              const late = isOverdue({ status: o.status, shipsLatest: o.leadTime.shipsLatest }, now);
              return (
                <tr key={o.id} className={late ? 'overdue' : undefined} data-testid={`queue-row-${o.number}`}>
                  <th scope="row" data-label="Order">
                    <Link href={`/workshop/orders/${o.id}`}>{o.number}</Link>
                  </th>
                  <td data-label="Customer">
                    {o.customerName}
                    <span className="sub">{o.customerEmail}</span>
                  </td>
                  <td data-label="Strap">
                    {o.product.name}
                    {o.quantity > 1 ? ` × ${o.quantity}` : ''}
                  </td>
                  <td data-label="Status">
                    <span className={`status status-${o.status.toLowerCase()}`}>{statusLabel(o.status)}</span>
                  </td>
                  <td data-label="Placed">{formatDate(o.createdAt)}</td>
                  <td data-label="Ships by">
                    {formatDate(o.leadTime.shipsLatest)}
                    {late ? <span className="badge badge-overdue">Overdue</span> : null}
                  </td>
                  <td data-label="Paid / total" className="num">
                    {formatMoney(o.amountPaid)} / {formatMoney(o.total)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      {q.orders.length < q.total ? (
        <button type="button" className="btn" onClick={q.more}>
          Show more ({q.total - q.orders.length} left)
        </button>
      ) : null}
    </div>
  );
}

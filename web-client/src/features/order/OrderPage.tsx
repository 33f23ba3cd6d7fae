import { useEffect, useMemo, useRef } from 'react';
import { useQuery } from 'urql';
import { graphql, useFragment, type FragmentType } from '../../gql';
import { Link } from '../../components/router';
import { Notice } from '../../components/Notice';
import { Loading } from '../../components/Spinner';
import { SvgPreview } from '../../components/SvgPreview';
import { messageFor, toApiError } from '../../lib/errors';
import { formatDate, formatMoney } from '../../lib/money';
import { isMoney, statusLabel, type TimelineEvent } from '../../lib/timeline';
import { OrderLines } from './OrderLines';
import { PayOnline } from './PayOnline';
import { ProofPanel } from './ProofPanel';
import { Timeline } from './Timeline';
import { usePaymentSettings } from './usePaymentSettings';
import { useOrderEvents } from './useOrderEvents';

const OrderDetailFragment = graphql(`
  fragment OrderDetail_Order on Order {
    id
    number
    status
    quantity
    currency
    createdAt
    customerName
    trackingNumber
    total {
      amount
      currency
    }
    depositDue {
      amount
      currency
    }
    balanceDue {
      amount
      currency
    }
    amountPaid {
      amount
      currency
    }
    amountDue {
      amount
      currency
    }
    paymentDue {
      kind
      clientSecret
      amount {
        amount
        currency
      }
    }
    selections {
      group
      groupName
      option
      optionName
      text
    }
    priceLines {
      label
      amount {
        amount
        currency
      }
    }
    leadTime {
      minBusinessDays
      maxBusinessDays
      shipsEarliest
      shipsLatest
      arrivesEarliest
      arrivesLatest
      shippingZone
      closureNotice
    }
    previewSvg
    lines {
      ...OrderLines_Line
    }
    shipsEarliest
    shipsLatest
    requiresApproval
    events {
      seq
      status
      kind
      amount
      note
      at
      trackingNumber
      proofNumber
    photos {
      id
      width
      height
      thumbWidth
      thumbHeight
      thumb: url(size: THUMB)
      url
    }
    }
    ...ProofPanel_Order
    product {
      name
    }
  }
`);

const OrderQuery = graphql(`
  query Order($id: ID!) {
    order(id: $id) {
      ...OrderDetail_Order
    }
  }
`);

/** OrderPage is the customer's order: number, snapshot and the live build timeline. */
export function OrderPage({ orderId }: { orderId: string }) {
  const [res, reexecute] = useQuery({ query: OrderQuery, variables: { id: orderId } });
  if (!res.data && res.error) {
    return (
      <div className="page narrow">
        <Notice
          tone="error"
          testId="order-error"
          action={
            <button type="button" className="btn" onClick={() => reexecute({ requestPolicy: 'network-only' })}>
              Try again
            </button>
          }
        >
          {messageFor(toApiError(res.error), 'order')}
        </Notice>
        <Link href="/">Back to the atelier</Link>
      </div>
    );
  }
  if (!res.data) return <Loading label="Finding your order" />;
  return <OrderView order={res.data.order} refetch={() => reexecute({ requestPolicy: 'network-only' })} />;
}

function OrderView(props: { order: FragmentType<typeof OrderDetailFragment>; refetch(): void }) {
  const o = useFragment(OrderDetailFragment, props.order);
  const initial = useMemo<TimelineEvent[]>(() => o.events.map((e) => ({ ...e })), [o.events]);
  const { events: all, error, live } = useOrderEvents(o.id, initial);
  // Payments are events too (they arrive live) but not build steps.
  const events = useMemo(() => all.filter((e) => !isMoney(e)), [all]);
  const moneyEvents = useMemo(() => all.filter(isMoney), [all]);
  const settings = usePaymentSettings();
  const latest = events.length ? events[events.length - 1] : null;
  const status = latest?.status ?? o.status;
  const tracking = [...events].reverse().find((e) => e.trackingNumber)?.trackingNumber || o.trackingNumber;

  // Payments and tracking live on the order: fetch it again when the timeline moves.
  const seen = useRef(all.length);
  const { refetch } = props;
  useEffect(() => {
    if (all.length > seen.current) {
      seen.current = all.length;
      refetch();
    }
  }, [all.length, refetch]);

  const priceChangedFrom = sessionStorage.getItem(`atelier.priceChanged.${o.id}`);
  useEffect(() => {
    document.title = `Order ${o.number} · Atelier`;
  }, [o.number]);

  return (
    <div className="page order">
      <header className="order-head">
        <p className="eyebrow">Thank you, {o.customerName.split(' ')[0]}</p>
        <h1>
          Order <span data-testid="order-number">{o.number}</span>
        </h1>
        <p className="lede">
          Your {o.product.name}: <strong data-testid="order-status">{statusLabel(status).toLowerCase()}</strong>.{' '}
          {status === 'DELIVERED'
            ? 'We hope it wears beautifully — free resizing within 30 days.'
            : status === 'SHIPPED'
              ? 'It is on its way to you.'
              : status === 'CANCELLED'
                ? 'This order was cancelled.'
                : o.leadTime.shipsEarliest === o.leadTime.shipsLatest
                  ? `We expect to ship it on ${formatDate(o.leadTime.shipsEarliest)}.`
                  : `We expect to ship it between ${formatDate(o.leadTime.shipsEarliest)} and ${formatDate(o.leadTime.shipsLatest)}.`}
        </p>
        {status !== 'DELIVERED' && status !== 'CANCELLED' && o.leadTime.arrivesEarliest && o.leadTime.arrivesLatest ? (
          <p className="arrival" data-testid="order-arrival">
            {o.leadTime.arrivesEarliest === o.leadTime.arrivesLatest
              ? `It should reach you on ${formatDate(o.leadTime.arrivesEarliest)}`
              : `It should reach you between ${formatDate(o.leadTime.arrivesEarliest)} and ${formatDate(o.leadTime.arrivesLatest)}`}
            {o.leadTime.shippingZone ? ` (${o.leadTime.shippingZone}).` : '.'}
          </p>
        ) : null}
        {o.leadTime.closureNotice && status !== 'SHIPPED' && status !== 'DELIVERED' && status !== 'CANCELLED' ? (
          <p className="help closure-notice" data-testid="order-closure">
            {o.leadTime.closureNotice}.
          </p>
        ) : null}
        {priceChangedFrom ? (
          <Notice tone="warning">
            The price was updated when your order was placed (it showed {priceChangedFrom}); the total below is what you
            will pay.
          </Notice>
        ) : null}
      </header>
      <ProofPanel order={o} onAnswered={props.refetch} />
      <div className="order-grid">
        <section className="order-timeline" aria-labelledby="timeline-h">
          <div className="section-head">
            <h2 id="timeline-h">In the workshop</h2>
            <span className={`live live-${live}`} aria-live="polite" data-testid="live">
              {live === 'connected' ? 'Live' : live === 'reconnecting' ? 'Reconnecting…' : 'Connecting…'}
            </span>
          </div>
          {error ? <Notice tone="error">{messageFor(error, 'order')}</Notice> : null}
          <Timeline events={events} status={status} seqs={all.map((e) => e.seq)} approval={o.requiresApproval} />
          {tracking ? (
            <p className="tracking">
              Tracking number: <strong data-testid="tracking">{tracking}</strong>
            </p>
          ) : null}
        </section>
        <section className="order-snapshot" aria-labelledby="snapshot-h">
          {o.lines.length > 1 ? (
            <h2 id="snapshot-h">
              Your order · {o.lines.length} designs, {o.quantity} pieces
            </h2>
          ) : (
            <>
              <SvgPreview svg={o.previewSvg} alt={`Your ${o.product.name} as ordered`} className="summary-preview" />
              <h2 id="snapshot-h">{o.product.name}{o.quantity > 1 ? ` × ${o.quantity}` : ''}</h2>
            </>
          )}
          {o.lines.length > 1 ? (
            <OrderLines lines={o.lines} />
          ) : (
            <ul className="summary-list" data-testid="order-selections">
              {o.selections.map((s, i) => (
                <li key={`${s.group}-${i}`}>
                  <span>{s.groupName}</span>
                  <span>{s.text ? `“${s.text}”` : s.optionName ?? s.option}</span>
                </li>
              ))}
            </ul>
          )}
          <table className="summary-price">
            <tbody>
              {o.priceLines.map((l, i) => (
                <tr key={`${l.label}-${i}`}>
                  <th scope="row">{l.label}</th>
                  <td>{formatMoney(l.amount)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">Total</th>
                <td data-testid="order-total">{formatMoney(o.total)}</td>
              </tr>
            </tfoot>
          </table>
          <dl className="deposit">
            <div>
              <dt>Deposit</dt>
              <dd>{formatMoney(o.depositDue)}</dd>
            </div>
            <div>
              <dt>Paid so far</dt>
              <dd data-testid="amount-paid">{formatMoney(o.amountPaid)}</dd>
            </div>
            <div>
              <dt>Still due</dt>
              <dd data-testid="amount-due">{formatMoney(o.amountDue)}</dd>
            </div>
          </dl>
          {moneyEvents.length ? (
            <ul className="payments" data-testid="payments" aria-label="Payments">
              {moneyEvents.map((e) => (
                <li key={e.seq} data-kind={e.kind}>
                  <time dateTime={e.at}>{formatDate(e.at)}</time>{' '}
                  {e.kind === 'REFUND' ? 'Refunded' : 'Received'}{' '}
                  {formatMoney({ amount: e.amount ?? 0, currency: o.currency })}
                </li>
              ))}
            </ul>
          ) : null}
          {o.paymentDue && settings?.publishableKey ? (
            <PayOnline
              publishableKey={settings.publishableKey}
              clientSecret={o.paymentDue.clientSecret}
              label={`Pay ${formatMoney(o.paymentDue.amount)} ${o.paymentDue.kind === 'DEPOSIT' ? 'deposit' : 'balance'}`}
            />
          ) : settings?.provider === 'MANUAL' && o.amountDue.amount > 0 && status !== 'CANCELLED' ? (
            <p className="help" data-testid="manual-payment">
              {status === 'PLACED'
                ? `The workshop will contact you to take the deposit of ${formatMoney({
                    amount: Math.max(o.depositDue.amount - o.amountPaid.amount, 0),
                    currency: o.currency,
                  })}.`
                : `The workshop will contact you to take the balance of ${formatMoney(o.amountDue)} before shipping.`}
            </p>
          ) : null}
          <p className="help">
            Keep this page's address (or the link in your email): it is your private link to follow the build, on any
            device.
          </p>
        </section>
      </div>
    </div>
  );
}

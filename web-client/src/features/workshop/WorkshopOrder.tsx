import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useClient, useQuery } from 'urql';
import { OrderLines } from '../order/OrderLines';
import type { WorkshopOrderQuery as OrderResult } from '../../gql/graphql';
import { Link } from '../../components/router';
import { Notice } from '../../components/Notice';
import { Loading } from '../../components/Spinner';
import type { StaffViewer } from '../../components/StaffGate';
import { SvgPreview } from '../../components/SvgPreview';
import { messageFor, toApiError, type ApiError } from '../../lib/errors';
import { formatDate, formatDateTime, formatMoney, localizeAmounts } from '../../lib/money';
import { isMoney, statusLabel, type TimelineEvent } from '../../lib/timeline';
import { canRequestBalance, formatAmountInput, isOverdue, movesFor, parseAmount } from '../../lib/workshop';
import { Timeline } from '../order/Timeline';
import { useOrderEvents } from '../order/useOrderEvents';
import { usePaymentSettings } from '../order/usePaymentSettings';
import {
  AdvanceOrderMutation,
  RecordPaymentMutation,
  RequestBalanceMutation,
  SendProofMutation,
  WorkshopOrderQuery,
} from './operations';

type Order = OrderResult['order'];

/** WorkshopOrder is one order for the workshop: what to make, money, timeline and the next moves. */
export function WorkshopOrder({ orderId, viewer }: { orderId: string; viewer: StaffViewer }) {
  const [res, reexecute] = useQuery({ query: WorkshopOrderQuery, variables: { id: orderId } });
  const refetch = () => reexecute({ requestPolicy: 'network-only' });
  if (!res.data && res.error) {
    return (
      <div className="page narrow">
        <Notice tone="error">{messageFor(toApiError(res.error), 'order')}</Notice>
        <Link href="/workshop">Back to the queue</Link>
      </div>
    );
  }
  if (!res.data) return <Loading label="Opening the order" />;
  return <OrderView order={res.data.order} viewer={viewer} refetch={refetch} />;
}

function OrderView({ order: o, viewer, refetch }: { order: Order; viewer: StaffViewer; refetch(): void }) {
  const initial = useMemo<TimelineEvent[]>(() => o.events.map((e) => ({ ...e })), [o.events]);
  const { events: all, live } = useOrderEvents(o.id, initial);
  // Build steps make the timeline; payments and refunds are listed with the money.
  const events = useMemo(() => all.filter((e) => !isMoney(e)), [all]);
  const payments = useMemo(() => all.filter(isMoney), [all]);
  // A step taken elsewhere (another screen, the customer paying) reloads the order.
  const seen = useRef(all.length);
  useEffect(() => {
    if (all.length > seen.current) {
      seen.current = all.length;
      refetch();
    }
  }, [all.length, refetch]);
  useEffect(() => {
    document.title = `${o.number} · Workshop · Atelier`;
  }, [o.number]);
  const late = isOverdue({ status: o.status, shipsLatest: o.leadTime.shipsLatest });
  const due = o.total.amount - o.amountPaid.amount;
  const notes = events.filter((e) => e.note);

  return (
    <div className="page workshop-order">
      <p className="no-print">
        <Link href="/workshop">← Queue</Link>
      </p>
      <header className="order-head wide no-print">
        <p className="eyebrow">
          Atelier staff · {viewer.name} (workshop) ·{' '}
          <span className={`live live-${live}`} aria-live="polite">
            {live === 'connected' ? 'Live' : 'Connecting…'}
          </span>
        </p>
        <h1>
          <span data-testid="ws-order-number">{o.number}</span>{' '}
          <span className={`status status-${o.status.toLowerCase()}`} data-testid="ws-status">
            {statusLabel(o.status)}
          </span>
          {late ? <span className="badge badge-overdue">Overdue</span> : null}
        </h1>
        <p className="lede">
          {o.product.name}
          {o.quantity > 1 ? ` × ${o.quantity}` : ''} for {o.customerName} ({o.customerEmail}) · placed{' '}
          {formatDateTime(o.createdAt)} · promised to ship {formatDate(o.leadTime.shipsEarliest)} –{' '}
          {formatDate(o.leadTime.shipsLatest)}
        </p>
      </header>

      <div className="order-grid no-print">
        <div>
          {o.requiresApproval ? <Approval order={o} onDone={refetch} /> : null}
          <Actions order={o} due={due} onDone={refetch} />
          <section aria-labelledby="ws-timeline-h">
            <h2 id="ws-timeline-h">Timeline</h2>
            <Timeline events={events} status={o.status} seqs={all.map((e) => e.seq)} approval={o.requiresApproval} />
            {notes.length ? (
              <>
                <h3>Notes</h3>
                <ul className="notes" data-testid="ws-notes">
                  {notes.map((e) => (
                    <li key={e.seq}>
                      <time dateTime={e.at}>{formatDateTime(e.at)}</time> · {statusLabel(e.status)} —{' '}
                      {localizeAmounts(e.note)}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </section>
        </div>
        <section className="order-snapshot" aria-labelledby="ws-snapshot-h">
          <SvgPreview svg={o.previewSvg} alt={`${o.product.name} as ordered`} className="summary-preview" />
          <h2 id="ws-snapshot-h">As ordered (catalogue v{o.catalogVersion})</h2>
          {o.lines.length > 1 ? <OrderLines lines={o.lines} /> : null}
          <ul className="summary-list" hidden={o.lines.length > 1}>
            {o.selections.map((s, i) => (
              <li key={`${s.group}-${i}`}>
                <span>{s.groupName}</span>
                <span>{s.text ? `“${s.text}”` : (s.optionName ?? s.option)}</span>
              </li>
            ))}
          </ul>
          <table className="summary-price">
            <caption className="visually-hidden">Price</caption>
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
                <td>{formatMoney(o.total)}</td>
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
              <dd data-testid="ws-paid">{formatMoney(o.amountPaid)}</dd>
            </div>
            <div>
              <dt>Still due</dt>
              <dd data-testid="ws-due">{formatMoney({ amount: due, currency: o.currency })}</dd>
            </div>
            <div>
              <dt>Payments</dt>
              <dd>
                {payments.length ? (
                  <ul className="payments" data-testid="ws-payments">
                    {payments.map((e) => (
                      <li key={e.seq} data-kind={e.kind}>
                        <time dateTime={e.at}>{formatDate(e.at)}</time> {e.kind === 'REFUND' ? 'Refunded' : 'Received'}{' '}
                        {formatMoney({ amount: e.amount ?? 0, currency: o.currency })}
                        {e.note ? <span className="help"> — {localizeAmounts(e.note)}</span> : null}
                      </li>
                    ))}
                  </ul>
                ) : (
                  'None yet'
                )}
              </dd>
            </div>
            <div>
              <dt>Ships to</dt>
              <dd className="address">
                {o.shippingAddress.name}, {o.shippingAddress.line1}
                {o.shippingAddress.line2 ? `, ${o.shippingAddress.line2}` : ''}, {o.shippingAddress.postalCode}{' '}
                {o.shippingAddress.city}
                {o.shippingAddress.region ? `, ${o.shippingAddress.region}` : ''}, {o.shippingAddress.country}
              </dd>
            </div>
          </dl>
        </section>
      </div>
      <JobSheet order={o} />
    </div>
  );
}

/** problem is the API's message for the workshop, with the field it concerns. */
function problem(err: ApiError): { text: string; field?: string } {
  return {
    text: err.serverMessage && err.code === 'BAD_USER_INPUT' ? localizeAmounts(err.serverMessage) : messageFor(err, 'workshop'),
    field: err.field,
  };
}

function Actions({ order: o, due, onDone }: { order: Order; due: number; onDone(): void }) {
  const client = useClient();
  // Online (Stripe): the customer pays from the emailed link and cancelling refunds online payments.
  const online = usePaymentSettings()?.provider === 'STRIPE';
  const moves = movesFor(o.status, o.allowedTransitions);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Payment.
  const [amount, setAmount] = useState(() => formatAmountInput(Math.max(due, 0), o.currency));
  const [reference, setReference] = useState('');
  const [payErr, setPayErr] = useState<{ text: string; field?: string } | null>(null);
  // Advance.
  const [to, setTo] = useState(moves.forward[0] ?? '');
  const [note, setNote] = useState('');
  const [tracking, setTracking] = useState('');
  const [moveErr, setMoveErr] = useState<{ text: string; field?: string } | null>(null);
  const [confirmCancel, setConfirmCancel] = useState(false);
  // Balance request.
  const [balanceErr, setBalanceErr] = useState<string | null>(null);

  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- left as is while this screen is being reworked
    setTo(moves.forward[0] ?? '');
    setAmount(formatAmountInput(Math.max(due, 0), o.currency));
    // The form follows the order's state after each step.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [o.status, due]);

  const pay = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const minor = parseAmount(amount, o.currency);
    if (minor === null) {
      setPayErr({ text: `Type an amount in ${o.currency}, e.g. ${formatAmountInput(due > 0 ? due : 1000, o.currency)}.`, field: 'amount' });
      return;
    }
    setBusy(true);
    const r = await client
      .mutation(RecordPaymentMutation, { input: { orderId: o.id, amount: minor, reference: reference.trim() || null } })
      .toPromise();
    setBusy(false);
    if (r.error) return setPayErr(problem(toApiError(r.error)));
    setPayErr(null);
    setReference('');
    setDone(`Payment of ${formatMoney({ amount: minor, currency: o.currency })} recorded.`);
    onDone();
  };

  const requestBalance = async () => {
    if (busy) return;
    setBusy(true);
    const r = await client.mutation(RequestBalanceMutation, { input: { orderId: o.id } }).toPromise();
    setBusy(false);
    if (r.error || !r.data) return setBalanceErr(r.error ? problem(toApiError(r.error)).text : 'No answer from the server.');
    setBalanceErr(null);
    const asked = r.data.requestBalance.paymentDue?.amount ?? { amount: due, currency: o.currency };
    const to = r.data.requestBalance.order.customerEmail;
    setDone(
      r.data.requestBalance.paymentDue
        ? `Balance requested: ${to} is emailed a link to pay ${formatMoney(asked)} online. Shipping waits until it is paid.`
        : `Balance requested: ${to} is emailed that ${formatMoney(asked)} is due, with a link to the order. Record the payment here when it arrives.`,
    );
    onDone();
  };

  const move = async (target: string, e?: FormEvent) => {
    e?.preventDefault();
    if (busy || !target) return;
    setBusy(true);
    const r = await client
      .mutation(AdvanceOrderMutation, {
        input: {
          orderId: o.id,
          to: target as never,
          note: note.trim() || null,
          trackingNumber: target === 'SHIPPED' ? tracking.trim() || null : null,
        },
      })
      .toPromise();
    setBusy(false);
    if (r.error) return setMoveErr(problem(toApiError(r.error)));
    setMoveErr(null);
    setNote('');
    setTracking('');
    setConfirmCancel(false);
    setDone(`Moved to ${statusLabel(target).toLowerCase()}.`);
    onDone();
  };

  const final = !moves.forward.length && !moves.sendBack && !moves.cancel;
  return (
    <section className="actions" aria-labelledby="ws-actions-h">
      <h2 id="ws-actions-h">Next</h2>
      {done ? (
        <Notice tone="success" testId="ws-done">
          {done}
        </Notice>
      ) : null}
      {final ? <p className="help">This order is {statusLabel(o.status).toLowerCase()}: nothing more to do.</p> : null}

      {due > 0 && o.status !== 'CANCELLED' ? (
        <form className="action-card" onSubmit={(e) => void pay(e)} aria-labelledby="ws-pay-h" noValidate>
          <h3 id="ws-pay-h">Record a payment</h3>
          <p className="help">
            {formatMoney({ amount: due, currency: o.currency })} still due
            {o.amountPaid.amount < o.depositDue.amount ? ` (deposit ${formatMoney(o.depositDue)} not yet paid)` : ''}.
          </p>
          <div className="field-row">
            <div className="field">
              <label htmlFor="ws-amount">Amount ({o.currency})</label>
              <input
                id="ws-amount"
                inputMode="decimal"
                value={amount}
                onChange={(e) => setAmount(e.target.value)}
                aria-invalid={payErr?.field === 'amount' || undefined}
                aria-describedby="ws-amount-err"
              />
              <p id="ws-amount-err" className="field-error">
                {payErr?.field === 'amount' ? payErr.text : ''}
              </p>
            </div>
            <div className="field">
              <label htmlFor="ws-ref">Reference</label>
              <input id="ws-ref" value={reference} onChange={(e) => setReference(e.target.value)} placeholder="Transfer id, receipt…" />
            </div>
          </div>
          {payErr && payErr.field !== 'amount' ? <Notice tone="error">{payErr.text}</Notice> : null}
          <button type="submit" className="btn" aria-disabled={busy || undefined}>
            Record payment
          </button>
        </form>
      ) : null}

      {canRequestBalance(o.status, due) ? (
        <div className="action-card" role="group" aria-labelledby="ws-balance-h" data-testid="ws-balance">
          <h3 id="ws-balance-h">Request the balance</h3>
          <p className="help">
            Emails {o.customerEmail} that {formatMoney({ amount: due, currency: o.currency })} is due before shipping,{' '}
            {online ? 'with a link to pay it online.' : 'with a link to the order; you take the payment and record it above.'}
          </p>
          {balanceErr ? (
            <Notice tone="error" testId="ws-balance-error">
              {balanceErr}
            </Notice>
          ) : null}
          <div className="dialog-actions start">
            <button type="button" className="btn" aria-disabled={busy || undefined} onClick={() => void requestBalance()} data-testid="ws-request-balance">
              Request balance
            </button>
          </div>
        </div>
      ) : null}

      {moves.forward.length || moves.sendBack ? (
        <form className="action-card" onSubmit={(e) => void move(to, e)} aria-labelledby="ws-move-h" noValidate>
          <h3 id="ws-move-h">Move the build on</h3>
          {moves.forward.length > 1 ? (
            <div className="field">
              <label htmlFor="ws-to">To</label>
              <select id="ws-to" value={to} onChange={(e) => setTo(e.target.value)}>
                {moves.forward.map((s) => (
                  <option key={s} value={s}>
                    {statusLabel(s)}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <div className="field">
            <label htmlFor="ws-note">Note for the customer</label>
            <textarea id="ws-note" rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
          </div>
          {to === 'SHIPPED' ? (
            <div className="field">
              <label htmlFor="ws-tracking">Tracking number</label>
              <input
                id="ws-tracking"
                value={tracking}
                onChange={(e) => setTracking(e.target.value)}
                aria-invalid={moveErr?.field === 'trackingNumber' || undefined}
                aria-describedby="ws-tracking-err"
              />
              <p id="ws-tracking-err" className="field-error">
                {moveErr?.field === 'trackingNumber' ? moveErr.text : ''}
              </p>
            </div>
          ) : null}
          {moveErr && moveErr.field !== 'trackingNumber' ? (
            <Notice tone="error" testId="ws-move-error">
              {moveErr.text}
            </Notice>
          ) : null}
          <div className="dialog-actions start">
            {moves.forward.length ? (
              <button type="submit" className="btn btn-primary" aria-disabled={busy || undefined} data-testid="ws-advance">
                {moves.forward.length > 1 ? 'Move' : `Move to ${statusLabel(to).toLowerCase()}`}
              </button>
            ) : null}
            {moves.sendBack ? (
              <button type="button" className="btn" aria-disabled={busy || undefined} onClick={() => void move('CRAFTING')}>
                Send back to crafting
              </button>
            ) : null}
          </div>
        </form>
      ) : null}

      {moves.cancel ? (
        <div className="action-card danger">
          {!confirmCancel ? (
            <button type="button" className="link-btn" onClick={() => setConfirmCancel(true)}>
              Cancel this order…
            </button>
          ) : (
            <>
              <h3>Cancel {o.number}?</h3>
              <p>
                {o.amountPaid.amount <= 0
                  ? 'Nothing was paid yet.'
                  : online
                    ? `${formatMoney(o.amountPaid)} was paid: payments made online are refunded through Stripe when you cancel; refund any payment you recorded by hand yourself.`
                    : `${formatMoney(o.amountPaid)} was paid: refund it to the customer — Atelier records the cancellation, not the refund.`}{' '}
                The note below is shown to the customer.
              </p>
              <div className="field">
                <label htmlFor="ws-cancel-note">Reason</label>
                <textarea id="ws-cancel-note" rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
              </div>
              <div className="dialog-actions start">
                <button type="button" className="btn btn-danger" aria-disabled={busy || undefined} onClick={() => void move('CANCELLED')}>
                  Cancel the order
                </button>
                <button type="button" className="btn" onClick={() => setConfirmCancel(false)}>
                  Keep it
                </button>
              </div>
            </>
          )}
        </div>
      ) : null}
    </section>
  );
}

/** proofStateLabel is a proof's state in the workshop's words. */
function proofStateLabel(state: string): string {
  switch (state) {
    case 'PENDING':
      return 'waiting for the customer';
    case 'APPROVED':
      return 'approved';
    case 'REVISION_REQUESTED':
      return 'revision requested';
    case 'SUPERSEDED':
      return 'replaced before an answer';
    default:
      return state.toLowerCase();
  }
}

/** approvalSummary is where the design approval stands, for the screen and the job sheet. */
function approvalSummary(o: Order): string {
  const last = o.proofs[o.proofs.length - 1];
  if (!last) return 'Design approval: no proof sent yet — do not cut before the customer approves.';
  if (last.state === 'APPROVED')
    return `Design approved by the customer (proof ${last.number}${last.answer ? `, ${formatDateTime(last.answer.at)}` : ''}).`;
  if (last.state === 'REVISION_REQUESTED')
    return `Revision requested on proof ${last.number}${last.answer?.note ? `: “${last.answer.note}”` : ''} — send a new proof; do not cut.`;
  return `Proof ${last.number} sent, waiting for the customer's approval — do not cut.`;
}

/**
 * Approval is the design approval of an order that needs it: the proofs sent and their
 * answers, and sending the next proof. Only the customer approves; nobody answers for them.
 */
function Approval({ order: o, onDone }: { order: Order; onDone(): void }) {
  const client = useClient();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<string | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  const canSend = o.proofDue || o.awaitingApproval;
  const send = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    const r = await client.mutation(SendProofMutation, { input: { orderId: o.id, note: note.trim() || null } }).toPromise();
    setBusy(false);
    if (r.error || !r.data) return setErr(r.error ? problem(toApiError(r.error)).text : 'No answer from the server.');
    setErr(null);
    setNote('');
    setSent(`Proof ${r.data.sendProof.proof.number} sent: ${o.customerEmail} is emailed a link to approve it or ask for a revision.`);
    onDone();
  };
  return (
    <section className="actions" aria-labelledby="ws-approval-h" data-testid="ws-approval" data-status={o.status}>
      <h2 id="ws-approval-h">Design approval</h2>
      <p data-testid="ws-approval-state">{approvalSummary(o)}</p>
      {sent && o.awaitingApproval ? (
        <Notice tone="success" testId="ws-proof-sent">
          {sent}
        </Notice>
      ) : null}
      {o.proofs.length ? (
        <ol className="proofs" aria-label="Proofs sent">
          {[...o.proofs].reverse().map((p) => (
            <li key={p.id} data-state={p.state}>
              <strong>Proof {p.number}</strong> · {proofStateLabel(p.state)} · sent {formatDateTime(p.sentAt)} by {p.sentBy}
              {p.note ? <span className="help"> — {p.note}</span> : null}
              {p.answer?.note ? <span className="help"> · customer: “{p.answer.note}”</span> : null}
            </li>
          ))}
        </ol>
      ) : null}
      {canSend ? (
        <form className="action-card" onSubmit={(e) => void send(e)} aria-labelledby="ws-proof-h" noValidate>
          <h3 id="ws-proof-h">{o.awaitingApproval ? 'Send a corrected proof' : 'Send a proof'}</h3>
          <p className="help">
            The customer sees the design as ordered and your note on their order page and by email, and approves it or asks
            for a revision. Materials start only after their approval.
          </p>
          <div className="field">
            <label htmlFor="ws-proof-note">Note for the customer</label>
            <textarea id="ws-proof-note" rows={2} maxLength={1000} value={note} onChange={(e) => setNote(e.target.value)} />
          </div>
          {err ? (
            <Notice tone="error" testId="ws-proof-error">
              {err}
            </Notice>
          ) : null}
          <div className="dialog-actions start">
            <button type="submit" className="btn btn-primary" aria-disabled={busy || undefined} data-testid="ws-send-proof">
              Send proof
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}

const CHECKS = [
  'Leather and colour match the order; no blemish on the visible face',
  'Stitching: colour, pattern and spacing even; no loose end',
  'Edges finished as ordered, smooth and sealed',
  'Length and holes match the wrist size',
  'Hardware and buckle as ordered, fitted and secure',
  'Lining bonded flat, no glue at the edges',
  'Monogram (if any) spelled, spaced and centred exactly as on this sheet',
  'Lug width fits; spring bars included',
];

/** JobSheet is the printable bench sheet: on screen at the bottom, alone on paper. */
function JobSheet({ order: o }: { order: Order }) {
  // An order of several lines shows each line's monogram on its line.
  const monogram = o.lines.length > 1 ? undefined : o.selections.find((s) => s.text);
  return (
    <section className="jobsheet" aria-labelledby="js-h" data-testid="jobsheet">
      <div className="jobsheet-head">
        <h2 id="js-h">Job sheet · {o.number}</h2>
        <button type="button" className="btn no-print" onClick={() => window.print()}>
          Print job sheet
        </button>
      </div>
      <p>
        <strong>
          {o.product.name}
          {o.quantity > 1 ? ` × ${o.quantity}` : ''}
        </strong>{' '}
        · catalogue v{o.catalogVersion} · build window {o.leadTime.minBusinessDays}–{o.leadTime.maxBusinessDays} business days ·
        ship between {formatDate(o.leadTime.shipsEarliest)} and {formatDate(o.leadTime.shipsLatest)}
      </p>
      {o.requiresApproval ? (
        <p className={`jobsheet-approval approval-${o.proofs.at(-1)?.state.toLowerCase() ?? 'none'}`} data-testid="jobsheet-approval">
          <strong>{approvalSummary(o)}</strong>
        </p>
      ) : null}
      {o.lines.length > 1 ? <OrderLines lines={o.lines} showKeys /> : null}
      <table className="jobsheet-table" hidden={o.lines.length > 1}>
        <caption className="visually-hidden">Every choice</caption>
        <thead>
          <tr>
            <th scope="col">Choice</th>
            <th scope="col">Make</th>
            <th scope="col">Key</th>
          </tr>
        </thead>
        <tbody>
          {o.selections.map((s, i) => (
            <tr key={`${s.group}-${i}`}>
              <th scope="row">{s.groupName}</th>
              <td>{s.text ? <span className="stamp">{s.text}</span> : (s.optionName ?? s.option)}</td>
              <td>
                <code>
                  {s.group}
                  {s.option ? `=${s.option}` : ''}
                </code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {monogram?.text ? (
        <p className="jobsheet-monogram">
          Stamp exactly: <span className="stamp big">{monogram.text}</span> ({[...monogram.text].length} characters:{' '}
          {[...monogram.text].map((c) => (c === ' ' ? '␣' : c)).join(' · ')})
        </p>
      ) : null}
      <h3>Quality check</h3>
      <ul className="checklist">
        {CHECKS.map((c) => (
          <li key={c}>
            <span className="box" aria-hidden="true" /> {c}
          </li>
        ))}
      </ul>
      <p className="help">Checked by ____________________ on ____________</p>
    </section>
  );
}

import { useState, type FormEvent } from 'react';
import { useClient } from 'urql';
import { graphql } from '../../gql';
import { Notice } from '../../components/Notice';
import { messageFor, toApiError, type ApiError } from '../../lib/errors';

const FindMyOrderMutation = graphql(`
  mutation FindMyOrder($input: FindMyOrderInput!) {
    findMyOrder(input: $input) {
      message
    }
  }
`);

/** FindOrderPage emails a one-time sign-in link to the customer of an order. */
export function FindOrderPage() {
  const client = useClient();
  const [email, setEmail] = useState('');
  const [number, setNumber] = useState('');
  const [sent, setSent] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const r = await client
      .mutation(FindMyOrderMutation, { input: { email: email.trim(), orderNumber: number.trim() } })
      .toPromise();
    setBusy(false);
    if (r.data) setSent(r.data.findMyOrder.message);
    else if (r.error) setError(toApiError(r.error));
  }

  return (
    <div className="page narrow">
      <h1>Find my order</h1>
      <p className="lede">
        Enter the email address you ordered with and your order number (it starts with AT-): we will email you a
        link that opens your order on this device.
      </p>
      {sent ? (
        <Notice tone="info" testId="find-order-sent">
          {sent}
        </Notice>
      ) : null}
      {error ? <Notice tone="error">{messageFor(error, 'order')}</Notice> : null}
      <form onSubmit={(e) => void submit(e)} aria-busy={busy}>
        <div className="field">
          <label htmlFor="fo-email">E-mail</label>
          <input id="fo-email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="fo-number">Order number</label>
          <input id="fo-number" required placeholder="AT-7K3M-9Q2P" value={number} onChange={(e) => setNumber(e.target.value)} />
        </div>
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="find-order">
          {busy ? 'Sending…' : 'Email me a link'}
        </button>
      </form>
    </div>
  );
}

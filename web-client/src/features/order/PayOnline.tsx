import { useMemo, useState, type FormEvent } from 'react';
import { loadStripe } from '@stripe/stripe-js';
import { Elements, PaymentElement, useElements, useStripe } from '@stripe/react-stripe-js';
import { Notice } from '../../components/Notice';

/**
 * PayOnline is Stripe's Payment Element for a payment the server asked (deposit or balance).
 * Confirming it only starts the payment: the order moves when Stripe's verified webhook reaches
 * the server, and the payment then appears on the live timeline.
 */
export function PayOnline(props: { publishableKey: string; clientSecret: string; label: string }) {
  const stripe = useMemo(() => loadStripe(props.publishableKey), [props.publishableKey]);
  return (
    <Elements stripe={stripe} options={{ clientSecret: props.clientSecret, appearance: { theme: 'flat' } }}>
      <PayForm label={props.label} />
    </Elements>
  );
}

function PayForm({ label }: { label: string }) {
  const stripe = useStripe();
  const elements = useElements();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: 'error' | 'info'; text: string } | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!stripe || !elements) return;
    setBusy(true);
    const { error } = await stripe.confirmPayment({
      elements,
      confirmParams: { return_url: window.location.href },
      redirect: 'if_required',
    });
    setBusy(false);
    setMessage(
      error
        ? { tone: 'error', text: error.message ?? 'The payment did not go through.' }
        : { tone: 'info', text: 'Thank you — your payment is being confirmed; it appears below in a moment.' },
    );
  }

  return (
    <form className="pay-online" onSubmit={(e) => void submit(e)} aria-busy={busy} data-testid="pay-online">
      <PaymentElement />
      {message ? <Notice tone={message.tone}>{message.text}</Notice> : null}
      <button type="submit" className="btn btn-primary btn-block" disabled={!stripe || busy}>
        {busy ? 'Paying…' : label}
      </button>
    </form>
  );
}

import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useClient, useQuery } from 'urql';
import { graphql, useFragment, type FragmentType } from '../../gql';
import { Link, navigate } from '../../components/router';
import { Notice } from '../../components/Notice';
import { Loading } from '../../components/Spinner';
import { SvgPreview } from '../../components/SvgPreview';
import { messageFor, toApiError, type ApiError } from '../../lib/errors';
import { safeToRepeat, SLOW_MS } from '../../lib/retry';
import { formatDate, formatMoney } from '../../lib/money';
import { inGroupOrder } from '../../lib/options';
import { checkoutKey, privateLinkHref, saveOrderToken, uuid } from '../../lib/storage';
import { usePaymentSettings } from '../order/usePaymentSettings';
import { CustomerFields } from './CustomerFields';
import { rememberDestination } from '../../lib/storage';

const CheckoutSummaryFragment = graphql(`
  fragment CheckoutSummary_Configuration on Configuration {
    id
    version
    complete
    quantity
    product {
      slug
      name
    }
    selections {
      group
      option
      text
    }
    groups {
      group {
        key
        name
        unit
        kind
      }
      options {
        option {
          key
          name
        }
      }
    }
    price {
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
      lines {
        label
        amount {
          amount
          currency
        }
      }
    }
    destination
    leadTime {
      shipsEarliest
      shipsLatest
      arrivesEarliest
      arrivesLatest
      shippingZone
      closureNotice
    }
    preview {
      svg
    }
  }
`);

const CheckoutDestinationMutation = graphql(`
  mutation CheckoutDestination($input: SetDestinationInput!) {
    setDestination(input: $input) {
      configuration {
        ...CheckoutSummary_Configuration
      }
    }
  }
`);

const CheckoutQuery = graphql(`
  query Checkout($id: ID!) {
    configuration(id: $id) {
      ...CheckoutSummary_Configuration
    }
  }
`);

const PlaceOrderMutation = graphql(`
  mutation PlaceOrder($input: PlaceOrderInput!) {
    placeOrder(input: $input) {
      order {
        id
        number
      }
      orderToken
      priceChanged
      previousTotal {
        amount
        currency
      }
    }
  }
`);


export interface Form {
  name: string;
  email: string;
  line1: string;
  line2: string;
  city: string;
  postalCode: string;
  region: string;
  country: string;
}

export const EMPTY: Form = { name: '', email: '', line1: '', line2: '', city: '', postalCode: '', region: '', country: 'FR' };

/** validateCheckout returns a message per invalid field. */
export function validateCheckout(f: Form): Partial<Record<keyof Form, string>> {
  const errs: Partial<Record<keyof Form, string>> = {};
  if (!f.name.trim()) errs.name = 'Please enter your full name.';
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(f.email.trim())) errs.email = 'Please enter an e-mail address like name@example.com.';
  if (!f.line1.trim()) errs.line1 = 'Please enter the street and number.';
  if (!f.city.trim()) errs.city = 'Please enter the city.';
  if (!f.postalCode.trim()) errs.postalCode = 'Please enter the postal code.';
  if (!/^[A-Z]{2}$/.test(f.country)) errs.country = 'Please choose a country.';
  return errs;
}

/** CheckoutPage takes the customer's details and places the order. */
export function CheckoutPage({ configurationId }: { configurationId: string }) {
  const [res, reexecute] = useQuery({ query: CheckoutQuery, variables: { id: configurationId } });
  if (!res.data && res.error) {
    return (
      <div className="page narrow">
        <Notice tone="error">{messageFor(toApiError(res.error), 'configure')}</Notice>
        <Link href="/">See all straps</Link>
      </div>
    );
  }
  if (!res.data) return <Loading label="Preparing your order" />;
  return <Checkout summary={res.data.configuration} reload={() => reexecute({ requestPolicy: 'network-only' })} />;
}

function Checkout(props: { summary: FragmentType<typeof CheckoutSummaryFragment>; reload(): void }) {
  const c = useFragment(CheckoutSummaryFragment, props.summary);
  // No button says "pay" unless money is taken online.
  const takesMoney = usePaymentSettings()?.provider === 'STRIPE';
  const client = useClient();
  const [form, setForm] = useState<Form>(() => ({ ...EMPTY, country: c.destination ?? EMPTY.country }));
  const [errors, setErrors] = useState<Partial<Record<keyof Form, string>>>({});
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const configureHref = `/configure/${encodeURIComponent(c.product.slug)}/${encodeURIComponent(c.id)}`;

  useEffect(() => {
    document.title = `Checkout · ${c.product.name} · Atelier`;
  }, [c.product.name]);

  // The summary prices shipping to the address country: the configuration follows it.
  useEffect(() => {
    if (!c.complete || c.destination === form.country) return;
    rememberDestination(form.country);
    void client
      .mutation(CheckoutDestinationMutation, { input: { configurationId: c.id, version: c.version, country: form.country } })
      .toPromise()
      .then((r) => {
        if (r.error) {
          const err = toApiError(r.error);
          setError(err);
          if (err.code === 'CONFLICT') props.reload();
        }
      });
  }, [client, c.complete, c.id, c.version, c.destination, form.country, props]);

  const submit = useCallback(
    async (e: FormEvent) => {
      e.preventDefault();
      if (submitting) return;
      const errs = validateCheckout(form);
      setErrors(errs);
      if (Object.keys(errs).length) {
        const first = Object.keys(errs)[0];
        document.getElementById(`co-${first}`)?.focus();
        return;
      }
      setSubmitting(true);
      setError(null);
      // One key per checkout attempt of this version; retries reuse it, so we never order twice.
      const idempotencyKey = checkoutKey(c.id, c.version, uuid);
      const input = {
        configurationId: c.id,
        version: c.version,
        idempotencyKey,
        customer: { name: form.name.trim(), email: form.email.trim() },
        shippingAddress: {
          name: form.name.trim(),
          line1: form.line1.trim(),
          line2: form.line2.trim() || null,
          city: form.city.trim(),
          postalCode: form.postalCode.trim(),
          region: form.region.trim() || null,
          country: form.country,
        },
      };
      // urql's retry exchange repeats placeOrder through network errors (the idempotency key makes
      // that safe); say so when the answer is slow in coming.
      const slow = setTimeout(
        () => setStatus('The workshop is slow to answer — retrying safely, you will not be charged twice…'),
        SLOW_MS,
      );
      try {
        const r = await client.mutation(PlaceOrderMutation, { input }, safeToRepeat).toPromise();
        const placed = r.data?.placeOrder;
        if (placed) {
          if (placed.orderToken) saveOrderToken(placed.order.id, placed.orderToken);
          if (placed.priceChanged && placed.previousTotal) {
            sessionStorage.setItem(`atelier.priceChanged.${placed.order.id}`, formatMoney(placed.previousTotal));
          }
          navigate(
            placed.orderToken
              ? privateLinkHref(placed.order.id, placed.orderToken)
              : `/orders/${encodeURIComponent(placed.order.id)}`,
          );
          return;
        }
        const err = r.error ? toApiError(r.error) : ({ code: 'UNKNOWN', serverMessage: '', reasons: [], fix: [] } as ApiError);
        setError(err);
        if (err.code === 'CONFLICT') props.reload();
      } finally {
        clearTimeout(slow);
        setStatus(null);
        setSubmitting(false);
      }
    },
    [client, c.id, c.version, form, submitting, props],
  );


  const name = (group: string, key?: string | null) => {
    const g = c.groups.find((x) => x.group.key === group);
    if (!key) return '';
    if (g?.group.kind === 'NUMBER') return `${key} ${g.group.unit}`;
    return g?.options.find((o) => o.option.key === key)?.option.name ?? key;
  };

  if (!c.complete) {
    return (
      <div className="page narrow">
        <Notice tone="warning">A few choices are still missing before this strap can be ordered.</Notice>
        <Link className="btn" href={configureHref}>
          Back to the configurator
        </Link>
      </div>
    );
  }

  return (
    <div className="page checkout">
      <div className="checkout-form">
        <p className="eyebrow">
          <Link href={configureHref}>← Back to your strap</Link>
        </p>
        <h1>Checkout</h1>
        <p className="lede" data-testid="checkout-payment-terms">
          {takesMoney
            ? `After placing your order you pay a deposit of ${formatMoney(c.price.depositDue)} by card`
            : `The workshop will contact you to take the deposit of ${formatMoney(c.price.depositDue)}`}
          ; the balance of {formatMoney(c.price.balanceDue)} is due before your strap ships.
        </p>
        {error ? (
          <Notice tone="error" testId="checkout-error">
            {error.code === 'CONFLICT'
              ? 'Your strap was changed in another window. We have refreshed the summary — please check it and place the order again.'
              : messageFor(error, 'checkout')}
          </Notice>
        ) : null}
        {status ? <Notice tone="info">{status}</Notice> : null}
        <form onSubmit={(e) => void submit(e)} noValidate aria-busy={submitting}>
          <CustomerFields prefix="co" form={form} errors={errors} onChange={setForm} onCountry={(code) => setForm({ ...form, country: code })} />
          <button type="submit" className="btn btn-primary btn-block" aria-disabled={submitting || undefined} data-testid="place-order">
            {submitting
              ? 'Placing your order…'
              : takesMoney
                ? `Place order · pay ${formatMoney(c.price.depositDue)} deposit`
                : 'Place order'}
          </button>
        </form>
      </div>
      <aside className="checkout-summary" aria-label="Order summary">
        <SvgPreview svg={c.preview.svg} alt={`Your ${c.product.name}`} className="summary-preview" />
        <h2>{c.product.name}</h2>
        <ul className="summary-list">
          {inGroupOrder(c.selections, c.groups.map((g) => g.group.key)).map((s, i) => (
            <li key={`${s.group}-${i}`}>
              <span>{c.groups.find((g) => g.group.key === s.group)?.group.name ?? s.group}</span>
              <span>{s.text ? `“${s.text}”` : name(s.group, s.option)}</span>
            </li>
          ))}
          {c.quantity > 1 ? (
            <li>
              <span>Quantity</span>
              <span>{c.quantity}</span>
            </li>
          ) : null}
        </ul>
        <table className="summary-price">
          <tbody>
            {c.price.lines.map((l, i) => (
              <tr key={`${l.label}-${i}`}>
                <th scope="row">{l.label}</th>
                <td>{formatMoney(l.amount)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Total</th>
              <td>{formatMoney(c.price.total)}</td>
            </tr>
          </tfoot>
        </table>
        <p className="help">
          Ships between {formatDate(c.leadTime.shipsEarliest)} and {formatDate(c.leadTime.shipsLatest)}.
        </p>
        {c.leadTime.arrivesEarliest && c.leadTime.arrivesLatest ? (
          <p className="help arrival" data-testid="checkout-arrival">
            Arrives between {formatDate(c.leadTime.arrivesEarliest)} and {formatDate(c.leadTime.arrivesLatest)}
            {c.leadTime.shippingZone ? ` (${c.leadTime.shippingZone})` : ''}.
          </p>
        ) : null}
        {c.leadTime.closureNotice ? (
          <p className="help closure-notice" data-testid="checkout-closure">
            {c.leadTime.closureNotice}.
          </p>
        ) : null}
      </aside>
    </div>
  );
}

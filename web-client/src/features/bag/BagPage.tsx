import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useClient, useQuery, type CombinedError } from 'urql';
import { useFragment, type FragmentType } from '../../gql';
import { Link, navigate } from '../../components/router';
import { Notice } from '../../components/Notice';
import { Loading } from '../../components/Spinner';
import { SvgPreview } from '../../components/SvgPreview';
import { messageFor, toApiError, type ApiError } from '../../lib/errors';
import { formatMoney } from '../../lib/money';
import { safeToRepeat, SLOW_MS } from '../../lib/retry';
import {
  checkoutKey,
  privateLinkHref,
  rememberDestination,
  rememberedDestination,
  saveBagId,
  saveOrderToken,
  uuid,
} from '../../lib/storage';
import { CustomerFields } from '../checkout/CustomerFields';
import { EMPTY, validateCheckout, type Form } from '../checkout/CheckoutPage';
import { LeadTimePanel } from '../configurator/LeadTimePanel';
import {
  BagQuery,
  BagViewFragment,
  PlaceBagOrderMutation,
  RemoveBagLineMutation,
  SetBagDestinationMutation,
  UpdateBagLineMutation,
} from './operations';

/** BagPage shows a bag (its id in the URL, kept on this device too) and checks it out. */
export function BagPage({ bagId }: { bagId: string }) {
  const [res, reexecute] = useQuery({ query: BagQuery, variables: { id: bagId } });
  // The client keeps no normalised cache: the bag a change returns is the bag shown.
  const [changed, setChanged] = useState<FragmentType<typeof BagViewFragment> | null>(null);
  useEffect(() => {
    document.title = 'Your bag · Atelier';
    saveBagId(bagId);
  }, [bagId]);
  if (!res.data && res.error) {
    const err = toApiError(res.error);
    if (err.code === 'NOT_FOUND') saveBagId(null);
    return (
      <div className="page narrow">
        <h1>Your bag</h1>
        <Notice tone="error">
          {err.code === 'NOT_FOUND' ? 'This bag has expired or does not exist.' : messageFor(err, 'checkout')}
        </Notice>
        <Link className="btn" href="/">
          See our straps
        </Link>
      </div>
    );
  }
  if (!res.data) return <Loading label="Opening your bag" />;
  return (
    <Bag
      bag={changed ?? res.data.bag}
      onChange={setChanged}
      reload={() => {
        setChanged(null);
        reexecute({ requestPolicy: 'network-only' });
      }}
    />
  );
}

/** linesVersion is a number that changes with the bag's lines: one checkout key per content. */
function linesVersion(lines: { id: string; quantity: number }[]): number {
  let h = 7;
  for (const c of lines.map((l) => `${l.id}:${l.quantity}`).join('|')) h = (h * 31 + c.charCodeAt(0)) | 0;
  return h >>> 0;
}

function Bag(props: {
  bag: FragmentType<typeof BagViewFragment>;
  onChange(bag: FragmentType<typeof BagViewFragment>): void;
  reload(): void;
}) {
  const b = useFragment(BagViewFragment, props.bag);
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [form, setForm] = useState<Form>(() => ({ ...EMPTY, country: b.destination ?? EMPTY.country }));
  const [errors, setErrors] = useState<Partial<Record<keyof Form, string>>>({});
  const [status, setStatus] = useState<string | null>(null);

  const change = async (run: () => Promise<{ bag?: FragmentType<typeof BagViewFragment>; error?: CombinedError }>) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const r = await run();
      if (r.bag) props.onChange(r.bag);
      else if (r.error) setError(toApiError(r.error));
    } finally {
      setBusy(false);
    }
  };
  const setQuantity = (lineId: string, quantity: number) =>
    change(async () => {
      const r = await client.mutation(UpdateBagLineMutation, { input: { bagId: b.id, lineId, quantity } }).toPromise();
      return { bag: r.data?.updateBagLine.bag, error: r.error };
    });
  const remove = (lineId: string) =>
    change(async () => {
      const r = await client.mutation(RemoveBagLineMutation, { input: { bagId: b.id, lineId } }).toPromise();
      return { bag: r.data?.removeBagLine.bag, error: r.error };
    });

  // The bag ships to one country, as the order will: the "Ship to" picker and the address
  // country are the same choice, remembered for the next strap.
  const shipTo = (country: string) => {
    rememberDestination(country);
    if (country) setForm((f) => ({ ...f, country }));
    return change(async () => {
      const r = await client.mutation(SetBagDestinationMutation, { input: { bagId: b.id, country } }).toPromise();
      return { bag: r.data?.setBagDestination.bag, error: r.error };
    });
  };
  // A bag without a destination ships where the customer last shipped to, else to the
  // address country shown: the total is then what the order will cost.
  const askedDestination = useRef(false);
  useEffect(() => {
    if (askedDestination.current || b.destination || b.pieces === 0) return;
    askedDestination.current = true;
    void shipTo(rememberedDestination() ?? form.country);
  });

  const submit = useCallback(
    async (e: FormEvent) => {
      e.preventDefault();
      if (busy || !b.orderable) return;
      const errs = validateCheckout(form);
      setErrors(errs);
      if (Object.keys(errs).length) {
        document.getElementById(`bag-${Object.keys(errs)[0]}`)?.focus();
        return;
      }
      setBusy(true);
      setError(null);
      const input = {
        bagId: b.id,
        idempotencyKey: checkoutKey(b.id, linesVersion(b.lines), uuid),
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
      const slow = setTimeout(
        () => setStatus('The workshop is slow to answer — retrying safely, you will not be charged twice…'),
        SLOW_MS,
      );
      try {
        const r = await client.mutation(PlaceBagOrderMutation, { input }, safeToRepeat).toPromise();
        const placed = r.data?.placeBagOrder;
        if (placed) {
          saveBagId(null);
          if (placed.orderToken) saveOrderToken(placed.order.id, placed.orderToken);
          navigate(
            placed.orderToken
              ? privateLinkHref(placed.order.id, placed.orderToken)
              : `/orders/${encodeURIComponent(placed.order.id)}`,
          );
          return;
        }
        if (r.error) setError(toApiError(r.error));
        props.reload();
      } finally {
        clearTimeout(slow);
        setStatus(null);
        setBusy(false);
      }
    },
    [busy, b.orderable, b.id, b.lines, form, client, props],
  );


  return (
    <div className="page bag-page" aria-busy={busy}>
      <h1>Your bag</h1>
      <p className="lede">
        {b.pieces === 0
          ? 'Your bag is empty.'
          : `${b.pieces} ${b.pieces === 1 ? 'piece' : 'pieces'}, made to order together: one deposit, one build.`}{' '}
        <Link href="/">Configure another strap</Link>
      </p>
      {error ? (
        <Notice tone="error" testId="bag-error">
          {messageFor(error, 'checkout')}
        </Notice>
      ) : null}
      {b.shortfalls.map((s) => (
        <Notice key={s.name} tone="warning" testId="bag-shortfall">
          {s.message}.
        </Notice>
      ))}
      <ul className="bag-lines" data-testid="bag-lines">
        {b.lines.map((l) => (
          <li key={l.id} className="bag-line" data-testid="bag-line">
            <SvgPreview svg={l.previewSvg} alt={`${l.productName || 'Strap'} as configured`} className="bag-preview" />
            <div className="bag-line-body">
              <h2>{l.productName || 'Expired configuration'}</h2>
              <ul className="bag-choices">
                {l.selections.map((s, i) => (
                  <li key={`${s.group}-${i}`}>
                    {s.groupName}: {s.text ? `“${s.text}”` : (s.optionName ?? s.option)}
                  </li>
                ))}
              </ul>
              {l.problem ? <Notice tone="warning">{l.problem}</Notice> : null}
              <div className="bag-line-actions">
                <div className="stepper" role="group" aria-label={`Quantity of ${l.productName}`}>
                  <button
                    type="button"
                    aria-label={`One fewer ${l.productName}`}
                    aria-disabled={busy || l.quantity <= 1 || undefined}
                    onClick={() => l.quantity > 1 && void setQuantity(l.id, l.quantity - 1)}
                  >
                    −
                  </button>
                  <output data-testid="bag-line-quantity" aria-live="polite">
                    {l.quantity}
                  </output>
                  <button
                    type="button"
                    aria-label={`One more ${l.productName}`}
                    aria-disabled={busy || l.quantity >= 500 || undefined}
                    onClick={() => l.quantity < 500 && void setQuantity(l.id, l.quantity + 1)}
                  >
                    +
                  </button>
                </div>
                {l.product ? (
                  <Link
                    className="link-btn"
                    href={`/configure/${encodeURIComponent(l.product.slug)}/${encodeURIComponent(l.configurationId)}`}
                  >
                    Edit
                  </Link>
                ) : null}
                <button type="button" className="link-btn" onClick={() => void remove(l.id)}>
                  Remove
                </button>
              </div>
            </div>
            <div className="bag-line-price">
              <span className="help">{formatMoney(l.unitPrice)} each</span>
              {l.discount.amount > 0 ? (
                <span className="help">
                  {l.discountLabel}: −{formatMoney(l.discount)}
                </span>
              ) : null}
              <strong data-testid="bag-line-total">{formatMoney(l.total)}</strong>
            </div>
          </li>
        ))}
      </ul>
      {b.pieces > 0 ? (
        <div className="checkout bag-checkout">
          <div className="checkout-form">
            <h2>Checkout</h2>
            {status ? <Notice tone="info">{status}</Notice> : null}
            <form onSubmit={(e) => void submit(e)} noValidate aria-busy={busy}>
              <CustomerFields prefix="bag" form={form} errors={errors} onChange={setForm} onCountry={(code) => void shipTo(code)} />
              <button
                type="submit"
                className="btn btn-primary btn-block"
                aria-disabled={busy || !b.orderable || undefined}
                aria-describedby={!b.orderable ? 'bag-not-orderable' : undefined}
                data-testid="place-bag-order"
              >
                {busy ? 'Placing your order…' : `Place order · ${formatMoney(b.total)}`}
              </button>
              {!b.orderable ? (
                <p id="bag-not-orderable" className="help">
                  {b.shortfalls[0]?.message ?? 'Complete or remove the pieces marked above first.'}
                </p>
              ) : null}
            </form>
          </div>
          <aside className="checkout-summary" aria-label="Bag total">
            {b.delivery ? (
              <LeadTimePanel leadTime={b.delivery} busy={busy} onDestination={(country) => void shipTo(country)} />
            ) : null}
            <table className="summary-price">
              <tbody>
                <tr>
                  <th scope="row">Subtotal</th>
                  <td>{formatMoney(b.subtotal)}</td>
                </tr>
                {b.discount.amount > 0 ? (
                  <tr>
                    <th scope="row">Quantity and collection discounts</th>
                    <td>−{formatMoney(b.discount)}</td>
                  </tr>
                ) : null}
                {b.shipping ? (
                  <tr data-testid="bag-shipping">
                    <th scope="row">Shipping{b.delivery?.shippingZone ? `: ${b.delivery.shippingZone}` : ''}</th>
                    <td>{formatMoney(b.shipping)}</td>
                  </tr>
                ) : null}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">Total</th>
                  <td data-testid="bag-total">{formatMoney(b.total)}</td>
                </tr>
              </tfoot>
            </table>
            {!b.shipping ? (
              <p className="help" data-testid="bag-no-shipping">
                Shipping is added once you choose where the bag ships.
              </p>
            ) : null}
            <p className="help">
              Deposit of {formatMoney(b.deposit)} when ordering; the balance of {formatMoney(b.balance)}
              {b.shipping ? ', shipping included,' : ''} before your straps ship.
            </p>
          </aside>
        </div>
      ) : null}
    </div>
  );
}

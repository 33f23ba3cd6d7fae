import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useQuery } from 'urql';
import { useFragment } from '../../gql';
import type { ConfiguratorPage_ConfigurationFragment as ConfigView } from '../../gql/graphql';
import { Link, navigate } from '../../components/router';
import { Notice } from '../../components/Notice';
import { Loading } from '../../components/Spinner';
import type { NameBook } from '../../lib/conflict';
import { messageFor, toApiError } from '../../lib/errors';
import { rememberDestination, rememberedDestination } from '../../lib/storage';
import { formatCount, formatMoney } from '../../lib/money';
import { AddToBag } from '../bag/AddToBag';
import { ConflictDialog } from './ConflictDialog';
import type { Edit } from './edits';
import { LeadTimePanel } from './LeadTimePanel';
import { OptionGroup } from './OptionGroup';
import { ConfiguratorPageFragment, ConfiguratorProductQuery } from './operations';
import { PreviewPanel } from './PreviewPanel';
import { PricePanel } from './PricePanel';
import { useConfigurationSteps, useStartConfiguration } from './useConfigurationSteps';

/** ConfiguratorPage loads or starts a configuration and keeps it in step with the server. */
export function ConfiguratorPage({ slug, configurationId }: { slug: string; configurationId?: string }) {
  const [product] = useQuery({ query: ConfiguratorProductQuery, variables: { slug } });
  const productData = product.data?.product;
  const productError = !productData && product.error ? toApiError(product.error) : null;

  if (productError) {
    return (
      <div className="page narrow">
        <Notice tone="error">{messageFor(productError, 'catalog')}</Notice>
        <p>
          <Link href="/">See all straps</Link>
        </p>
      </div>
    );
  }
  if (!productData) return <Loading label="Preparing the workshop" />;
  if (!configurationId) return <Starter productId={productData.id} slug={slug} />;
  return <Configurator key={configurationId} id={configurationId} product={productData} />;
}

function Starter({ productId, slug }: { productId: string; slug: string }) {
  const onStarted = useCallback(
    (id: string) => navigate(`/configure/${encodeURIComponent(slug)}/${encodeURIComponent(id)}`, { replace: true }),
    [slug],
  );
  const { error, start } = useStartConfiguration(productId, onStarted);
  if (error)
    return (
      <div className="page narrow">
        <Notice
          tone="error"
          action={
            <button type="button" className="btn" onClick={start}>
              Try again
            </button>
          }
        >
          {messageFor(error, 'configure')}
        </Notice>
      </div>
    );
  return <Loading label="Laying out the leather" />;
}

interface ProductInfo {
  id: string;
  slug: string;
  name: string;
  description: string;
  basePrice: { amount: number; currency: string };
  editionRemaining?: number | null;
}

function Configurator({ id, product }: { id: string; product: ProductInfo }) {
  const steps = useConfigurationSteps(id);
  const { loadError, error, status, changed, busy, conflict, live, run } = steps;
  const config = useFragment(ConfiguratorPageFragment, steps.configuration);

  const names: NameBook = useMemo(() => {
    const groups = new Map<string, { name: string; options: Map<string, string> }>();
    for (const g of config?.groups ?? [])
      groups.set(g.group.key, { name: g.group.name, options: new Map(g.options.map((o) => [o.option.key, o.option.name])) });
    return {
      group: (k) => groups.get(k)?.name ?? k,
      option: (g, k) => groups.get(g)?.options.get(k) ?? k,
    };
  }, [config]);

  useForcedChoices(config, busy, run);

  // A destination chosen before (here or at checkout) is remembered for the next strap.
  const askedDestination = useRef(false);
  const hasConfig = config != null;
  const destination = config?.destination ?? null;
  useEffect(() => {
    if (!hasConfig || askedDestination.current || destination || busy) return;
    askedDestination.current = true;
    const remembered = rememberedDestination();
    if (remembered) run({ kind: 'destination', country: remembered, label: `Ship to ${remembered}` });
  }, [hasConfig, destination, busy, run]);

  if (loadError && !config) {
    return (
      <div className="page narrow">
        <Notice
          tone="error"
          action={
            <Link className="btn" href={`/configure/${encodeURIComponent(product.slug)}`}>
              Start a new {product.name}
            </Link>
          }
        >
          {messageFor(loadError, 'configure')}
        </Notice>
      </div>
    );
  }
  if (!config) return <Loading label="Fetching your strap" />;

  const missing = config.groups
    .filter((g) => g.group.required && !config.selections.some((s) => s.group === g.group.key))
    .map((g) => g.group.name);

  return (
    <div className="configurator" aria-busy={busy}>
      <aside className="stage" aria-label="Your strap">
        <div className="stage-inner">
          <p className="eyebrow">Made to order</p>
          <h1 className="product-title">{product.name}</h1>
          <PreviewPanel preview={config.preview} productName={product.name} />
          <PricePanel price={config.price} />
          <LeadTimePanel
            leadTime={config.leadTime}
            busy={busy}
            onDestination={(country) => {
              rememberDestination(country);
              run({ kind: 'destination', country, label: country ? `Ship to ${country}` : 'No destination' });
            }}
          />
          <p className="completions" data-testid="completions">
            <strong>{formatCount(config.completions)}</strong>{' '}
            {config.completions === '1' ? 'possible strap matches' : 'possible straps still match'} your choices
            {product.editionRemaining != null ? (
              <span className="edition"> · {product.editionRemaining} pieces of this edition left</span>
            ) : null}
          </p>
          <QuantityControl quantity={config.quantity} busy={busy} onChange={(q) => run({ kind: 'quantity', quantity: q, label: `Quantity: ${q}` })} />
          <div className="stage-actions">
            <div className="cta">
              {config.complete ? (
                <>
                  <Link className="btn btn-primary btn-block" href={`/checkout/${encodeURIComponent(config.id)}`} data-testid="to-checkout">
                    Continue to checkout · {formatMoney(config.price.total)}
                  </Link>
                  <AddToBag configurationId={config.id} quantity={config.quantity} complete={config.complete} />
                </>
              ) : (
                <>
                  <button type="button" className="btn btn-primary btn-block" aria-disabled="true" aria-describedby="cta-missing" data-testid="to-checkout-disabled">
                    Continue to checkout
                  </button>
                  <p id="cta-missing" className="help">
                    Still to choose: {missing.join(', ') || 'a few details'}.
                  </p>
                </>
              )}
            </div>
            <div className="stage-foot">
              <span className={`live live-${live}`} aria-live="polite">
                {live === 'reconnecting' ? 'Reconnecting…' : live === 'connected' ? 'Saved · live' : 'Saved'}
              </span>
              <button type="button" className="link-btn" onClick={() => void navigator.clipboard?.writeText(window.location.href)}>
                Copy share link
              </button>
              <button type="button" className="link-btn" onClick={() => !busy && run({ kind: 'reset', label: 'Start over' })}>
                Start over
              </button>
            </div>
          </div>
        </div>
      </aside>
      <div className="steps">
        <header className="steps-head">
          <p className="lede">{product.description}</p>
          <p className="from">From {formatMoney(product.basePrice)}</p>
        </header>
        <div className="messages" aria-live="polite">
          {config.notices.map((n) => (
            <Notice key={n} tone="warning">
              {n}
            </Notice>
          ))}
          {status ? <Notice tone="info">{status}</Notice> : null}
          {error ? (
            <Notice tone="error" testId="config-error">
              {error}
            </Notice>
          ) : null}
          {changed.length > 0 ? (
            <Notice tone="success" testId="changes">
              Updated to fit: {changed.join('; ')}.
            </Notice>
          ) : null}
        </div>
        {config.groups.map((g, i) => (
          <OptionGroup
            key={g.group.key}
            group={g}
            selections={config.selections.filter((s) => s.group === config.groups[i].group.key)}
            names={names}
            busy={busy}
            onEdit={(edit) => run(edit)}
          />
        ))}
      </div>
      {conflict ? (
        <ConflictDialog
          choice={`${conflict.edit.label} is not available with your current choices`}
          error={conflict.error}
          names={names}
          busy={busy}
          onCancel={steps.dismissConflict}
          onConfirm={() => run(conflict.edit, true)}
        />
      ) : null}
    </div>
  );
}

function QuantityControl({ quantity, busy, onChange }: { quantity: number; busy: boolean; onChange(q: number): void }) {
  // The draft follows the server's quantity whenever that changes (set during render, not in an effect).
  const [draft, setDraft] = useState({ quantity, text: String(quantity) });
  if (draft.quantity !== quantity) setDraft({ quantity, text: String(quantity) });
  const text = draft.text;
  const setText = (t: string) => setDraft({ quantity, text: t });
  const commit = (q: number) => {
    const clamped = Math.max(1, Math.min(500, Math.trunc(q)));
    setText(String(clamped));
    if (!busy && clamped !== quantity) onChange(clamped);
  };
  return (
    <div className="quantity">
      <label htmlFor="qty">Quantity</label>
      <div className="stepper">
        <button type="button" aria-label="One fewer" aria-disabled={busy || quantity <= 1 || undefined} onClick={() => quantity > 1 && commit(quantity - 1)}>
          −
        </button>
        <input
          id="qty"
          type="number"
          min={1}
          max={500}
          inputMode="numeric"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onBlur={() => commit(Number(text) || 1)}
          onKeyDown={(e) => e.key === 'Enter' && commit(Number(text) || 1)}
        />
        <button type="button" aria-label="One more" aria-disabled={busy || quantity >= 500 || undefined} onClick={() => quantity < 500 && commit(quantity + 1)}>
          +
        </button>
      </div>
    </div>
  );
}

/**
 * useForcedChoices chooses for the customer an option that is the only remaining choice of a
 * required group (once per configuration and option): it counts as made, nothing left to click.
 */
function useForcedChoices(config: ConfigView | null, busy: boolean, run: (edit: Edit) => void) {
  const autoChosen = useRef(new Set<string>());
  useEffect(() => {
    if (!config || busy) return;
    for (const g of config.groups) {
      if (!g.group.required || config.selections.some((s) => s.group === g.group.key)) continue;
      const forced = g.options.filter((o) => o.state === 'FORCED');
      if (forced.length !== 1 || (g.group.kind !== 'SINGLE' && g.group.kind !== 'NUMBER')) continue;
      const o = forced[0].option;
      const key = `${config.id}|${g.group.key}|${o.key}`;
      if (autoChosen.current.has(key)) continue;
      autoChosen.current.add(key);
      const label = `${g.group.name}: ${o.name}`;
      run(
        g.group.kind === 'NUMBER'
          ? { kind: 'number', group: g.group.key, value: Number(o.key), label }
          : { kind: 'select', group: g.group.key, option: o.key, label },
      );
    }
  }, [config, busy, run]);
}

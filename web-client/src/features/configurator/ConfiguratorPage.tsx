import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { AnyVariables, Client, OperationResult, TypedDocumentNode } from '@urql/core';
import { useClient, useQuery } from 'urql';
import { useFragment, type FragmentType } from '../../gql';
import type { ConfiguratorPage_ConfigurationFragment as ConfigView } from '../../gql/graphql';
import { Link, navigate } from '../../components/router';
import { Notice } from '../../components/Notice';
import { Loading } from '../../components/Spinner';
import { useAtelier } from '../../graphql/context';
import type { NameBook } from '../../lib/conflict';
import { isRetryable, messageFor, retryDelay, toApiError, type ApiError } from '../../lib/errors';
import { formatCount, formatMoney } from '../../lib/money';
import { ConflictDialog } from './ConflictDialog';
import { canResolve, type Edit } from './edits';
import { LeadTimePanel } from './LeadTimePanel';
import { OptionGroup } from './OptionGroup';
import {
  ClearSelectionMutation,
  ConfigurationPayloadFragment,
  ConfigurationQuery,
  ConfigurationUpdatedSubscription,
  ConfiguratorPageFragment,
  ConfiguratorProductQuery,
  ResetConfigurationMutation,
  SelectOptionMutation,
  SetNumberMutation,
  SetQuantityMutation,
  SetTextMutation,
  StartConfigurationMutation,
} from './operations';
import { PreviewPanel } from './PreviewPanel';
import { PricePanel } from './PricePanel';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type PayloadRef = FragmentType<typeof ConfigurationPayloadFragment>;
type PayloadResult = { result: PayloadRef };

function unmaskPayload(p: PayloadRef) {
  const payload = useFragment(ConfigurationPayloadFragment, p);
  return { configuration: useFragment(ConfiguratorPageFragment, payload.configuration), changes: payload.changes };
}

/** sendEdit runs one edit as its mutation against a version. */
function sendEdit(client: Client, id: string, version: number, edit: Edit, resolve: boolean) {
  const base = { configurationId: id, version };
  const run = <V extends AnyVariables>(doc: TypedDocumentNode<PayloadResult, V>, vars: V) =>
    client.mutation(doc, vars).toPromise() as Promise<OperationResult<PayloadResult, V>>;
  switch (edit.kind) {
    case 'select':
      return run(SelectOptionMutation, { input: { ...base, group: edit.group, option: edit.option, resolveConflicts: resolve } });
    case 'clear':
      return run(ClearSelectionMutation, { input: { ...base, group: edit.group, option: edit.option ?? null } });
    case 'text':
      return run(SetTextMutation, { input: { ...base, group: edit.group, text: edit.text, resolveConflicts: resolve } });
    case 'number':
      return run(SetNumberMutation, { input: { ...base, group: edit.group, value: edit.value, resolveConflicts: resolve } });
    case 'quantity':
      return run(SetQuantityMutation, { input: { ...base, quantity: edit.quantity } });
    case 'reset':
      return run(ResetConfigurationMutation, { input: base });
  }
}

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
  const client = useClient();
  const [error, setError] = useState<ApiError | null>(null);
  const started = useRef(false);
  const start = useCallback(async () => {
    setError(null);
    for (let attempt = 0; ; attempt++) {
      const res = await client.mutation(StartConfigurationMutation, { input: { productId, quantity: 1 } }).toPromise();
      const payload = res.data?.startConfiguration;
      if (payload) {
        const c = unmaskPayload(payload).configuration;
        navigate(`/configure/${encodeURIComponent(slug)}/${encodeURIComponent(c.id)}`, { replace: true });
        return;
      }
      const err = res.error ? toApiError(res.error) : null;
      if (err && isRetryable(err) && attempt < 3) {
        await sleep(retryDelay(attempt));
        continue;
      }
      setError(err ?? { code: 'UNKNOWN', serverMessage: '', reasons: [], fix: [] });
      return;
    }
  }, [client, productId, slug]);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void start();
  }, [start]);
  if (error)
    return (
      <div className="page narrow">
        <Notice
          tone="error"
          action={
            <button type="button" className="btn" onClick={() => void start()}>
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
  const client = useClient();
  const atelier = useAtelier();
  const [config, setConfig] = useState<ConfigView | null>(null);
  const configRef = useRef<ConfigView | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [changed, setChanged] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [pending, setPending] = useState<{ edit: Edit; error: ApiError } | null>(null);
  const [live, setLive] = useState<'connecting' | 'connected' | 'reconnecting' | 'idle'>('connecting');
  const queue = useRef<Promise<void>>(Promise.resolve());

  // Versions only move forward: a late subscription message never undoes a newer state.
  const apply = useCallback((c: ConfigView) => {
    const cur = configRef.current;
    if (cur && cur.id === c.id && c.version < cur.version) return;
    configRef.current = c;
    setConfig(c);
  }, []);

  const reload = useCallback(async () => {
    for (let attempt = 0; attempt < 4; attempt++) {
      const res = await client.query(ConfigurationQuery, { id }, { requestPolicy: 'network-only' }).toPromise();
      if (res.data?.configuration) {
        apply(useFragment(ConfiguratorPageFragment, res.data.configuration));
        setLoadError(null);
        return true;
      }
      const err = res.error ? toApiError(res.error) : null;
      if (err && isRetryable(err)) {
        setStatus('Reconnecting to the workshop…');
        await sleep(retryDelay(attempt));
        continue;
      }
      if (!configRef.current) setLoadError(err);
      return false;
    }
    if (!configRef.current) setLoadError({ code: 'NETWORK', serverMessage: '', reasons: [], fix: [] });
    return false;
  }, [client, id, apply]);

  useEffect(() => {
    void reload().then(() => setStatus(null));
  }, [reload]);

  // A second tab (or device) follows every change live.
  useEffect(() => {
    const sub = client.subscription(ConfigurationUpdatedSubscription, { id }).subscribe((res) => {
      if (res.data?.configurationUpdated) apply(useFragment(ConfiguratorPageFragment, res.data.configurationUpdated));
    });
    const offState = atelier.onState(setLive);
    // After a dropped socket, updates may have been missed: fetch the current state once.
    const offReconnect = atelier.onReconnect(() => void reload());
    return () => {
      sub.unsubscribe();
      offState();
      offReconnect();
    };
  }, [client, atelier, id, apply, reload]);

  const runNow = useCallback(
    async (edit: Edit, resolve: boolean) => {
      setBusy(true);
      setError(null);
      let conflictRetried = false;
      try {
        for (let attempt = 0; ; ) {
          const cur = configRef.current;
          if (!cur) return;
          const res = await sendEdit(client, cur.id, cur.version, edit, resolve);
          const payload = res.data?.result;
          if (payload) {
            const { configuration, changes } = unmaskPayload(payload);
            apply(configuration);
            setStatus(null);
            const others = changes.filter((ch) => !('group' in edit) || ch.group !== edit.group);
            setChanged(others.map((ch) => ch.message));
            setPending(null);
            return;
          }
          const err = res.error ? toApiError(res.error) : ({ code: 'UNKNOWN', serverMessage: '', reasons: [], fix: [] } as ApiError);
          if (err.code === 'CONFLICT' && !conflictRetried) {
            // Someone else (another tab) moved the configuration on: catch up quietly, retry once.
            conflictRetried = true;
            await reload();
            continue;
          }
          if (isRetryable(err) && attempt < 3) {
            setStatus('The workshop is slow to answer — retrying…');
            await sleep(retryDelay(attempt));
            attempt++;
            continue;
          }
          setStatus(null);
          if (err.code === 'BAD_USER_INPUT' && err.fix.length > 0 && canResolve(edit) && !resolve) {
            setPending({ edit, error: err });
            return;
          }
          setPending(null);
          setError(messageFor(err, 'configure'));
          if (err.code === 'CONFLICT') await reload();
          return;
        }
      } finally {
        setBusy(false);
      }
    },
    [client, apply, reload],
  );

  // Edits run one at a time, in order, each against the version the previous one produced.
  const run = useCallback(
    (edit: Edit, resolve = false) => {
      queue.current = queue.current.then(() => runNow(edit, resolve));
    },
    [runNow],
  );

  const names: NameBook = useMemo(() => {
    const groups = new Map<string, { name: string; options: Map<string, string> }>();
    for (const g of config?.groups ?? [])
      groups.set(g.group.key, { name: g.group.name, options: new Map(g.options.map((o) => [o.option.key, o.option.name])) });
    return {
      group: (k) => groups.get(k)?.name ?? k,
      option: (g, k) => groups.get(g)?.options.get(k) ?? k,
    };
  }, [config]);

  // An option that is the only remaining choice of a required group is chosen for the
  // customer (once per configuration and option): it counts as made, nothing left to click.
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
          <LeadTimePanel leadTime={config.leadTime} />
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
                <Link className="btn btn-primary btn-block" href={`/checkout/${encodeURIComponent(config.id)}`} data-testid="to-checkout">
                  Continue to checkout · {formatMoney(config.price.total)}
                </Link>
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
      {pending ? (
        <ConflictDialog
          choice={`${pending.edit.label} is not available with your current choices`}
          error={pending.error}
          names={names}
          busy={busy}
          onCancel={() => setPending(null)}
          onConfirm={() => run(pending.edit, true)}
        />
      ) : null}
    </div>
  );
}

function QuantityControl({ quantity, busy, onChange }: { quantity: number; busy: boolean; onChange(q: number): void }) {
  const [text, setText] = useState(String(quantity));
  useEffect(() => setText(String(quantity)), [quantity]);
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

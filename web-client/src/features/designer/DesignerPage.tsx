import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useClient, useQuery } from 'urql';
import { Notice } from '../../components/Notice';
import { Loading } from '../../components/Spinner';
import { StaffGate, type StaffViewer } from '../../components/StaffGate';
import { describeReasons, type NameBook } from '../../lib/conflict';
import { messageFor, toApiError, type ApiError } from '../../lib/errors';
import { formatCount } from '../../lib/money';
import { Capsules } from './Capsules';
import { Findings, Groups, History, Pricing, ProductEditor, Publish, refusal, useRun, type Finding, type Product } from './Editors';
import { RecordForm, initialValues, sameField, type FieldSpec } from './RecordForm';
import { ShippingZones } from './Zones';
import {
  CompatibilityQuery,
  CreateRuleMutation,
  DeleteRuleMutation,
  DesignerProductsQuery,
  LintQuery,
  MatrixQuery,
  RuleImpactQuery,
  UpdateRuleMutation,
} from './operations';

type Tab = 'catalogue' | 'pricing' | 'rules' | 'explore' | 'matrix' | 'lint' | 'publish' | 'history' | 'shipping';
const TABS: [Tab, string][] = [
  ['catalogue', 'Catalogue'],
  ['pricing', 'Pricing'],
  ['rules', 'Rules'],
  ['explore', 'Compatibility'],
  ['matrix', 'Matrix'],
  ['lint', 'Lint'],
  ['publish', 'Review & publish'],
  ['history', 'History'],
  ['shipping', 'Shipping'],
];

/** DesignerPage is the catalogue studio: sign-in, then every tool for one product's draft. */
export function DesignerPage({ token, onToken }: { token: string | null; onToken(t: string | null): void }) {
  return (
    <StaffGate role="DESIGNER" token={token} onToken={onToken}>
      {(viewer) => <Studio viewer={viewer} />}
    </StaffGate>
  );
}

function Studio({ viewer }: { viewer: StaffViewer }) {
  const [products, refetchProducts] = useQuery({ query: DesignerProductsQuery });
  const [productId, setProductId] = useState<string>('');
  const [creating, setCreating] = useState(false);
  const [tab, setTab] = useState<Tab>('catalogue');
  const tabRefs = useRef<Partial<Record<Tab, HTMLButtonElement | null>>>({});
  const list = (products.data?.products.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []));
  const product = list.find((p) => p.id === productId) ?? list[0];
  const [lint, relint] = useQuery({ query: LintQuery, variables: { productId: product?.id ?? '' }, pause: !product, requestPolicy: 'network-only' });
  const findings: Finding[] = lint.data?.lint ?? [];
  const changed = () => {
    refetchProducts({ requestPolicy: 'network-only' });
    relint({ requestPolicy: 'network-only' });
  };
  const focusTab = (t: Tab) => {
    setTab(t);
    // The new tab is the focusable one (roving tabindex): move focus with the selection.
    tabRefs.current[t]?.focus();
  };

  return (
    <div className="page designer">
      <header className="designer-head">
        <div>
          <p className="eyebrow">Atelier staff · {viewer.name} (designer)</p>
          <h1>Catalogue studio</h1>
        </div>
        <div className="designer-tools">
          <label htmlFor="d-product">Product</label>
          <select
            id="d-product"
            value={product?.id ?? ''}
            onChange={(e) => {
              setProductId(e.target.value);
              setCreating(false);
            }}
          >
            {list.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} · v{p.catalogVersion} · {p.status.toLowerCase()}
              </option>
            ))}
          </select>
          <button type="button" className="btn btn-small" onClick={() => setCreating((v) => !v)} aria-expanded={creating}>
            New product
          </button>
          <button type="button" className="link-btn" onClick={viewer.signOut}>
            Sign out
          </button>
        </div>
      </header>
      {products.error && !products.data ? <Notice tone="error">{messageFor(toApiError(products.error), 'designer')}</Notice> : null}
      {creating ? (
        <ProductEditor
          product={null}
          onChanged={changed}
          onCreated={(id) => {
            setProductId(id);
            setCreating(false);
            setTab('catalogue');
          }}
        />
      ) : null}
      {!product ? (
        products.fetching ? <Loading /> : <p className="empty">No product yet: create the first one.</p>
      ) : (
        <>
          <div role="tablist" aria-label="Tools" className="tabs">
            {TABS.map(([t, label], i) => (
              <button
                key={t}
                ref={(el) => {
                  tabRefs.current[t] = el;
                }}
                role="tab"
                type="button"
                id={`tab-${t}`}
                aria-selected={tab === t}
                aria-controls={`panel-${t}`}
                tabIndex={tab === t ? 0 : -1}
                className="tab"
                onClick={() => setTab(t)}
                onKeyDown={(e) => {
                  const n = TABS.length;
                  const to =
                    e.key === 'ArrowRight' ? TABS[(i + 1) % n][0]
                    : e.key === 'ArrowLeft' ? TABS[(i + n - 1) % n][0]
                    : e.key === 'Home' ? TABS[0][0]
                    : e.key === 'End' ? TABS[n - 1][0]
                    : null;
                  if (to) {
                    e.preventDefault();
                    focusTab(to);
                  }
                }}
              >
                {label}
                {t === 'lint' && findings.length ? <span className="tab-count">{findings.length}</span> : null}
              </button>
            ))}
          </div>
          <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="tabpanel" tabIndex={0}>
            {tab === 'catalogue' ? (
              <div className="catalogue">
                <ProductEditor key={product.id} product={product} onChanged={changed} />
                <Findings findings={findings.filter((f) => !f.group && !f.rule)} />
                <Groups key={`g-${product.id}`} product={product} findings={findings} onChanged={changed} />
              </div>
            ) : null}
            {tab === 'pricing' ? (
              <>
                <Pricing key={product.id} product={product} onChanged={changed} />
                <Capsules products={list} />
              </>
            ) : null}
            {tab === 'explore' ? <Explorer key={product.id} product={product} /> : null}
            {tab === 'matrix' ? <Matrix key={product.id} product={product} /> : null}
            {tab === 'lint' ? <Lint key={product.id} productId={product.id} /> : null}
            {tab === 'rules' ? <Rules key={product.id} product={product} findings={findings} onChanged={changed} /> : null}
            {tab === 'publish' ? <Publish key={product.id} product={product} onChanged={changed} /> : null}
            {tab === 'history' ? <History key={product.id} product={product} /> : null}
            {tab === 'shipping' ? <ShippingZones /> : null}
          </div>
        </>
      )}
    </div>
  );
}

function namesOf(product: Product): NameBook {
  return {
    group: (k) => product.draftGroups.find((g) => g.key === k)?.name ?? k,
    option: (g, k) => product.draftGroups.find((x) => x.key === g)?.options.find((o) => o.key === k)?.name ?? k,
  };
}

/** optionLabel names an option; a TEXT group's engine value "filled" is "Any text". */
function optionLabel(o: { key: string; name: string }): string {
  return o.key === 'filled' && (o.name === 'filled' || !o.name) ? 'Any text' : o.name;
}

function Explorer({ product }: { product: Product }) {
  const [sel, setSel] = useState<Record<string, string>>({});
  const selections = useMemo(
    () =>
      Object.entries(sel)
        .filter(([, v]) => v)
        .map(([group, v]) =>
          product.draftGroups.find((g) => g.key === group)?.kind === 'TEXT' ? { group, text: v } : { group, option: v },
        ),
    [sel, product],
  );
  const [res] = useQuery({ query: CompatibilityQuery, variables: { productId: product.id, selections } });
  const names = namesOf(product);
  const data = res.data?.compatibility;
  return (
    <div className="explorer">
      <p className="help">Pick choices as a customer would; every option shows its state and, when excluded, why.</p>
      {res.error ? <Notice tone="error">{messageFor(toApiError(res.error), 'designer')}</Notice> : null}
      {data ? (
        <p className="completions">
          <strong>{formatCount(data.completions)}</strong> complete configurations · {data.complete ? 'complete' : 'incomplete'}
        </p>
      ) : null}
      <div className="explorer-grid">
        {(data?.groups ?? []).map((g) => (
          <fieldset key={g.group.key} className="explorer-group">
            <legend>{g.group.name}</legend>
            <label className="visually-hidden" htmlFor={`ex-${g.group.key}`}>
              {g.group.name}
            </label>
            <select
              id={`ex-${g.group.key}`}
              value={sel[g.group.key] ?? ''}
              onChange={(e) => setSel({ ...sel, [g.group.key]: e.target.value })}
            >
              <option value="">— none —</option>
              {g.options.map((o) => (
                <option key={o.option.key} value={o.option.key}>
                  {optionLabel(o.option)} ({o.state.toLowerCase()})
                </option>
              ))}
            </select>
            <ul className="state-list">
              {g.options.map((o) => (
                <li key={o.option.key} className={`state-${o.state.toLowerCase()}`}>
                  <span className={`badge badge-${o.state.toLowerCase()}`}>{o.state.toLowerCase()}</span> {optionLabel(o.option)}
                  {o.state === 'EXCLUDED' ? <span className="reason"> — {describeReasons(o.reasons, names)}</span> : null}
                </li>
              ))}
            </ul>
          </fieldset>
        ))}
      </div>
    </div>
  );
}

function Matrix({ product }: { product: Product }) {
  const groups = product.draftGroups.filter((g) => g.active && (g.kind === 'SINGLE' || g.kind === 'MULTI'));
  const [a, setA] = useState(groups[1]?.key ?? groups[0]?.key ?? '');
  const [b, setB] = useState(groups[3]?.key ?? groups[1]?.key ?? '');
  const [res] = useQuery({ query: MatrixQuery, variables: { productId: product.id, groupA: a, groupB: b }, pause: !a || !b });
  const names = namesOf(product);
  const m = res.data?.compatibilityMatrix;
  return (
    <div className="matrix">
      <div className="field-row">
        {(
          [
            ['Rows', a, setA],
            ['Columns', b, setB],
          ] as const
        ).map(([label, value, set]) => (
          <div className="field" key={label}>
            <label htmlFor={`mx-${label}`}>{label}</label>
            <select id={`mx-${label}`} value={value} onChange={(e) => set(e.target.value)}>
              {groups.map((g) => (
                <option key={g.key} value={g.key}>
                  {g.name}
                </option>
              ))}
            </select>
          </div>
        ))}
      </div>
      {res.error ? <Notice tone="error">{messageFor(toApiError(res.error), 'designer')}</Notice> : null}
      {m ? (
        <div className="matrix-scroll">
          <table className="matrix-table">
            <caption className="visually-hidden">
              Which {names.group(a)} and {names.group(b)} options can be combined
            </caption>
            <thead>
              <tr>
                <td />
                {m.b.map((k) => (
                  <th key={k} scope="col">
                    {names.option(b, k)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {m.a.map((ka, i) => (
                <tr key={ka}>
                  <th scope="row">{names.option(a, ka)}</th>
                  {m.b.map((kb, j) => (
                    <td key={kb} className={m.allowed[i]?.[j] ? 'ok' : 'no'}>
                      {m.allowed[i]?.[j] ? <span aria-label="allowed">✓</span> : <span aria-label="not allowed">✕</span>}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : res.fetching ? (
        <Loading />
      ) : null}
    </div>
  );
}

function Lint({ productId }: { productId: string }) {
  const [res, again] = useQuery({ query: LintQuery, variables: { productId } });
  return (
    <div className="lint">
      <button type="button" className="btn" onClick={() => again({ requestPolicy: 'network-only' })}>
        Run lint again
      </button>
      {res.error ? <Notice tone="error">{messageFor(toApiError(res.error), 'designer')}</Notice> : null}
      {res.data && res.data.lint.length === 0 ? <Notice tone="success">No findings: the draft is ready to publish.</Notice> : null}
      <ul className="findings">
        {(res.data?.lint ?? []).map((f, i) => (
          <li key={i} className={`finding finding-${f.severity.toLowerCase()}`}>
            <span className={`badge badge-${f.severity.toLowerCase()}`}>{f.severity.toLowerCase()}</span>
            <code>{f.code}</code> {f.message}
            {f.rule ? <span className="help"> · rule {f.rule}</span> : null}
            {f.group ? <span className="help"> · {f.group}{f.option ? `/${f.option}` : ''}</span> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

const ruleSpecs: FieldSpec[] = [
  { name: 'key', label: 'Key', kind: 'text', required: true },
  { name: 'expression', label: 'Expression', kind: 'textarea', required: true },
  { name: 'message', label: 'Message customers see', kind: 'textarea', required: true },
  { name: 'enabled', label: 'Enabled', kind: 'bool' },
];

/** RuleImpact previews, live, what a rule's expression changes in the draft. */
function RuleImpact(props: { id: string; product: Product; expression: string; replacing?: string; enabled?: boolean }) {
  const { id, product, replacing, enabled = true } = props;
  const debounced = useDebounced(props.expression.trim(), 400);
  const [impact] = useQuery({
    query: RuleImpactQuery,
    variables: { productId: product.id, expression: debounced, replacing: replacing ?? null },
    pause: !debounced,
    requestPolicy: 'network-only',
  });
  const names = namesOf(product);
  const im = impact.data?.ruleImpact;
  return (
    <div id={id} className="impact" aria-live="polite" data-testid={id}>
      {replacing ? (
        <p className="help">
          {enabled
            ? 'Impact of this change, against the draft without the rule as it is now:'
            : 'Disabled, the rule changes nothing for customers. Enabled, it would change, against the draft without it:'}
        </p>
      ) : null}
      {!debounced ? (
        <p className="help">Type an expression to preview its impact.</p>
      ) : impact.fetching ? (
        <p className="help">Computing impact…</p>
      ) : impact.error ? (
        <p className="field-error">{messageFor(toApiError(impact.error), 'designer')}</p>
      ) : im ? (
        <>
          <p>
            Complete configurations: <strong>{formatCount(im.countBefore)}</strong> → <strong>{formatCount(im.countAfter)}</strong>
          </p>
          {im.changes.length ? (
            <ul className="state-list">
              {im.changes.map((c) => (
                <li key={`${c.group}/${c.option}`}>
                  {names.group(c.group)}: {names.option(c.group, c.option)} — {c.before.toLowerCase()} → {c.after.toLowerCase()}
                </li>
              ))}
            </ul>
          ) : (
            <p className="help">No option changes availability on an empty configuration.</p>
          )}
        </>
      ) : null}
    </div>
  );
}

const RULE_FIELDS = ['key', 'expression', 'message'] as const;

function Rules({ product, findings, onChanged }: { product: Product; findings: Finding[]; onChanged(): void }) {
  const run = useRun(onChanged);
  const [editing, setEditing] = useState<string | null>(null);
  const client = useClient();
  const [key, setKey] = useState('');
  const [expression, setExpression] = useState('');
  const [message, setMessage] = useState('');
  const [note, setNote] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  // The API's error on a field of the new rule, shown at that field.
  const [fieldErr, setFieldErr] = useState<{ field: string; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    const r = await client.mutation(CreateRuleMutation, { input: { productID: product.id, key, expression, message } }).toPromise();
    setBusy(false);
    if (r.data?.createRule) {
      setNote({ tone: 'success', text: `Rule ${r.data.createRule.rule.key} added to the draft.` });
      setFieldErr(null);
      setKey('');
      setExpression('');
      setMessage('');
      onChanged();
    } else if (r.error) {
      const err = toApiError(r.error);
      const field = RULE_FIELDS.find((f) => err.field && sameField(f, err.field));
      if (field) {
        setFieldErr({ field, text: messageFor(err, 'designer') });
        setNote(null);
      } else {
        setFieldErr(null);
        setNote({ tone: 'error', text: messageFor(err, 'designer') });
      }
    }
  };
  // Disable, enable and delete report what the API refused.
  const act = async (what: string, p: Promise<ApiError | null>) => {
    const err = await p;
    setNote(err ? { tone: 'error', text: refusal(what, err) } : { tone: 'success', text: `${what}.` });
  };
  const invalid = (f: string) => (fieldErr?.field === f ? true : undefined);
  const errorAt = (f: string) =>
    fieldErr?.field === f ? (
      <p id={`r-${f}-err`} className="field-error" data-testid={`r-${f}-error`}>
        {fieldErr.text}
      </p>
    ) : null;
  const described = (f: string, ...more: string[]) => [fieldErr?.field === f ? `r-${f}-err` : '', ...more].filter(Boolean).join(' ') || undefined;
  return (
    <div className="rules">
      {note ? (
        <Notice tone={note.tone} testId="rules-note">
          {note.text}
        </Notice>
      ) : null}
      <div className="rules-grid">
        <form className="rule-editor" onSubmit={(e) => void create(e)} noValidate>
          <h2>New rule</h2>
          <div className="field">
            <label htmlFor="r-key">Key</label>
            <input
              id="r-key"
              value={key}
              onChange={(e) => setKey(e.target.value)}
              required
              placeholder="cordovan-thread"
              aria-invalid={invalid('key')}
              aria-describedby={described('key')}
            />
            {errorAt('key')}
          </div>
          <div className="field">
            <label htmlFor="r-expr">Expression</label>
            <textarea
              id="r-expr"
              rows={3}
              value={expression}
              onChange={(e) => setExpression(e.target.value)}
              required
              spellCheck={false}
              placeholder="leather = shell-cordovan -> stitching in {natural, black}"
              aria-invalid={invalid('expression')}
              aria-describedby={described('expression', 'r-impact')}
            />
            {errorAt('expression')}
          </div>
          <div className="field">
            <label htmlFor="r-msg">Message customers see</label>
            <input
              id="r-msg"
              value={message}
              onChange={(e) => setMessage(e.target.value)}
              required
              aria-invalid={invalid('message')}
              aria-describedby={described('message')}
            />
            {errorAt('message')}
          </div>
          <RuleImpact id="r-impact" product={product} expression={expression} />
          <div className="dialog-actions">
            <button type="submit" className="btn btn-primary" aria-disabled={busy || undefined}>
              Add to draft
            </button>
          </div>
        </form>
        <section className="rule-list" aria-labelledby="rules-h">
          <h2 id="rules-h">Draft rules ({product.rules.length})</h2>
          <ul>
            {product.rules.map((r) => (
              <li key={r.id} className={r.enabled ? undefined : 'disabled'} data-testid={`rule-${r.key}`}>
                <div className="editor-head">
                  <p>
                    <strong>{r.key}</strong>
                    {r.enabled ? '' : ' · disabled'}
                  </p>
                  <span className="row-actions">
                    <button type="button" className="link-btn" aria-label={`Edit rule ${r.key}`} onClick={() => setEditing(editing === r.id ? null : r.id)} aria-expanded={editing === r.id}>
                      Edit
                    </button>
                    <button
                      type="button"
                      className="link-btn"
                      aria-label={`${r.enabled ? 'Disable' : 'Enable'} rule ${r.key}`}
                      onClick={() =>
                        void act(`Rule ${r.key} ${r.enabled ? 'disabled' : 'enabled'}`, run(UpdateRuleMutation, { id: r.id, input: { enabled: !r.enabled } }))
                      }
                    >
                      {r.enabled ? 'Disable' : 'Enable'}
                    </button>
                    <button
                      type="button"
                      className="link-btn"
                      aria-label={`Delete rule ${r.key}`}
                      onClick={() => {
                        if (window.confirm(`Delete rule ${r.key} from the draft?`)) void act(`Rule ${r.key} deleted`, run(DeleteRuleMutation, { id: r.id }));
                      }}
                    >
                      Delete
                    </button>
                  </span>
                </div>
                <code>{r.expression}</code>
                <p className="help">{r.message}</p>
                <Findings findings={findings.filter((f) => f.rule === r.key)} />
                {editing === r.id ? (
                  <RecordForm
                    id={`re-${r.id}`}
                    specs={ruleSpecs}
                    currency={product.currency}
                    initial={initialValues(ruleSpecs, r, product.currency)}
                    submitLabel="Save rule"
                    onCancel={() => setEditing(null)}
                    extra={(v) => (
                      <RuleImpact id={`re-${r.id}-impact`} product={product} expression={String(v.expression)} replacing={r.id} enabled={Boolean(v.enabled)} />
                    )}
                    save={async (input) => {
                      const err = await run(UpdateRuleMutation, { id: r.id, input: input as never });
                      if (!err) {
                        setEditing(null);
                        setNote({ tone: 'success', text: `Rule ${String(input.key ?? r.key)} saved to the draft.` });
                      }
                      return err;
                    }}
                  />
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      </div>
    </div>
  );
}

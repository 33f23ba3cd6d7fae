import { useState } from 'react';
import { useClient, useQuery, type AnyVariables, type TypedDocumentNode } from 'urql';
import type { DesignerProductsQuery as ProductsResult, LintQuery as LintResult } from '../../gql/graphql';
import { Notice } from '../../components/Notice';
import { Loading } from '../../components/Spinner';
import { messageFor, toApiError, type ApiError } from '../../lib/errors';
import { formatBasisPoints, formatDateTime, formatMoney } from '../../lib/money';
import { RecordForm, initialValues, type FieldSpec } from './RecordForm';
import {
  ArchiveGroupMutation,
  ArchiveOptionMutation,
  ArchiveProductMutation,
  CatalogChangesQuery,
  CatalogDiffQuery,
  CreateGroupMutation,
  CreateOptionMutation,
  CreatePriceRuleMutation,
  CreatePriceTierMutation,
  CreateProductMutation,
  DeletePriceRuleMutation,
  DeletePriceTierMutation,
  PublishCatalogMutation,
  UpdateGroupMutation,
  UpdateOptionMutation,
  UpdatePriceRuleMutation,
  UpdatePriceTierMutation,
  UpdateProductMutation,
} from './operations';

/** Product is a product as the studio loads it. */
export type Product = NonNullable<NonNullable<ProductsResult['products']['edges']>[number]>['node'] & {};
type Group = Product['draftGroups'][number];
type Option = Group['options'][number];
/** Finding is a lint finding. */
export type Finding = LintResult['lint'][number];

/** useRun sends a studio mutation and reports its error (or null), then tells the page. */
export function useRun(onChanged: () => void) {
  const client = useClient();
  return async function run<D, V extends AnyVariables>(doc: TypedDocumentNode<D, V>, vars: V): Promise<ApiError | null> {
    const r = await client.mutation(doc, vars).toPromise();
    if (r.error) return toApiError(r.error);
    onChanged();
    return null;
  };
}

/** refusal is the sentence for a studio action the API refused. */
export function refusal(what: string, err: ApiError): string {
  return `${what}: ${err.code === 'BAD_USER_INPUT' && err.serverMessage ? err.serverMessage : messageFor(err, 'designer')}`;
}

/**
 * useAction runs one-click studio actions (archive, delete, reorder) and keeps what the API
 * refused, for the notice it returns: nothing is refused silently.
 */
export function useAction(onChanged: () => void) {
  const run = useRun(onChanged);
  const [refused, setRefused] = useState<string | null>(null);
  async function act<D, V extends AnyVariables>(what: string, doc: TypedDocumentNode<D, V>, vars: V): Promise<ApiError | null> {
    const err = await run(doc, vars);
    setRefused(err ? refusal(what, err) : null);
    return err;
  }
  const notice = refused ? (
    <Notice tone="error" testId="action-refused">
      {refused}
    </Notice>
  ) : null;
  return { act, notice };
}

/** Findings lists lint findings beside what they concern. */
export function Findings({ findings }: { findings: Finding[] }) {
  if (!findings.length) return null;
  return (
    <ul className="inline-findings">
      {findings.map((f, i) => (
        <li key={i} className={`finding-${f.severity.toLowerCase()}`}>
          <span className={`badge badge-${f.severity.toLowerCase()}`}>{f.severity.toLowerCase()}</span> {f.message}
        </li>
      ))}
    </ul>
  );
}

const productSpecs = (create: boolean): FieldSpec[] => [
  { name: 'name', label: 'Name', kind: 'text', required: true },
  { name: 'slug', label: 'URL handle', kind: 'text', required: true, help: 'Lower case and dashes, e.g. heritage-sport.' },
  { name: 'description', label: 'Description', kind: 'textarea' },
  { name: 'style', label: 'Preview silhouette', kind: 'select', options: [['', 'Default'], ['sport', 'Sport'], ['dress', 'Dress']] },
  { name: 'currency', label: 'Currency', kind: 'text', help: 'ISO 4217, e.g. USD, EUR.' },
  { name: 'basePrice', label: 'Base price', kind: 'money' },
  { name: 'buildDaysMin', label: 'Build days, shortest', kind: 'int' },
  { name: 'buildDaysMax', label: 'Build days, longest', kind: 'int' },
  { name: 'depositBasisPoints', label: 'Deposit (basis points)', kind: 'int', help: '3000 = 30% due at ordering.' },
  {
    name: 'requiresApproval',
    label: 'Customer approves a proof before production',
    kind: 'bool',
    help: 'Usual for monogrammed pieces: the workshop sends a proof and waits for approval before cutting. Applies to orders placed from now on.',
  },
  ...(create
    ? []
    : ([
        { name: 'editionLimit', label: 'Edition limit', kind: 'int', nullable: true, help: 'Empty: unlimited.' },
        { name: 'minOrderQuantity', label: 'Minimum order (pieces)', kind: 'int', help: '1: no minimum. Counts every line of this product in a bag.' },
        { name: 'ordersOpenAt', label: 'Pre-orders open', kind: 'datetime' },
        { name: 'ordersCloseAt', label: 'Pre-orders close', kind: 'datetime' },
      ] as FieldSpec[])),
];

/** ProductEditor creates a product (product null) or edits and archives one. */
export function ProductEditor({ product, onChanged, onCreated }: { product: Product | null; onChanged(): void; onCreated?(id: string): void }) {
  const client = useClient();
  const run = useRun(onChanged);
  const { act, notice } = useAction(onChanged);
  const specs = productSpecs(!product);
  const currency = product?.currency ?? 'USD';
  const [saved, setSaved] = useState<string | null>(null);
  if (!product) {
    return (
      <section className="editor-card" aria-labelledby="new-product-h">
        <h2 id="new-product-h">New product</h2>
        <RecordForm
          id="np"
          specs={specs}
          currency="USD"
          sendAll
          initial={initialValues(specs, null, 'USD', { currency: 'USD', buildDaysMin: '10', buildDaysMax: '15', depositBasisPoints: '3000', basePrice: '0.00' })}
          submitLabel="Create product"
          save={async (input) => {
            const clean = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== '' && v !== null));
            const r = await client.mutation(CreateProductMutation, { input: clean as never }).toPromise();
            if (r.error) return toApiError(r.error);
            onChanged();
            onCreated?.(r.data!.createProduct.product.id);
            return null;
          }}
        />
      </section>
    );
  }
  const clearing = (input: Record<string, unknown>) => {
    const out = { ...input };
    for (const [k, flag] of [
      ['editionLimit', 'clearEditionLimit'],
      ['ordersOpenAt', 'clearOrdersOpenAt'],
      ['ordersCloseAt', 'clearOrdersCloseAt'],
    ]) {
      if (k in out && out[k] === null) {
        delete out[k];
        out[flag] = true;
      }
    }
    return out;
  };
  return (
    <section className="editor-card" aria-labelledby="product-h">
      <div className="editor-head">
        <h2 id="product-h">Product</h2>
        {product.status !== 'ARCHIVED' ? (
          <button
            type="button"
            className="link-btn"
            onClick={() => {
              if (window.confirm(`Archive ${product.name}? Customers can no longer configure or order it.`))
                void act(`Archiving ${product.name}`, ArchiveProductMutation, { id: product.id });
            }}
          >
            Archive product
          </button>
        ) : (
          <span className="badge">archived</span>
        )}
      </div>
      {notice}
      {saved ? <Notice tone="success">{saved}</Notice> : null}
      <RecordForm
        key={product.id}
        id="pe"
        specs={specs}
        currency={currency}
        initial={initialValues(specs, { ...product, basePrice: product.basePrice }, currency)}
        submitLabel="Save product"
        save={async (input) => {
          const err = await run(UpdateProductMutation, { id: product.id, input: clearing(input) as never });
          if (!err) setSaved('Saved to the draft.');
          return err;
        }}
      />
    </section>
  );
}

const KINDS: [string, string][] = [
  ['SINGLE', 'Pick one'],
  ['MULTI', 'Pick several'],
  ['TEXT', 'Text (monogram)'],
  ['NUMBER', 'Number (measure)'],
];

const groupSpecs: FieldSpec[] = [
  { name: 'name', label: 'Name', kind: 'text', required: true },
  { name: 'key', label: 'Key (for rules)', kind: 'text', required: true },
  { name: 'kind', label: 'Kind', kind: 'select', options: KINDS },
  { name: 'required', label: 'Required', kind: 'bool' },
  { name: 'description', label: 'Help text', kind: 'textarea' },
  { name: 'minSelect', label: 'Pick at least (several)', kind: 'int' },
  { name: 'maxSelect', label: 'Pick at most (0: any)', kind: 'int' },
  { name: 'maxLength', label: 'Longest text', kind: 'int' },
  { name: 'allowedCharacters', label: 'Characters allowed', kind: 'text', help: 'Empty: letters, digits and space.' },
  { name: 'numberMin', label: 'Smallest', kind: 'int' },
  { name: 'numberMax', label: 'Largest', kind: 'int' },
  { name: 'numberStep', label: 'Step', kind: 'int' },
  { name: 'unit', label: 'Unit', kind: 'text' },
  { name: 'previewRole', label: 'Preview role', kind: 'text', help: 'leather, stitching, edge, hardware, buckle, keeper, lining, monogram, size or empty.' },
];

const optionSpecs: FieldSpec[] = [
  { name: 'name', label: 'Name', kind: 'text', required: true },
  { name: 'key', label: 'Key (for rules)', kind: 'text', required: true },
  { name: 'priceDelta', label: 'Price change', kind: 'money' },
  { name: 'leadDays', label: 'Extra build days', kind: 'int' },
  { name: 'swatch', label: 'Swatch colour', kind: 'text', help: '#rrggbb' },
  { name: 'previewAsset', label: 'Preview asset', kind: 'text' },
  { name: 'description', label: 'Description', kind: 'textarea' },
];

/** groupFields is the fields that matter for a group of a kind. */
function groupFieldsFor(kind: string): FieldSpec[] {
  const skip: Record<string, string[]> = {
    SINGLE: ['minSelect', 'maxSelect', 'maxLength', 'allowedCharacters', 'numberMin', 'numberMax', 'numberStep', 'unit'],
    MULTI: ['maxLength', 'allowedCharacters', 'numberMin', 'numberMax', 'numberStep', 'unit'],
    TEXT: ['minSelect', 'maxSelect', 'numberMin', 'numberMax', 'numberStep', 'unit'],
    NUMBER: ['minSelect', 'maxSelect', 'maxLength', 'allowedCharacters'],
  };
  return groupSpecs.filter((s) => !(skip[kind] ?? []).includes(s.name));
}

/** Groups edits the draft's option groups and their options, in page order. */
export function Groups({ product, findings, onChanged }: { product: Product; findings: Finding[]; onChanged(): void }) {
  const run = useRun(onChanged);
  const { act, notice } = useAction(onChanged);
  const [editing, setEditing] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [newKind, setNewKind] = useState('SINGLE');
  const groups = [...product.draftGroups].sort((a, b) => a.position - b.position);
  const active = groups.filter((g) => g.active);
  const move = async (g: Group, dir: -1 | 1) => {
    const i = active.indexOf(g);
    const other = active[i + dir];
    if (!other) return;
    if (await act(`Moving ${g.name}`, UpdateGroupMutation, { id: g.id, input: { position: other.position } })) return;
    await act(`Moving ${other.name}`, UpdateGroupMutation, { id: other.id, input: { position: g.position } });
  };
  return (
    <section aria-labelledby="groups-h">
      <div className="editor-head">
        <h2 id="groups-h">Option groups ({active.length})</h2>
        <button type="button" className="btn" onClick={() => setAdding((v) => !v)} aria-expanded={adding}>
          Add a group
        </button>
      </div>
      {notice}
      {adding ? (
        <div className="editor-card">
          <div className="field">
            <label htmlFor="ng-kind-pick">Kind of group</label>
            <select id="ng-kind-pick" value={newKind} onChange={(e) => setNewKind(e.target.value)}>
              {KINDS.map(([v, l]) => (
                <option key={v} value={v}>
                  {l}
                </option>
              ))}
            </select>
          </div>
          <RecordForm
            key={newKind}
            id="ng"
            specs={groupFieldsFor(newKind).filter((s) => s.name !== 'kind')}
            currency={product.currency}
            sendAll
            initial={initialValues(groupFieldsFor(newKind), null, product.currency, { required: true, minSelect: '0', maxSelect: '0', maxLength: '3', numberMin: '14', numberMax: '22', numberStep: '1' })}
            submitLabel="Add group"
            onCancel={() => setAdding(false)}
            save={async (input) => {
              const err = await run(CreateGroupMutation, {
                input: { ...(input as object), kind: newKind, productID: product.id, position: (groups.at(-1)?.position ?? 0) + 1 } as never,
              });
              if (!err) setAdding(false);
              return err;
            }}
          />
        </div>
      ) : null}
      <ol className="group-list">
        {groups.map((g, i) => (
          <li key={g.id} className={`group-card${g.active ? '' : ' archived'}`} data-testid={`group-${g.key}`}>
            <div className="editor-head">
              <h3>
                {g.name} <code>{g.key}</code> <span className="help">{KINDS.find(([k]) => k === g.kind)?.[1]}{g.required ? ' · required' : ''}{g.active ? '' : ' · archived'}</span>
              </h3>
              {g.active ? (
                <div className="row-actions">
                  <button type="button" className="link-btn" aria-label={`Move ${g.name} up`} disabled={i === 0} onClick={() => void move(g, -1)}>
                    ↑
                  </button>
                  <button type="button" className="link-btn" aria-label={`Move ${g.name} down`} disabled={active.indexOf(g) === active.length - 1} onClick={() => void move(g, 1)}>
                    ↓
                  </button>
                  <button type="button" className="link-btn" onClick={() => setEditing(editing === g.id ? null : g.id)} aria-expanded={editing === g.id}>
                    Edit
                  </button>
                  <button type="button" className="link-btn" onClick={() => void act(`Archiving ${g.name}`, ArchiveGroupMutation, { id: g.id })}>
                    Archive
                  </button>
                </div>
              ) : null}
            </div>
            <Findings findings={findings.filter((f) => f.group === g.key && !f.option)} />
            {editing === g.id ? (
              <RecordForm
                id={`g-${g.id}`}
                specs={groupFieldsFor(g.kind)}
                currency={product.currency}
                initial={initialValues(groupFieldsFor(g.kind), g, product.currency)}
                submitLabel="Save group"
                onCancel={() => setEditing(null)}
                save={async (input) => {
                  const err = await run(UpdateGroupMutation, { id: g.id, input: input as never });
                  if (!err) setEditing(null);
                  return err;
                }}
              />
            ) : null}
            {g.kind === 'SINGLE' || g.kind === 'MULTI' ? <Options product={product} group={g} findings={findings} onChanged={onChanged} /> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

function Options({ product, group, findings, onChanged }: { product: Product; group: Group; findings: Finding[]; onChanged(): void }) {
  const run = useRun(onChanged);
  const { act, notice } = useAction(onChanged);
  const [editing, setEditing] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const options = [...group.options].sort((a, b) => a.position - b.position);
  const active = options.filter((o) => o.active);
  const move = async (o: Option, dir: -1 | 1) => {
    const other = active[active.indexOf(o) + dir];
    if (!other) return;
    if (await act(`Moving ${o.name}`, UpdateOptionMutation, { id: o.id, input: { position: other.position } })) return;
    await act(`Moving ${other.name}`, UpdateOptionMutation, { id: other.id, input: { position: o.position } });
  };
  return (
    <div className="option-editor">
      {notice}
      <ul className="option-rows">
        {options.map((o) => (
          <li key={o.id} className={o.active ? undefined : 'archived'}>
            <div className="option-row">
              <span className="swatch small" style={{ background: o.swatch || 'transparent' }} aria-hidden="true" />
              <span className="option-row-name">
                {o.name} <code>{o.key}</code>
                {o.active ? '' : ' · archived'}
              </span>
              <span className="option-row-meta">
                {o.priceDelta.amount ? formatMoney(o.priceDelta) : 'Included'}
                {o.leadDays ? ` · +${o.leadDays} d` : ''}
              </span>
              {o.active && group.active ? (
                <span className="row-actions">
                  <button type="button" className="link-btn" aria-label={`Move ${o.name} up`} disabled={active.indexOf(o) === 0} onClick={() => void move(o, -1)}>
                    ↑
                  </button>
                  <button type="button" className="link-btn" aria-label={`Move ${o.name} down`} disabled={active.indexOf(o) === active.length - 1} onClick={() => void move(o, 1)}>
                    ↓
                  </button>
                  <button type="button" className="link-btn" aria-label={`Edit ${o.name}`} onClick={() => setEditing(editing === o.id ? null : o.id)} aria-expanded={editing === o.id}>
                    Edit
                  </button>
                  <button type="button" className="link-btn" aria-label={`Archive ${o.name}`} onClick={() => void act(`Archiving ${o.name}`, ArchiveOptionMutation, { id: o.id })}>
                    Archive
                  </button>
                </span>
              ) : null}
            </div>
            <Findings findings={findings.filter((f) => f.group === group.key && f.option === o.key)} />
            {editing === o.id ? (
              <RecordForm
                id={`o-${o.id}`}
                specs={optionSpecs}
                currency={product.currency}
                initial={initialValues(optionSpecs, o, product.currency)}
                submitLabel="Save option"
                onCancel={() => setEditing(null)}
                save={async (input) => {
                  const err = await run(UpdateOptionMutation, { id: o.id, input: input as never });
                  if (!err) setEditing(null);
                  return err;
                }}
              />
            ) : null}
          </li>
        ))}
      </ul>
      {group.active ? (
        adding ? (
          <RecordForm
            id={`no-${group.id}`}
            specs={optionSpecs}
            currency={product.currency}
            sendAll
            initial={initialValues(optionSpecs, null, product.currency, { priceDelta: '0.00', leadDays: '0' })}
            submitLabel="Add option"
            onCancel={() => setAdding(false)}
            save={async (input) => {
              const err = await run(CreateOptionMutation, {
                input: { ...(input as object), groupID: group.id, position: (options.at(-1)?.position ?? 0) + 1 } as never,
              });
              if (!err) setAdding(false);
              return err;
            }}
          />
        ) : (
          <button type="button" className="link-btn" onClick={() => setAdding(true)}>
            + Add an option to {group.name}
          </button>
        )
      ) : null}
    </div>
  );
}

const priceRuleSpecs: FieldSpec[] = [
  { name: 'label', label: 'Label on the bill', kind: 'text', required: true },
  { name: 'condition', label: 'When', kind: 'textarea', required: true, help: 'e.g. leather = shell-cordovan' },
  { name: 'amount', label: 'Amount per strap', kind: 'money', help: 'Negative for a discount.' },
  { name: 'enabled', label: 'Enabled', kind: 'bool' },
];
const tierSpecs: FieldSpec[] = [
  { name: 'minQuantity', label: 'From (pieces)', kind: 'int' },
  { name: 'discountBasisPoints', label: 'Discount (basis points)', kind: 'int', help: '500 = 5%' },
];

/** Pricing edits surcharges and quantity tiers. */
export function Pricing({ product, onChanged }: { product: Product; onChanged(): void }) {
  const run = useRun(onChanged);
  const { act, notice } = useAction(onChanged);
  const [editing, setEditing] = useState<string | null>(null);
  const c = product.currency;
  return (
    <div className="rules-grid">
      {notice ? <div className="grid-full">{notice}</div> : null}
      <section aria-labelledby="pr-h">
        <h2 id="pr-h">Surcharges ({product.priceRules.length})</h2>
        <ul className="record-list">
          {product.priceRules.map((p) => (
            <li key={p.id} className={p.enabled ? undefined : 'disabled'}>
              <div className="editor-head">
                <p>
                  <strong>{p.label}</strong> {formatMoney(p.amount)} {p.enabled ? '' : '· disabled'}
                  <br />
                  <code>{p.condition}</code>
                </p>
                <span className="row-actions">
                  <button type="button" className="link-btn" aria-label={`Edit ${p.label}`} onClick={() => setEditing(editing === p.id ? null : p.id)}>
                    Edit
                  </button>
                  <button type="button" className="link-btn" aria-label={`Delete ${p.label}`} onClick={() => void act(`Deleting ${p.label}`, DeletePriceRuleMutation, { id: p.id })}>
                    Delete
                  </button>
                </span>
              </div>
              {editing === p.id ? (
                <RecordForm
                  id={`pr-${p.id}`}
                  specs={priceRuleSpecs}
                  currency={c}
                  initial={initialValues(priceRuleSpecs, p, c)}
                  submitLabel="Save surcharge"
                  onCancel={() => setEditing(null)}
                  save={async (input) => {
                    const err = await run(UpdatePriceRuleMutation, { id: p.id, input: input as never });
                    if (!err) setEditing(null);
                    return err;
                  }}
                />
              ) : null}
            </li>
          ))}
        </ul>
        <h3>New surcharge</h3>
        <RecordForm
          key={`npr-${product.priceRules.length}`}
          id="npr"
          specs={priceRuleSpecs}
          currency={c}
          sendAll
          initial={initialValues(priceRuleSpecs, null, c, { enabled: true, amount: '0.00' })}
          submitLabel="Add surcharge"
          save={(input) => run(CreatePriceRuleMutation, { input: { ...(input as object), productID: product.id } as never })}
        />
      </section>
      <section aria-labelledby="tier-h">
        <h2 id="tier-h">Quantity tiers ({product.priceTiers.length})</h2>
        <ul className="record-list">
          {[...product.priceTiers]
            .sort((a, b) => a.minQuantity - b.minQuantity)
            .map((t) => (
              <li key={t.id}>
                <div className="editor-head">
                  <p>
                    From <strong>{t.minQuantity}</strong> pieces: <strong>{formatBasisPoints(t.discountBasisPoints)}</strong> off
                  </p>
                  <span className="row-actions">
                    <button type="button" className="link-btn" aria-label={`Edit the tier from ${t.minQuantity}`} onClick={() => setEditing(editing === t.id ? null : t.id)}>
                      Edit
                    </button>
                    <button type="button" className="link-btn" aria-label={`Delete the tier from ${t.minQuantity}`} onClick={() => void act(`Deleting the tier from ${t.minQuantity}`, DeletePriceTierMutation, { id: t.id })}>
                      Delete
                    </button>
                  </span>
                </div>
                {editing === t.id ? (
                  <RecordForm
                    id={`t-${t.id}`}
                    specs={tierSpecs}
                    currency={c}
                    initial={initialValues(tierSpecs, t, c)}
                    submitLabel="Save tier"
                    onCancel={() => setEditing(null)}
                    save={async (input) => {
                      const err = await run(UpdatePriceTierMutation, { id: t.id, input: input as never });
                      if (!err) setEditing(null);
                      return err;
                    }}
                  />
                ) : null}
              </li>
            ))}
        </ul>
        <h3>New tier</h3>
        <RecordForm
          key={`nt-${product.priceTiers.length}`}
          id="nt"
          specs={tierSpecs}
          currency={c}
          sendAll
          initial={initialValues(tierSpecs, null, c, { minQuantity: '', discountBasisPoints: '' })}
          submitLabel="Add tier"
          save={(input) => run(CreatePriceTierMutation, { input: { ...(input as object), productID: product.id } as never })}
        />
      </section>
    </div>
  );
}

const ENTITY_NAMES: Record<string, string> = {
  Product: 'Product',
  OptionGroup: 'Group',
  OptionValue: 'Option',
  Rule: 'Rule',
  PriceRule: 'Surcharge',
  PriceTier: 'Tier',
  Catalog: 'Catalogue',
};

/** Publish shows the draft against the published version, then publishes it. */
export function Publish({ product, onChanged }: { product: Product; onChanged(): void }) {
  const client = useClient();
  const [diff, again] = useQuery({ query: CatalogDiffQuery, variables: { productId: product.id }, requestPolicy: 'network-only' });
  const [note, setNote] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const entries = diff.data?.catalogDiff ?? [];
  const publish = async () => {
    if (busy) return;
    setBusy(true);
    const r = await client.mutation(PublishCatalogMutation, { input: { productId: product.id } }).toPromise();
    setBusy(false);
    if (r.data?.publishCatalog) {
      const w = r.data.publishCatalog.warnings.length;
      setNote({ tone: 'success', text: `Published catalogue version ${r.data.publishCatalog.version}${w ? ` with ${w} warning${w === 1 ? '' : 's'}` : ''}.` });
      onChanged();
      again({ requestPolicy: 'network-only' });
    } else if (r.error) {
      const e = toApiError(r.error);
      setNote({ tone: 'error', text: e.code === 'BAD_USER_INPUT' ? e.serverMessage : messageFor(e, 'designer') });
    }
  };
  const show = (field: string | null | undefined, v: string | null | undefined) => {
    if (v == null) return '';
    if ((field === 'basePrice' || field === 'priceDelta' || field === 'amount') && /^-?\d+$/.test(v))
      return formatMoney({ amount: Number(v), currency: product.currency });
    if (field === 'discountBasisPoints' || field === 'depositBasisPoints') return formatBasisPoints(Number(v));
    return v || '(empty)';
  };
  return (
    <section aria-labelledby="diff-h" className="publish">
      {note ? <Notice tone={note.tone} testId="publish-note">{note.text}</Notice> : null}
      <div className="editor-head">
        <h2 id="diff-h">
          Draft against {product.catalogVersion ? `version ${product.catalogVersion}` : 'nothing published yet'}
        </h2>
        <button type="button" className="btn btn-primary" aria-disabled={busy || undefined} onClick={() => void publish()} data-testid="publish">
          Publish catalogue
        </button>
      </div>
      {diff.error ? <Notice tone="error">{messageFor(toApiError(diff.error), 'designer')}</Notice> : null}
      {diff.fetching && !diff.data ? <Loading label="Comparing" /> : null}
      {diff.data && !entries.length ? <p className="help">The draft is the published catalogue: nothing to publish.</p> : null}
      {entries.length ? (
        <table className="diff" data-testid="diff">
          <caption className="visually-hidden">What publishing changes</caption>
          <thead>
            <tr>
              <th scope="col">Change</th>
              <th scope="col">What</th>
              <th scope="col">Published</th>
              <th scope="col">Draft</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e, i) => (
              <tr key={i} className={`diff-${e.action.toLowerCase()}`}>
                <td>
                  <span className={`badge badge-${e.action.toLowerCase()}`}>{e.action.toLowerCase()}</span>
                </td>
                <th scope="row">
                  {ENTITY_NAMES[e.entity] ?? e.entity} <code>{e.key}</code>
                  {e.field ? ` · ${e.field}` : ''}
                </th>
                <td className="before">{show(e.field, e.before)}</td>
                <td className="after">{show(e.field, e.after)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

/** summarize reads an audit record's JSON into a short "name: value" line. */
function summarize(json: string | null | undefined): string {
  if (!json) return '';
  try {
    const o = JSON.parse(json) as Record<string, unknown>;
    const pick = ['key', 'name', 'label', 'expression', 'condition', 'min_quantity', 'minQuantity'];
    return pick
      .filter((k) => o[k] !== undefined && o[k] !== '')
      .map((k) => `${k}: ${String(o[k])}`)
      .join(' · ');
  } catch {
    return '';
  }
}

/** changedFields lists the fields that differ between two audit JSON records. */
function changedFields(before: string | null | undefined, after: string | null | undefined): string[] {
  try {
    const a = JSON.parse(before ?? '{}') as Record<string, unknown>;
    const b = JSON.parse(after ?? '{}') as Record<string, unknown>;
    return Object.keys(b).filter((k) => !['updated_at', 'updatedAt'].includes(k) && JSON.stringify(a[k]) !== JSON.stringify(b[k]));
  } catch {
    return [];
  }
}

/** History is the audit trail, newest first, in words. */
export function History({ product }: { product: Product }) {
  const [first, setFirst] = useState(30);
  const [res] = useQuery({ query: CatalogChangesQuery, variables: { productId: product.id, first }, requestPolicy: 'network-only' });
  const edges = (res.data?.catalogChanges.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []));
  const verb: Record<string, string> = { CREATE: 'created', UPDATE: 'changed', DELETE: 'deleted', PUBLISH: 'published' };
  return (
    <section aria-labelledby="hist-h">
      <h2 id="hist-h">History</h2>
      {res.error ? <Notice tone="error">{messageFor(toApiError(res.error), 'designer')}</Notice> : null}
      <ol className="history" data-testid="history">
        {edges.map((c) => {
          const fields = c.action === 'UPDATE' ? changedFields(c.before, c.after) : [];
          return (
            <li key={c.id}>
              <time dateTime={c.at}>{formatDateTime(c.at)}</time>
              <p>
                <strong>{c.actor}</strong> {verb[c.action] ?? c.action.toLowerCase()}{' '}
                {c.action === 'PUBLISH' ? 'the catalogue' : `${(ENTITY_NAMES[c.entity] ?? c.entity).toLowerCase()} ${summarize(c.after ?? c.before)}`}
                {fields.length ? <span className="help"> — {fields.join(', ')}</span> : null}
              </p>
            </li>
          );
        })}
      </ol>
      {res.data && edges.length < res.data.catalogChanges.totalCount ? (
        <button type="button" className="btn" onClick={() => setFirst((n) => n + 30)}>
          Older changes
        </button>
      ) : null}
    </section>
  );
}

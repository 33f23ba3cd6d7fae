import { useState } from 'react';
import { useQuery } from 'urql';
import type { DesignerShippingZonesQuery } from '../../gql/graphql';
import { Notice } from '../../components/Notice';
import { Loading } from '../../components/Spinner';
import { COUNTRIES } from '../../lib/countries';
import { messageFor, toApiError } from '../../lib/errors';
import { formatDateTime, formatMoney } from '../../lib/money';
import { useAction, useRun } from './Editors';
import { RecordForm, initialValues, type FieldSpec } from './RecordForm';
import {
  CreateShippingZoneMutation,
  DeleteShippingZoneMutation,
  ShippingZoneChangesQuery,
  ShippingZonesQuery,
  UpdateShippingZoneMutation,
} from './operations';

type Zone = DesignerShippingZonesQuery['shippingZones'][number];

/** The currencies a zone may be priced in (the API checks them too). */
const CURRENCIES = ['USD', 'EUR', 'GBP', 'CHF', 'JPY'];

const COUNTRY_NAME = new Map(COUNTRIES);
const REGION_NAMES = typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames(['en'], { type: 'region' }) : null;

/** countryName names an ISO code in English, or '' when it cannot. */
function countryName(code: string): string {
  if (COUNTRY_NAME.has(code)) return COUNTRY_NAME.get(code)!;
  try {
    const n = REGION_NAMES?.of(code);
    return n && n !== code ? n : '';
  } catch {
    return '';
  }
}

/** Words for the audit record's fields. */
const FIELD_WORDS: Record<string, string> = {
  name: 'name',
  countries: 'countries',
  rest_of_world: 'rest of world',
  transit_min_days: 'shortest transit',
  transit_max_days: 'longest transit',
  currency: 'currency',
  price: 'price',
};

/** parseCountries reads "fr, de ch" into ["FR", "DE", "CH"]; the API checks the codes. */
export function parseCountries(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((c) => c.trim().toUpperCase())
    .filter(Boolean);
}

/** countryList names a zone's countries, e.g. "France (FR), Germany (DE)". */
function countryList(codes: string[]): string {
  return codes.map((c) => (countryName(c) ? `${countryName(c)} (${c})` : c)).join(', ');
}

const SPECS: FieldSpec[] = [
  { name: 'name', label: 'Name', kind: 'text', required: true, help: 'What customers see, e.g. European Union.' },
  {
    name: 'countries',
    label: 'Countries (ISO codes)',
    kind: 'textarea',
    help: 'Two-letter ISO 3166-1 codes separated by commas, e.g. FR, DE, CH. A country belongs to one zone at most.',
  },
  { name: 'restOfWorld', label: 'Rest of world: ships to every country in no other zone', kind: 'bool' },
  { name: 'transitMinDays', label: 'Transit, shortest (business days)', kind: 'int' },
  { name: 'transitMaxDays', label: 'Transit, longest (business days)', kind: 'int' },
  { name: 'price', label: 'Shipping price per order', kind: 'money' },
];

/** zoneValues reads a zone into form values (countries as a comma list). */
function zoneValues(z: Zone | null, currency: string) {
  const v = initialValues(SPECS, z as unknown as Record<string, unknown> | null, currency, {
    transitMinDays: '2',
    transitMaxDays: '5',
  });
  if (z) v.countries = z.countries.join(', ');
  return v;
}

/**
 * ShippingZones is the studio's Shipping section: the zones (countries, carrier transit in
 * business days, price, rest-of-world flag), their creation, edits and deletion, and the trail
 * of those changes.
 */
export function ShippingZones() {
  const [res, refetch] = useQuery({ query: ShippingZonesQuery, requestPolicy: 'network-only' });
  const [first, setFirst] = useState(20);
  const [trail, refetchTrail] = useQuery({ query: ShippingZoneChangesQuery, variables: { first }, requestPolicy: 'network-only' });
  const changed = () => {
    refetch({ requestPolicy: 'network-only' });
    refetchTrail({ requestPolicy: 'network-only' });
  };
  const run = useRun(changed);
  const { act, notice } = useAction(changed);
  const [editing, setEditing] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const zones = res.data?.shippingZones ?? [];

  return (
    <div className="zones">
      <section className="editor-card" aria-labelledby="zones-h">
        <div className="editor-head">
          <h2 id="zones-h">Shipping zones ({zones.length})</h2>
          <button
            type="button"
            className="btn btn-small"
            aria-expanded={creating}
            onClick={() => {
              setCreating((v) => !v);
              setEditing(null);
              setSaved(null);
            }}
          >
            New zone
          </button>
        </div>
        <p className="help">
          Each order ships once, to its address country&apos;s zone: the zone listing the country, else the rest-of-world zone.
          Orders already placed keep the zone, transit and price they were placed with.
        </p>
        {res.error && !res.data ? <Notice tone="error">{messageFor(toApiError(res.error), 'designer')}</Notice> : null}
        {res.fetching && !res.data ? <Loading /> : null}
        {notice}
        {saved ? <Notice tone="success">{saved}</Notice> : null}
        {creating ? (
          <ZoneForm
            zone={null}
            onCancel={() => setCreating(false)}
            save={async (input) => {
              const err = await run(CreateShippingZoneMutation, { input: input as never });
              if (!err) {
                setCreating(false);
                setSaved(`Zone ${String(input.name)} created.`);
              }
              return err;
            }}
          />
        ) : null}
        <ul className="record-list zone-list" data-testid="zones">
          {zones.map((z) => (
            <li key={z.id} data-testid={`zone-${z.name}`}>
              <div className="editor-head">
                <div className="zone-summary">
                  <p>
                    <strong>{z.name}</strong>
                    {z.restOfWorld ? (
                      <>
                        {' '}
                        <span className="badge">rest of world</span>
                      </>
                    ) : null}
                  </p>
                  <p className="help">
                    {z.countries.length ? countryList(z.countries) : z.restOfWorld ? 'Every country in no other zone' : 'No country yet'}
                  </p>
                  <p>
                    {z.transitMinDays}–{z.transitMaxDays} business days · {formatMoney(z.price)}
                  </p>
                </div>
                <div className="zone-actions">
                  <button
                    type="button"
                    className="link-btn"
                    aria-label={`Edit ${z.name}`}
                    aria-expanded={editing === z.id}
                    onClick={() => {
                      setEditing(editing === z.id ? null : z.id);
                      setCreating(false);
                      setSaved(null);
                    }}
                  >
                    Edit
                  </button>
                  <button
                    type="button"
                    className="link-btn"
                    aria-label={`Delete ${z.name}`}
                    onClick={() => {
                      setSaved(null);
                      const fallback = z.restOfWorld ? 'no zone' : 'the rest-of-world zone, if any';
                      if (window.confirm(`Delete the zone ${z.name}? Its countries are then shipped to by ${fallback}.`))
                        void act(`Zone ${z.name} not deleted`, DeleteShippingZoneMutation, { id: z.id }).then((err) => {
                          if (!err) setSaved(`Zone ${z.name} deleted.`);
                        });
                    }}
                  >
                    Delete
                  </button>
                </div>
              </div>
              {editing === z.id ? (
                <ZoneForm
                  zone={z}
                  onCancel={() => setEditing(null)}
                  save={async (input) => {
                    const err = await run(UpdateShippingZoneMutation, { id: z.id, input: input as never });
                    if (!err) {
                      setEditing(null);
                      setSaved(`Zone ${String(input.name ?? z.name)} saved.`);
                    }
                    return err;
                  }}
                />
              ) : null}
            </li>
          ))}
        </ul>
      </section>
      <section className="editor-card" aria-labelledby="zones-hist-h">
        <h2 id="zones-hist-h">Zone history</h2>
        {trail.error && !trail.data ? <Notice tone="error">{messageFor(toApiError(trail.error), 'designer')}</Notice> : null}
        <ol className="history" data-testid="zone-history">
          {(trail.data?.shippingZoneChanges.edges ?? []).flatMap((e) => {
            const c = e?.node;
            if (!c) return [];
            const verb = { CREATE: 'created', UPDATE: 'changed', DELETE: 'deleted' }[c.action] ?? c.action.toLowerCase();
            return [
              <li key={c.id}>
                <time dateTime={c.at}>{formatDateTime(c.at)}</time>
                <p>
                  <strong>{c.actor}</strong> {verb} zone {zoneName(c.after ?? c.before)}
                  {c.action === 'UPDATE' ? <span className="help"> — {changedZoneFields(c.before, c.after).join(', ')}</span> : null}
                </p>
              </li>,
            ];
          })}
        </ol>
        {trail.data && (trail.data.shippingZoneChanges.edges?.length ?? 0) < trail.data.shippingZoneChanges.totalCount ? (
          <button type="button" className="btn" onClick={() => setFirst((n) => n + 20)}>
            Older changes
          </button>
        ) : null}
      </section>
    </div>
  );
}

function zoneName(json: string | null | undefined): string {
  try {
    return String((JSON.parse(json ?? '{}') as { name?: string }).name ?? '');
  } catch {
    return '';
  }
}

function changedZoneFields(before: string | null | undefined, after: string | null | undefined): string[] {
  try {
    const a = JSON.parse(before ?? '{}') as Record<string, unknown>;
    const b = JSON.parse(after ?? '{}') as Record<string, unknown>;
    return Object.keys(b)
      .filter((k) => !['updated_at', 'created_at'].includes(k) && JSON.stringify(a[k]) !== JSON.stringify(b[k]))
      .map((k) => FIELD_WORDS[k] ?? k.replace(/_/g, ' '));
  } catch {
    return [];
  }
}

/** ZoneForm creates or edits a zone; the API's field errors show at their field. */
function ZoneForm({
  zone,
  save,
  onCancel,
}: {
  zone: Zone | null;
  save(input: Record<string, unknown>): Promise<ReturnType<typeof toApiError> | null>;
  onCancel(): void;
}) {
  const [currency, setCurrency] = useState(zone?.currency ?? 'USD');
  const id = zone ? `zone-${zone.id}` : 'zone-new';
  return (
    <div className="zone-form">
      <div className="field">
        <label htmlFor={`${id}-currency`}>Currency of the price</label>
        <select id={`${id}-currency`} value={currency} onChange={(e) => setCurrency(e.target.value)}>
          {(CURRENCIES.includes(currency) ? CURRENCIES : [currency, ...CURRENCIES]).map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </div>
      <RecordForm
        id={id}
        specs={SPECS}
        initial={zoneValues(zone, currency)}
        currency={currency}
        sendAll={!zone || currency !== zone.currency}
        submitLabel={zone ? 'Save zone' : 'Create zone'}
        onCancel={onCancel}
        save={(input) => {
          const out: Record<string, unknown> = { ...input };
          if (typeof out.countries === 'string') out.countries = parseCountries(out.countries);
          if (!zone || currency !== zone.currency) out.currency = currency;
          return save(out);
        }}
      />
    </div>
  );
}

import { useState, type FormEvent } from 'react';
import { useClient, useQuery } from 'urql';
import { graphql } from '../../gql';
import { Notice } from '../../components/Notice';
import { messageFor, toApiError, type ApiError } from '../../lib/errors';

const BundlesQuery = graphql(`
  query DesignerBundles {
    bundles {
      id
      name
      minQuantity
      products {
        id
        name
      }
      tiers {
        minQuantity
        discountBasisPoints
      }
    }
  }
`);

const CreateBundleMutation = graphql(`
  mutation CreateBundle($input: BundleInput!) {
    createBundle(input: $input) {
      bundle {
        id
      }
    }
  }
`);

const UpdateBundleMutation = graphql(`
  mutation UpdateBundle($id: ID!, $input: BundleInput!) {
    updateBundle(id: $id, input: $input) {
      bundle {
        id
      }
    }
  }
`);

const DeleteBundleMutation = graphql(`
  mutation DeleteBundle($id: ID!) {
    deleteBundle(id: $id) {
      deletedId
    }
  }
`);

interface Draft {
  id: string | null;
  name: string;
  minQuantity: string;
  productIds: string[];
  tiers: string;
}

const EMPTY: Draft = { id: null, name: '', minQuantity: '5', productIds: [], tiers: '5:500, 10:1000, 20:1500' };

/** parseTiers reads "5:500, 10:1000" (pieces:basis points) into tiers, or null when it cannot. */
export function parseTiers(text: string): { minQuantity: number; discountBasisPoints: number }[] | null {
  const parts = text.split(',').map((p) => p.trim()).filter(Boolean);
  const out = [];
  for (const p of parts) {
    const m = /^(\d+)\s*:\s*(\d+)$/.exec(p);
    if (!m) return null;
    out.push({ minQuantity: Number(m[1]), discountBasisPoints: Number(m[2]) });
  }
  return out;
}

/**
 * Capsules edits bundles (capsule collections): products whose pieces count together towards a
 * minimum order and quantity tiers, across every product of the bundle.
 */
export function Capsules({ products }: { products: { id: string; name: string }[] }) {
  const client = useClient();
  const [res, refetch] = useQuery({ query: BundlesQuery, requestPolicy: 'network-only' });
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [error, setError] = useState<ApiError | string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const bundles = res.data?.bundles ?? [];

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setSaved(null);
    const tiers = parseTiers(draft.tiers);
    if (!tiers) {
      setError('Write tiers as pieces:basis points, separated by commas, e.g. 5:500, 10:1000.');
      return;
    }
    const input = { name: draft.name, minQuantity: Number(draft.minQuantity) || 1, productIds: draft.productIds, tiers };
    const r = draft.id
      ? await client.mutation(UpdateBundleMutation, { id: draft.id, input }).toPromise()
      : await client.mutation(CreateBundleMutation, { input }).toPromise();
    if (r.error) {
      setError(toApiError(r.error));
      return;
    }
    setSaved(`${draft.name} saved.`);
    setDraft(EMPTY);
    refetch({ requestPolicy: 'network-only' });
  };

  const remove = async (b: { id: string; name: string }) => {
    if (!window.confirm(`Delete the capsule ${b.name}? Its products stay; bags stop counting it; orders placed keep their prices.`))
      return;
    setError(null);
    setSaved(null);
    const r = await client.mutation(DeleteBundleMutation, { id: b.id }).toPromise();
    if (r.error) {
      setError(toApiError(r.error));
      return;
    }
    setSaved(`${b.name} deleted.`);
    if (draft.id === b.id) setDraft(EMPTY);
    refetch({ requestPolicy: 'network-only' });
  };

  return (
    <section className="editor-card capsules" aria-labelledby="capsules-h">
      <h2 id="capsules-h">Capsule collections ({bundles.length})</h2>
      <p className="help">
        Pieces of every product of a capsule count together towards its minimum and its tiers, whatever the design.
      </p>
      <ul className="record-list">
        {bundles.map((b) => (
          <li key={b.id}>
            <div className="editor-head">
              <p>
                <strong>{b.name}</strong> · minimum {b.minQuantity} · {(b.products ?? []).map((p) => p.name).join(', ')}
                <br />
                {b.tiers.map((t) => `${t.minQuantity}+ −${t.discountBasisPoints / 100}%`).join(' · ') || 'no tiers'}
              </p>
              <button
                type="button"
                className="link-btn"
                aria-label={`Edit ${b.name}`}
                onClick={() =>
                  setDraft({
                    id: b.id,
                    name: b.name,
                    minQuantity: String(b.minQuantity),
                    productIds: (b.products ?? []).map((p) => p.id),
                    tiers: b.tiers.map((t) => `${t.minQuantity}:${t.discountBasisPoints}`).join(', '),
                  })
                }
              >
                Edit
              </button>
              <button type="button" className="link-btn" aria-label={`Delete ${b.name}`} onClick={() => void remove(b)}>
                Delete
              </button>
            </div>
          </li>
        ))}
      </ul>
      {error ? <Notice tone="error">{typeof error === 'string' ? error : messageFor(error, 'designer')}</Notice> : null}
      {saved ? <Notice tone="success">{saved}</Notice> : null}
      <form onSubmit={(e) => void save(e)} aria-labelledby="capsule-form-h">
        <h3 id="capsule-form-h">{draft.id ? `Edit ${draft.name}` : 'New capsule'}</h3>
        <div className="field">
          <label htmlFor="cap-name">Name</label>
          <input id="cap-name" value={draft.name} required onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="cap-min">Minimum order (pieces across the capsule)</label>
          <input
            id="cap-min"
            type="number"
            min={1}
            max={500}
            value={draft.minQuantity}
            onChange={(e) => setDraft({ ...draft, minQuantity: e.target.value })}
          />
        </div>
        <fieldset>
          <legend>Products</legend>
          {products.map((p) => (
            <label key={p.id} className="capsule-product">
              <input
                type="checkbox"
                checked={draft.productIds.includes(p.id)}
                onChange={(e) =>
                  setDraft({
                    ...draft,
                    productIds: e.target.checked ? [...draft.productIds, p.id] : draft.productIds.filter((x) => x !== p.id),
                  })
                }
              />{' '}
              {p.name}
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor="cap-tiers">Tiers (pieces:basis points)</label>
          <input
            id="cap-tiers"
            value={draft.tiers}
            aria-describedby="cap-tiers-help"
            onChange={(e) => setDraft({ ...draft, tiers: e.target.value })}
          />
          <p className="help" id="cap-tiers-help">
            E.g. 5:500, 10:1000 — 5% off from 5 pieces, 10% from 10.
          </p>
        </div>
        <button type="submit" className="btn btn-primary">
          {draft.id ? 'Save capsule' : 'Create capsule'}
        </button>
        {draft.id ? (
          <button type="button" className="link-btn" onClick={() => setDraft(EMPTY)}>
            Cancel
          </button>
        ) : null}
      </form>
    </section>
  );
}

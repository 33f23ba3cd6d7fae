import { useState } from 'react';
import { useClient, useQuery } from 'urql';
import { Link, navigate } from '../../components/router';
import { Notice } from '../../components/Notice';
import { messageFor, toApiError, type ApiError } from '../../lib/errors';
import { bagId, saveBagId } from '../../lib/storage';
import { AddToBagMutation, BagLineIdsQuery, CreateBagMutation } from './operations';

/**
 * AddToBag puts the configuration in this device's bag (starting one when there is none or it
 * expired) and opens the bag. A configuration already in the bag, being edited, links back.
 */
export function AddToBag({ configurationId, quantity, complete }: { configurationId: string; quantity: number; complete: boolean }) {
  const client = useClient();
  const [stored] = useState(() => bagId());
  const [bag] = useQuery({ query: BagLineIdsQuery, variables: { id: stored ?? '' }, pause: !stored });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const current = bag.data?.bag;
  const inBag = current?.lines.some((l) => l.configurationId === configurationId);

  if (current && inBag) {
    return (
      <Link className="btn btn-block" href={`/bag/${encodeURIComponent(current.id)}`} data-testid="back-to-bag">
        Back to your bag · this piece is in it
      </Link>
    );
  }

  const add = async () => {
    if (busy || !complete) return;
    setBusy(true);
    setError(null);
    try {
      let id = current?.id ?? null;
      if (!id) {
        const created = await client.mutation(CreateBagMutation, {}).toPromise();
        id = created.data?.createBag.bag.id ?? null;
        if (!id) {
          setError(created.error ? toApiError(created.error) : null);
          return;
        }
        saveBagId(id);
      }
      const r = await client.mutation(AddToBagMutation, { input: { bagId: id, configurationId, quantity } }).toPromise();
      if (r.data) {
        navigate(`/bag/${encodeURIComponent(id)}`);
        return;
      }
      if (r.error) setError(toApiError(r.error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button
        type="button"
        className="btn btn-block"
        aria-disabled={busy || !complete || undefined}
        onClick={() => void add()}
        data-testid="add-to-bag"
      >
        {busy ? 'Adding to your bag…' : `Add to bag${current?.pieces ? ` · ${current.pieces} in it` : ''}`}
      </button>
      {error ? <Notice tone="error">{messageFor(error, 'configure')}</Notice> : null}
    </>
  );
}

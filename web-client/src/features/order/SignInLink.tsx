import { useEffect, useState } from 'react';
import { useClient } from 'urql';
import { graphql } from '../../gql';
import { Link, navigate } from '../../components/router';
import { Notice } from '../../components/Notice';
import { Loading } from '../../components/Spinner';
import { messageFor, toApiError, type ApiError } from '../../lib/errors';
import { privateLinkHref, saveOrderToken } from '../../lib/storage';

const RedeemMutation = graphql(`
  mutation RedeemSignInLink($input: RedeemSignInLinkInput!) {
    redeemSignInLink(input: $input) {
      order {
        id
      }
      orderToken
    }
  }
`);

/** SignInLink redeems a one-time "find my order" link, then opens the order with its token. */
export function SignInLink({ orderId, secret }: { orderId: string; secret: string }) {
  const client = useClient();
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    let cancelled = false;
    void client
      .mutation(RedeemMutation, { input: { token: secret } })
      .toPromise()
      .then((r) => {
        if (cancelled) return;
        const got = r.data?.redeemSignInLink;
        if (got) {
          saveOrderToken(got.order.id, got.orderToken);
          navigate(privateLinkHref(got.order.id, got.orderToken));
        } else if (r.error) setError(toApiError(r.error));
      });
    return () => {
      cancelled = true;
    };
  }, [client, secret, orderId]);
  if (!error) return <Loading label="Opening your order" />;
  return (
    <div className="page narrow">
      <Notice tone="error">{messageFor(error, 'order')}</Notice>
      <Link href="/find-order">Ask for a new link</Link>
    </div>
  );
}

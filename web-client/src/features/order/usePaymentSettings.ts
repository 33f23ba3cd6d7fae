import { useQuery } from 'urql';
import { graphql } from '../../gql';
import type { PaymentSettingsQuery } from '../../gql/graphql';

const PaymentSettingsDocument = graphql(`
  query PaymentSettings {
    paymentSettings {
      provider
      publishableKey
    }
  }
`);

/** usePaymentSettings is how the shop takes payments (undefined while loading). */
export function usePaymentSettings(): PaymentSettingsQuery['paymentSettings'] | undefined {
  const [res] = useQuery({ query: PaymentSettingsDocument });
  return res.data?.paymentSettings;
}

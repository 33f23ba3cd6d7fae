import { graphql, useFragment, type FragmentType } from '../../gql';
import { formatBasisPoints, formatMoney } from '../../lib/money';

export const PricePanelFragment = graphql(`
  fragment PricePanel_Price on Price {
    unit {
      amount
      currency
    }
    quantity
    subtotal {
      amount
      currency
    }
    discount {
      amount
      currency
    }
    total {
      amount
      currency
    }
    lines {
      label
      amount {
        amount
        currency
      }
    }
    tier
    tiers {
      minQuantity
      discountBasisPoints
    }
    depositDue {
      amount
      currency
    }
    balanceDue {
      amount
      currency
    }
  }
`);

/** PricePanel is the server's price: total, breakdown, tiers and the deposit split. */
export function PricePanel(props: { price: FragmentType<typeof PricePanelFragment> }) {
  const price = useFragment(PricePanelFragment, props.price);
  return (
    <section className="price" aria-labelledby="price-heading">
      <h2 id="price-heading" className="visually-hidden">
        Price
      </h2>
      <p className="price-total">
        <span className="price-total-amount" data-testid="price-total" aria-live="polite">
          {formatMoney(price.total)}
        </span>
        {price.quantity > 1 ? (
          <span className="price-per">
            {price.quantity} straps · {formatMoney(price.unit)} each
          </span>
        ) : null}
      </p>
      <details className="price-breakdown">
        <summary>Price breakdown</summary>
        <table>
          <tbody>
            {price.lines.map((l, i) => (
              <tr key={`${l.label}-${i}`}>
                <th scope="row">{l.label}</th>
                <td className={l.amount.amount < 0 ? 'neg' : undefined}>{formatMoney(l.amount)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Total</th>
              <td>{formatMoney(price.total)}</td>
            </tr>
          </tfoot>
        </table>
      </details>
      <dl className="deposit">
        <div>
          <dt>Deposit today</dt>
          <dd data-testid="deposit">{formatMoney(price.depositDue)}</dd>
        </div>
        <div>
          <dt>Balance before shipping</dt>
          <dd>{formatMoney(price.balanceDue)}</dd>
        </div>
      </dl>
      {price.tiers.length > 0 ? (
        <ul className="tiers" aria-label="Quantity pricing">
          {price.tiers.map((t) => (
            <li key={t.minQuantity} className={price.tier === t.minQuantity ? 'tier-on' : undefined}>
              <span>{t.minQuantity}+ straps</span>
              <span>{formatBasisPoints(t.discountBasisPoints)} off</span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

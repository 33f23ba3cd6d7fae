import { graphql, useFragment, type FragmentType } from '../../gql';
import { SvgPreview } from '../../components/SvgPreview';
import { formatMoney } from '../../lib/money';

export const OrderLinesFragment = graphql(`
  fragment OrderLines_Line on OrderLine {
    id
    position
    quantity
    productName
    previewSvg
    selections {
      group
      groupName
      option
      optionName
      text
    }
    unitPrice {
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
  }
`);

/**
 * OrderLines lists every configured piece of an order of several lines, each as frozen at
 * ordering (an order of one line shows that line as the order itself).
 */
export function OrderLines(props: { lines: FragmentType<typeof OrderLinesFragment>[]; showKeys?: boolean }) {
  const lines = useFragment(OrderLinesFragment, props.lines);
  return (
    <ol className="order-lines" data-testid="order-lines">
      {lines.map((l) => (
        <li key={l.id} className="order-line" data-testid="order-line">
          <SvgPreview svg={l.previewSvg} alt={`${l.productName} as ordered`} className="bag-preview" />
          <div>
            <h3>
              {l.position + 1}. {l.productName}
              {l.quantity > 1 ? ` × ${l.quantity}` : ''}
            </h3>
            <ul className="bag-choices">
              {l.selections.map((s, i) => (
                <li key={`${s.group}-${i}`}>
                  {s.groupName}: {s.text ? <span className="stamp">{s.text}</span> : (s.optionName ?? s.option)}
                  {props.showKeys ? (
                    <code>
                      {' '}
                      {s.group}
                      {s.option ? `=${s.option}` : ''}
                    </code>
                  ) : null}
                </li>
              ))}
            </ul>
            <p className="help">
              {formatMoney(l.unitPrice)} each
              {l.discount.amount > 0 ? ` · −${formatMoney(l.discount)}` : ''} · <strong>{formatMoney(l.total)}</strong>
            </p>
          </div>
        </li>
      ))}
    </ol>
  );
}

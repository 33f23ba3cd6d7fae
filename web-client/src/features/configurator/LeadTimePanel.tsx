import { useId } from 'react';
import { graphql, useFragment, type FragmentType } from '../../gql';
import { COUNTRIES } from '../../lib/countries';
import { formatDate, formatMoney } from '../../lib/money';

export const LeadTimePanelFragment = graphql(`
  fragment LeadTimePanel_LeadTime on LeadTime {
    minBusinessDays
    maxBusinessDays
    shipsEarliest
    shipsLatest
    destination
    shippingZone
    arrivesEarliest
    arrivesLatest
    shipping {
      amount
      currency
    }
    closureNotice
  }
`);

function range(a: string, b: string): string {
  return a === b ? formatDate(a) : `${formatDate(a)} – ${formatDate(b)}`;
}

/**
 * LeadTimePanel is the build window, the ship-date range and, once a destination is chosen, the
 * arrival window with its shipping price; a workshop closure in the window is explained.
 */
export function LeadTimePanel(props: {
  leadTime: FragmentType<typeof LeadTimePanelFragment>;
  busy?: boolean;
  onDestination?: (country: string) => void;
}) {
  const lt = useFragment(LeadTimePanelFragment, props.leadTime);
  const selectId = useId();
  const window =
    lt.minBusinessDays === lt.maxBusinessDays
      ? `${lt.minBusinessDays} working days`
      : `${lt.minBusinessDays}–${lt.maxBusinessDays} working days`;
  return (
    <div className="leadtime-panel">
      <dl className="leadtime" data-testid="leadtime">
        <div>
          <dt>Made by hand in</dt>
          <dd>{window}</dd>
        </div>
        <div>
          <dt>Ships</dt>
          <dd>{range(lt.shipsEarliest, lt.shipsLatest)}</dd>
        </div>
        {lt.arrivesEarliest && lt.arrivesLatest ? (
          <div>
            <dt>Arrives</dt>
            <dd data-testid="arrival">
              {range(lt.arrivesEarliest, lt.arrivesLatest)}
              {lt.shipping ? ` · shipping ${formatMoney(lt.shipping)}` : ''}
            </dd>
          </div>
        ) : null}
      </dl>
      {lt.closureNotice ? (
        <p className="closure-notice" data-testid="closure-notice">
          {lt.closureNotice}.
        </p>
      ) : null}
      {props.onDestination ? (
        <div className="field destination">
          <label htmlFor={selectId}>Ship to</label>
          <select
            id={selectId}
            data-testid="destination"
            value={lt.destination ?? ''}
            aria-disabled={props.busy || undefined}
            onChange={(e) => props.onDestination?.(e.target.value)}
          >
            <option value="">Choose a country…</option>
            {COUNTRIES.map(([code, name]) => (
              <option key={code} value={code}>
                {name}
              </option>
            ))}
          </select>
        </div>
      ) : null}
    </div>
  );
}

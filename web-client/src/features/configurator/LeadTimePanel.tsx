import { graphql, useFragment, type FragmentType } from '../../gql';
import { formatDate } from '../../lib/money';

export const LeadTimePanelFragment = graphql(`
  fragment LeadTimePanel_LeadTime on LeadTime {
    minBusinessDays
    maxBusinessDays
    shipsEarliest
    shipsLatest
  }
`);

/** LeadTimePanel is the build window and the ship-date range. */
export function LeadTimePanel(props: { leadTime: FragmentType<typeof LeadTimePanelFragment> }) {
  const lt = useFragment(LeadTimePanelFragment, props.leadTime);
  const window =
    lt.minBusinessDays === lt.maxBusinessDays
      ? `${lt.minBusinessDays} working days`
      : `${lt.minBusinessDays}–${lt.maxBusinessDays} working days`;
  return (
    <dl className="leadtime" data-testid="leadtime">
      <div>
        <dt>Made by hand in</dt>
        <dd>{window}</dd>
      </div>
      <div>
        <dt>Ships</dt>
        <dd>
          {lt.shipsEarliest === lt.shipsLatest
            ? formatDate(lt.shipsEarliest)
            : `${formatDate(lt.shipsEarliest)} – ${formatDate(lt.shipsLatest)}`}
        </dd>
      </div>
    </dl>
  );
}

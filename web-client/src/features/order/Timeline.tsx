import { formatDateTime, localizeAmounts } from '../../lib/money';
import { statusLabel, timelineSteps, type TimelineEvent } from '../../lib/timeline';

/** Timeline is the build, step by step, as the workshop records it. */
export function Timeline({
  events,
  status,
  seqs,
  approval = false,
}: {
  events: TimelineEvent[];
  status: string;
  seqs?: number[];
  /** The order waits for its customer's approval of a proof before production. */
  approval?: boolean;
}) {
  const steps = timelineSteps(events, status, approval);
  return (
    <ol
      className="timeline"
      data-testid="timeline"
      data-seqs={(seqs ?? events.map((e) => e.seq)).join(',')}
      aria-label="Build timeline"
    >
      {steps.map((s) => (
        <li
          key={s.status}
          className={`step step-${s.state}`}
          data-testid={`step-${s.status}`}
          data-state={s.state}
          aria-current={s.state === 'current' ? 'step' : undefined}
        >
          <span className="step-dot" aria-hidden="true" />
          <div className="step-body">
            <p className="step-title">
              {statusLabel(s.status)}
              {s.visits > 1 ? <span className="step-visits"> · {s.visits}×</span> : null}
            </p>
            {s.event ? (
              <p className="step-meta">
                <time dateTime={s.event.at}>{formatDateTime(s.event.at)}</time>
                {s.event.note ? <span className="step-note"> — {localizeAmounts(s.event.note)}</span> : null}
                {s.event.trackingNumber ? <span className="step-track"> · Tracking {s.event.trackingNumber}</span> : null}
              </p>
            ) : s.state === 'upcoming' ? null : null}
          </div>
        </li>
      ))}
    </ol>
  );
}

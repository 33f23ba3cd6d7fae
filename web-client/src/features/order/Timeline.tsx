import { useMemo, useState } from 'react';
import { formatDateTime, localizeAmounts } from '../../lib/money';
import { statusLabel, timelineSteps, type TimelineEvent } from '../../lib/timeline';
import { PhotoStrip, PhotoViewer } from './PhotoViewer';

/** Timeline is the build, step by step, as the workshop records it, with the photos it posts. */
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
  // Every photo of the timeline, oldest first: the viewer moves through all of them.
  const photos = useMemo(() => [...events].sort((a, b) => a.seq - b.seq).flatMap((e) => e.photos ?? []), [events]);
  const [open, setOpen] = useState<number | null>(null);
  const openPhoto = (id: string) => setOpen(Math.max(0, photos.findIndex((p) => p.id === id)));
  return (
    <>
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
              ) : null}
              {s.event?.photos?.length ? <PhotoStrip photos={s.event.photos} onOpen={openPhoto} /> : null}
              {s.updates.map((u) => (
                <div key={u.seq} className="step-update" data-testid="step-update">
                  <p className="step-meta">
                    <time dateTime={u.at}>{formatDateTime(u.at)}</time>
                    {u.note ? <span className="step-note"> — {u.note}</span> : null}
                  </p>
                  <PhotoStrip photos={u.photos ?? []} onOpen={openPhoto} />
                </div>
              ))}
            </div>
          </li>
        ))}
      </ol>
      {open !== null && photos.length ? (
        <PhotoViewer photos={photos} index={Math.min(open, photos.length - 1)} onIndex={setOpen} onClose={() => setOpen(null)} />
      ) : null}
    </>
  );
}

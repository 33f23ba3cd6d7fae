import { useEffect, useRef, type PointerEvent } from 'react';
import type { TimelinePhoto } from '../../lib/timeline';

/** PhotoStrip is a row of thumbnails; each opens the viewer. */
export function PhotoStrip({ photos, onOpen }: { photos: readonly TimelinePhoto[]; onOpen(id: string): void }) {
  if (!photos.length) return null;
  return (
    <ul className="photo-strip" data-testid="photo-strip">
      {photos.map((p, i) => (
        <li key={p.id}>
          <button type="button" className="photo-thumb" onClick={() => onOpen(p.id)} aria-label={`Open photo ${i + 1} of ${photos.length}`}>
            <img src={p.thumb} width={p.thumbWidth} height={p.thumbHeight} alt="" loading="lazy" decoding="async" data-testid="photo-thumb" />
          </button>
        </li>
      ))}
    </ul>
  );
}

/**
 * PhotoViewer shows one photo large in a modal dialog: previous/next buttons, arrow keys and a
 * swipe move through the photos, Escape or the close button closes it (the native dialog keeps
 * focus inside and gives it back to the thumbnail).
 */
export function PhotoViewer({
  photos,
  index,
  onIndex,
  onClose,
}: {
  photos: readonly TimelinePhoto[];
  index: number;
  onIndex(i: number): void;
  onClose(): void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const startX = useRef<number | null>(null);
  const photo = photos[index];
  const count = photos.length;
  const go = (delta: number) => onIndex((index + delta + count) % count);

  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);

  if (!photo) return null;
  const down = (e: PointerEvent) => {
    startX.current = e.clientX;
  };
  const up = (e: PointerEvent) => {
    if (startX.current === null) return;
    const dx = e.clientX - startX.current;
    startX.current = null;
    if (Math.abs(dx) > 50 && count > 1) go(dx < 0 ? 1 : -1);
  };
  return (
    <dialog
      ref={ref}
      className="photo-viewer"
      aria-label={`Photo ${index + 1} of ${count}`}
      data-testid="photo-viewer"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onKeyDown={(e) => {
        if (e.key === 'ArrowRight' && count > 1) go(1);
        if (e.key === 'ArrowLeft' && count > 1) go(-1);
      }}
    >
      <div className="photo-viewer-bar">
        <p aria-live="polite">
          Photo {index + 1} of {count}
        </p>
        <button type="button" className="btn btn-ghost" onClick={onClose} autoFocus>
          Close
        </button>
      </div>
      <div className="photo-viewer-stage" onPointerDown={down} onPointerUp={up} onPointerCancel={() => (startX.current = null)}>
        <img src={photo.url} width={photo.width} height={photo.height} alt={`Workshop photo ${index + 1} of ${count}`} draggable={false} />
      </div>
      {count > 1 ? (
        <div className="photo-viewer-nav">
          <button type="button" className="btn btn-ghost" onClick={() => go(-1)} aria-label="Previous photo">
            ← Previous
          </button>
          <button type="button" className="btn btn-ghost" onClick={() => go(1)} aria-label="Next photo">
            Next →
          </button>
        </div>
      ) : null}
    </dialog>
  );
}

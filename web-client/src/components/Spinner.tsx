/** Loading is a quiet placeholder while data arrives. */
export function Loading({ label = 'Loading' }: { label?: string }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="loading-dot" aria-hidden="true" />
      {label}…
    </div>
  );
}

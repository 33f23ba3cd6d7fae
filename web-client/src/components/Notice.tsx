import type { ReactNode } from 'react';

/** Notice is a message band: errors are alerts (announced at once), the rest polite. */
export function Notice({
  tone = 'info',
  children,
  action,
  testId,
}: {
  tone?: 'info' | 'error' | 'success' | 'warning';
  children: ReactNode;
  action?: ReactNode;
  testId?: string;
}) {
  return (
    <div
      className={`notice notice-${tone}`}
      role={tone === 'error' ? 'alert' : 'status'}
      data-testid={testId}
    >
      <div className="notice-body">{children}</div>
      {action ? <div className="notice-action">{action}</div> : null}
    </div>
  );
}

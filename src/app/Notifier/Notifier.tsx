import { useAppStore } from '../state/store';

/** One line per error or notice, dismissable; errors are announced assertively. */
export function Notifier() {
  const notices = useAppStore((s) => s.notices);
  const dismiss = useAppStore((s) => s.dismiss);
  if (!notices.length) return null;
  return (
    <ul className="notices" data-testid="notices">
      {notices.map((n) => (
        <li key={n.id} className={n.kind} role={n.kind === 'error' ? 'alert' : 'status'} data-testid={n.kind === 'error' ? 'error' : 'notice'}>
          <span>{n.message}</span>
          <button type="button" aria-label="Dismiss" onClick={() => dismiss(n.id)}>
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}

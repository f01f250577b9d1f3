import { useAppStore } from '../state/store';

/** Keyboard shortcuts, as the `?` key shows them. */
export const SHORTCUTS: [string, string][] = [
  ['n', 'label the selection normal'],
  ['a', 'label the selection anomalous'],
  ['c', 'clear the label'],
  ['j / →', 'next image'],
  ['k / ←', 'previous image'],
  ['u / Ctrl+Z', 'undo the last label'],
  ['s', 'label next: show the images whose label teaches the detector most, focus the first'],
  ['t', 'train Deep SAD again from scratch'],
  ['?', 'show or hide this help'],
  ['Esc', 'close this help'],
];

/** The help overlay listing every shortcut. */
export function HelpOverlay() {
  const open = useAppStore((s) => s.helpOpen);
  const setHelpOpen = useAppStore((s) => s.setHelpOpen);
  if (!open) return null;
  return (
    <div className="help" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts" data-testid="help-overlay">
      <h2>Keyboard shortcuts</h2>
      <table>
        <tbody>
          {SHORTCUTS.map(([k, what]) => (
            <tr key={k}>
              <th scope="row">
                <kbd>{k}</kbd>
              </th>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" autoFocus onClick={() => setHelpOpen(false)}>
        Close
      </button>
    </div>
  );
}

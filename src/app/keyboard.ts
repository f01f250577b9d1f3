/** Keyboard-first labeling: one window listener mapping keys to the same actions the buttons call. */
import { useEffect, useRef } from 'react';
import { labelNext, labelSelected, moveFocus, undoLabel } from './actions/label';
import { startTraining } from './actions/detector';
import { useAppStore } from './state/store';

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  const tag = el.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable;
}

/** Handles one key press against the gallery's current `order`; returns true when it used the key. */
export function handleKey(ev: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'target'>, order: string[]): boolean {
  if (typing(ev.target) || ev.altKey) return false;
  const s = useAppStore.getState();
  if ((ev.ctrlKey || ev.metaKey) && ev.key.toLowerCase() === 'z') {
    undoLabel();
    return true;
  }
  if (ev.ctrlKey || ev.metaKey) return false;
  switch (ev.key) {
    case 'n':
      labelSelected('normal', order);
      return true;
    case 'a':
      labelSelected('anomalous', order);
      return true;
    case 'c':
      labelSelected(null, order);
      return true;
    case 'j':
    case 'ArrowRight':
      moveFocus(1, order);
      return true;
    case 'k':
    case 'ArrowLeft':
      moveFocus(-1, order);
      return true;
    case 'u':
      undoLabel();
      return true;
    case 's':
      labelNext();
      return true;
    case 't':
      void startTraining();
      return true;
    case '?':
      s.setHelpOpen(!s.helpOpen);
      return true;
    case 'Escape':
      if (s.helpOpen) s.setHelpOpen(false);
      return s.helpOpen;
    default:
      return false;
  }
}

/** Installs the window key listener for the component's lifetime. */
export function useKeyboard(order: string[]): void {
  const orderRef = useRef(order);
  orderRef.current = order;
  useEffect(() => {
    const onKey = (ev: KeyboardEvent) => {
      if (handleKey(ev, orderRef.current)) ev.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

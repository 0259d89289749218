"use client";

import { useEffect, useId, useRef, useState } from "react";
import { Alert } from "~/app/components/form-messages";

/**
 * A modal `<dialog>`, open while rendered: the browser traps focus in it, Escape closes it
 * (`onClose`), and focus returns to what opened it. Closing by a button calls `onClose` too.
 */
export function ModalDialog({
  title,
  onClose,
  children,
}: {
  title: string;
  onClose: () => void;
  children: (titleId: string) => React.ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {children(titleId)}
    </dialog>
  );
}

/**
 * What waits for a `ConfirmDialog` (null: none is open) and why the last try failed. `ask` opens
 * it for an item, without the error of an earlier one; `close` closes it.
 */
export function useConfirmation<T>() {
  const [target, setTarget] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  return {
    target,
    error,
    setError,
    ask(item: T) {
      setError(null);
      setTarget(item);
    },
    close: () => setTarget(null),
  };
}

/**
 * Asks before something that cannot be undone. The confirm button says what it does ("Delete
 * user"); the error, if the action failed, is shown inside the dialog.
 */
export function ConfirmDialog({
  title,
  confirmLabel,
  pending,
  error,
  onConfirm,
  onClose,
  children,
}: {
  title: string;
  confirmLabel: string;
  pending: boolean;
  error: string | null;
  onConfirm: () => void;
  onClose: () => void;
  children: React.ReactNode;
}) {
  return (
    <ModalDialog title={title} onClose={onClose}>
      {() => (
        <>
          {children}
          <Alert message={error} />
          <div className="dialog-actions">
            <button type="button" className="button danger" onClick={onConfirm} disabled={pending}>
              {pending ? "Working…" : confirmLabel}
            </button>
            <button type="button" className="button secondary" onClick={onClose} autoFocus>
              Cancel
            </button>
          </div>
        </>
      )}
    </ModalDialog>
  );
}

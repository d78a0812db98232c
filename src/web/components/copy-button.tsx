import { useEffect, useState } from 'react';

const FEEDBACK_MS = 1500;

const BUTTON_LABELS = { idle: 'Copy', copied: 'Copied', failed: 'Copy failed' } as const;

interface CopyButtonProps {
  text: string;
  /** Accessible name, as "Copy DSN". */
  label?: string;
}

/** Renders a button that copies `text` to the clipboard and briefly confirms it. */
export function CopyButton({ text, label = 'Copy' }: CopyButtonProps) {
  const [state, setState] = useState<keyof typeof BUTTON_LABELS>('idle');

  useEffect(() => {
    if (state === 'idle') {
      return undefined;
    }

    const timer = setTimeout(() => {
      setState('idle');
    }, FEEDBACK_MS);
    return () => {
      clearTimeout(timer);
    };
  }, [state]);

  async function handleClick() {
    const copied = await copyText(text);
    setState(copied ? 'copied' : 'failed');
  }

  return (
    <button
      type="button"
      className="button button-small copy-button"
      aria-label={label}
      title={label}
      onClick={() => void handleClick()}
    >
      {BUTTON_LABELS[state]}
    </button>
  );
}

/**
 * Copies text with the Clipboard API. Browsers expose that API only in secure contexts, and a
 * self-hosted Picket is often served over plain HTTP, so this falls back to selecting the text
 * in a hidden text area and running the legacy copy command.
 */
async function copyText(text: string): Promise<boolean> {
  if (window.isSecureContext && 'clipboard' in navigator) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // The page lacks clipboard permission: try the legacy command below instead.
    }
  }

  const textArea = document.createElement('textarea');
  textArea.value = text;
  textArea.setAttribute('readonly', '');
  textArea.style.position = 'fixed';
  textArea.style.opacity = '0';
  document.body.append(textArea);
  textArea.select();

  try {
    // execCommand is deprecated, but it is the only copy path outside secure contexts.
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- fallback for plain HTTP
    return document.execCommand('copy');
  } finally {
    textArea.remove();
  }
}

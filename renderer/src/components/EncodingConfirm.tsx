/**
 * A file that is not valid UTF-8 is read in a guessed encoding; nothing is imported or
 * applied until the user has seen a line decoded that way and confirmed it (or chosen
 * another encoding, where the screen offers a choice: `otherwise` says what to do instead).
 */
import type { TextEncoding } from '../../../shared/contract';
import './encoding-confirm.css';

export function EncodingConfirm({
  encoding,
  sample,
  onConfirm,
  otherwise = 'choose another encoding above',
}: Readonly<{
  encoding: TextEncoding;
  sample: string;
  onConfirm: (encoding: TextEncoding) => void;
  otherwise?: string;
}>) {
  return (
    <div className="encoding-confirm" role="alert" data-testid="encoding-confirm">
      <p>
        This file is not UTF-8 text. Read as <strong>{encoding}</strong>, one of its lines says:
      </p>
      <blockquote>{sample}</blockquote>
      <p>If the accents and symbols look right, confirm; if not, {otherwise}.</p>
      <button type="button" className="btn" onClick={() => onConfirm(encoding)}>
        It reads correctly: use {encoding}
      </button>
    </div>
  );
}

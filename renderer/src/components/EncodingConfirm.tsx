/**
 * A file that is not valid UTF-8 is read in a guessed encoding; nothing is imported until
 * the user has seen a line decoded that way and confirmed it (or chosen another encoding).
 */
import type { TextEncoding } from '../../../../shared/contract';

export function EncodingConfirm({
  encoding,
  sample,
  onConfirm,
}: Readonly<{ encoding: TextEncoding; sample: string; onConfirm: (encoding: TextEncoding) => void }>) {
  return (
    <div className="encoding-confirm" role="alert" data-testid="encoding-confirm">
      <p>
        This file is not UTF-8 text. Read as <strong>{encoding}</strong>, one of its lines says:
      </p>
      <blockquote>{sample}</blockquote>
      <p>If the accents and symbols look right, confirm; if not, choose another encoding above.</p>
      <button type="button" className="btn" onClick={() => onConfirm(encoding)}>
        It reads correctly: use {encoding}
      </button>
    </div>
  );
}

import { when } from '../lib/format';
import { CopyButton } from './bits';

interface SecretOnceProps {
  title: string;
  secret: string;
  previousValidUntil?: number | null | undefined;
  onDone(): void;
}

/** A secret shown the one time the engine hands it out. */
export function SecretOnce({ title, secret, previousValidUntil, onDone }: SecretOnceProps) {
  return (
    <section className="card secret-once" aria-label="Secret shown once">
      <h3>{title}</h3>
      <p>Copy it now: Hookbench stores it encrypted and will not show it again. Paste it into the receiving service's signature check.</p>
      <div className="secret-row">
        <code data-testid="shown-secret">{secret}</code>
        <CopyButton text={secret} label="Copy secret" />
      </div>
      {previousValidUntil ? (
        <p className="muted">The previous secret keeps signing alongside the new one until {when(previousValidUntil)}, so the receiver can switch without dropping messages.</p>
      ) : null}
      <button type="button" className="btn btn-primary" onClick={onDone}>
        I have copied it
      </button>
    </section>
  );
}

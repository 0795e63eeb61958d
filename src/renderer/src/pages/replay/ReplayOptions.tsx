import { Field } from '../../components/Field';
import { RadioGroup } from '../../components/RadioGroup';
import { Tabs } from '../../components/Tabs';
import { requestLine, shown } from '../../lib/bytes';
import { deliveryIdOf } from '../../../../shared/header-names';
import { guessDialect } from '../../lib/replay-request';
import { useDialects } from '../../stores/dialects-store';
import { inboxName, useInboxes } from '../../stores/inboxes-store';
import { packageName, usePackages } from '../../stores/packages-store';
import { INBOX_TARGET, useReplay, type ReplayMode, type ReplaySource } from '../../stores/replay-store';

const MODES: { id: ReplayMode; label: string; what: string }[] = [
  { id: 'exact', label: 'Exact', what: 'The original headers and body bytes, signature and all, exactly as captured.' },
  { id: 'resign', label: 'Re-signed', what: 'The original body, signed afresh in a dialect with a secret and a new timestamp.' },
  { id: 'edit', label: 'Edited', what: 'Change the body and headers first; then it is signed (optional for a URL).' },
];

/** Mode, target, id and signing: everything but the editor. */
export function ReplayOptions({ source }: { source: ReplaySource }) {
  const form = useReplay((s) => s.form);
  const edit = useReplay((s) => s.edit);
  const packages = usePackages((s) => s.packages);
  const inboxes = useInboxes((s) => s.inboxes);
  const dialects = useDialects((s) => s.dialects);
  const id = deliveryIdOf(source.headers);
  const intoHookbench = form.target === 'hookbench';
  const provider = packages.find((p) => p.id === (form.packageId || source.packageId))?.provider;
  const inboxId = form.packageId.startsWith(INBOX_TARGET) ? form.packageId.slice(INBOX_TARGET.length) : form.packageId ? null : (source.inboxId ?? null);
  const inbox = inboxes.find((i) => i.id === inboxId);
  const guessed = guessDialect(source.headers, dialects);
  const defaultDialect = intoHookbench
    ? inbox
      ? `The inbox's own (${inbox.dialect})`
      : `The package's own (${provider ?? '—'})`
    : form.mode === 'edit'
      ? "Don't re-sign"
      : `Detected${guessed ? ` (${guessed})` : ': none'}`;

  return (
    <div className="replay-options">
      <div className="row wrap">
        <Tabs<ReplayMode> label="Replay mode" value={form.mode} onChange={(mode) => edit({ mode })} options={MODES} />
        <span className="muted">{MODES.find((m) => m.id === form.mode)!.what}</span>
      </div>
      <div className="form-grid">
        <div className="stack">
          <RadioGroup
            legend="Send it to"
            value={form.target}
            onChange={(target) => edit({ target })}
            options={[
              { id: 'hookbench', label: 'This Hookbench', disabled: packages.length === 0 && inboxes.length === 0 && !source.packageId },
              { id: 'url', label: 'A URL' },
            ]}
          />
          {intoHookbench ? (
            <Field
              label="Hook"
              hint={
                inbox
                  ? `The inbox takes it as it takes any request${source.method ? `, with its method and path (${requestLine(source)})` : ''}: verified and kept.`
                  : 'The receiver treats it as a call from the provider: verified, deduped and ingested.'
              }
            >
              {(fid) => (
                <select id={fid} value={form.packageId} onChange={(e) => edit({ packageId: e.target.value })}>
                  {source.packageId ? <option value="">The original hook ({packageName(packages, source.packageId)})</option> : null}
                  {source.inboxId ? <option value="">The original inbox ({inboxName(inboxes, source.inboxId)})</option> : null}
                  {packages
                    .filter((p) => p.id !== source.packageId)
                    .map((p) => (
                      <option key={p.id} value={p.id}>
                        {p.name} ({p.provider})
                      </option>
                    ))}
                  {inboxes
                    .filter((i) => i.id !== source.inboxId)
                    .map((i) => (
                      <option key={i.id} value={INBOX_TARGET + i.id}>
                        Inbox {i.name} ({i.dialect})
                      </option>
                    ))}
                </select>
              )}
            </Field>
          ) : (
            <Field label="URL" hint={source.method ? `Sent as ${source.method}; the captured path and query (${requestLine({ path: source.path }).trim()}) go after this URL's own.` : undefined}>
              {(fid) => (
                <input
                  id={fid}
                  className="mono"
                  value={form.url}
                  placeholder="http://127.0.0.1:9000/webhook"
                  spellCheck={false}
                  onChange={(e) => edit({ url: e.target.value })}
                />
              )}
            </Field>
          )}
        </div>
        <RadioGroup
          legend="Delivery id"
          value={form.newId ? 'new' : 'keep'}
          onChange={(v) => edit({ newId: v === 'new' })}
          options={[
            {
              id: 'keep',
              label: (
                <span>
                  Keep the original <span className="mono muted">{shown(id) || '(none)'}</span>
                  <span className="muted"> · tests the receiver's dedupe</span>
                </span>
              ),
            },
            { id: 'new', label: 'Mint a new one' },
          ]}
        />
      </div>
      {form.mode !== 'exact' ? (
        <div className="form-grid">
          <Field label="Dialect">
            {(fid) => (
              <select id={fid} value={form.dialect} onChange={(e) => edit({ dialect: e.target.value })}>
                <option value="">{defaultDialect}</option>
                {dialects.map((d) => (
                  <option key={d.name} value={d.name}>
                    {d.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Secret" hint={intoHookbench ? `Leave empty to sign with the ${inbox ? 'inbox' : 'package'}'s own secret.` : 'The secret the receiver checks signatures with.'}>
            {(fid) => (
              <input
                id={fid}
                className="mono"
                value={form.secret}
                spellCheck={false}
                autoComplete="off"
                placeholder={intoHookbench ? `the ${inbox ? 'inbox' : 'package'}'s secret` : ''}
                onChange={(e) => edit({ secret: e.target.value })}
              />
            )}
          </Field>
        </div>
      ) : null}
    </div>
  );
}

import type { PackageConnected, PackageCreated, Provider } from '../../../../shared/types';
import { CopyButton } from '../../components/bits';
import { useNav } from '../../stores/nav-store';

/** 127.0.0.1, localhost, ::1: addresses a provider on the internet cannot reach. */
export function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host.endsWith('.localhost') || /^127\./.test(host) || host === '::1';
  } catch {
    return false;
  }
}

/** The settings the provider's webhook form asks for, as `package add` prints them. */
function ProviderSettings({ provider }: { provider: Provider }) {
  return provider === 'github' ? (
    <ul className="settings-list" data-testid="provider-settings">
      <li>Payload URL: the hook URL above</li>
      <li>
        Content type: <code>application/json</code>
      </li>
      <li>Secret: the secret above</li>
      <li>Which events: “Just the push event” (tag pushes arrive as pushes)</li>
    </ul>
  ) : (
    <ul className="settings-list" data-testid="provider-settings">
      <li>URL: the hook URL above</li>
      <li>Secret token: the secret above</li>
      <li>Trigger: Tag push events</li>
    </ul>
  );
}

export function PackageCreatedCard({ created, provider, onDone }: { created: PackageCreated | PackageConnected; provider: Provider; onDone(): void }) {
  const go = useNav((s) => s.go);
  const byHand = !('registered' in created) || !created.registered;
  return (
    <section className="card" aria-label="Package created">
      <h3>Package added — copy the secret now</h3>
      {'registered' in created ? (
        <p data-testid="created-upstream">
          {created.registered
            ? `Hookbench created the hook on ${created.repo} through the connection; the provider pings it now. The secret is shown this once.`
            : `The hook could not be created upstream: ${created.hook.statusReason ?? 'no reason given'}. Paste the URL and secret into the repository's webhook settings, or fix the connection and rotate.`}
        </p>
      ) : (
        <p>It is shown this once. Paste the URL and secret into the repository's webhook settings.</p>
      )}
      <dl className="kv">
        <dt>Hook URL</dt>
        <dd>
          <code data-testid="created-hook-url">{created.hookUrl}</code> <CopyButton text={created.hookUrl} />
        </dd>
        <dt>Secret</dt>
        <dd>
          <code data-testid="created-secret">{created.secret}</code> <CopyButton text={created.secret} />
        </dd>
        {provider === 'gitlab' ? (
          <>
            <dt>Signing token</dt>
            <dd>
              <code>{created.signingToken}</code> <CopyButton text={created.signingToken} />
            </dd>
          </>
        ) : null}
      </dl>
      {byHand ? <ProviderSettings provider={provider} /> : null}
      {isLoopbackUrl(created.hookUrl) ? (
        <p className="note-box" data-testid="loopback-note">
          This URL is on this machine only: {provider === 'github' ? 'GitHub' : 'GitLab'} cannot reach it from the internet.{' '}
          <button type="button" className="link" onClick={() => go('tunnel')}>
            Open a tunnel
          </button>{' '}
          to get a public address that forwards here; hook URLs then point at it.
        </p>
      ) : null}
      <button type="button" className="btn" onClick={onDone}>
        Done
      </button>
    </section>
  );
}

import { Empty } from '../../components/bits';
import { SecretOnce } from '../../components/SecretOnce';
import { useEndpoints } from '../../stores/endpoints-store';
import { EndpointDetail } from './EndpointDetail';
import { EndpointForm } from './EndpointForm';

/** The right-hand side: a secret to copy, a form, an endpoint, or the first step. */
export function EndpointsMain() {
  const endpoints = useEndpoints((s) => s.endpoints);
  const loaded = useEndpoints((s) => s.loaded);
  const selectedId = useEndpoints((s) => s.selectedId);
  const mode = useEndpoints((s) => s.mode);
  const secret = useEndpoints((s) => s.secret);
  const { showSecret, setMode } = useEndpoints.getState();
  const current = endpoints.find((e) => e.id === selectedId);

  if (secret) {
    return (
      <SecretOnce
        title={secret.reason === 'created' ? 'Endpoint created: here is its signing secret' : 'Secret rotated: here is the new one'}
        secret={secret.secret}
        previousValidUntil={secret.previousSecretValidUntil}
        onDone={() => showSecret(null)}
      />
    );
  }
  if (mode.kind === 'create') return <EndpointForm />;
  if (mode.kind === 'edit' && current) return <EndpointForm key={current.id} endpoint={current} />;
  if (current) return <EndpointDetail endpoint={current} />;
  if (!loaded) return <p className="muted">Loading endpoints…</p>;
  return (
    <Empty
      title="No endpoints yet"
      action={
        <button type="button" className="btn btn-primary" onClick={() => setMode({ kind: 'create' })}>
          Create an endpoint
        </button>
      }
    >
      An endpoint is a URL Hookbench sends signed webhooks to when releases are published, or whenever you trigger a sample. Point one at a
      local service, pick the signature dialect it verifies, and watch every attempt here.
    </Empty>
  );
}

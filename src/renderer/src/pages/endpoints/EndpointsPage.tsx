import { useEndpoints } from '../../stores/endpoints-store';
import { EndpointList } from './EndpointList';
import { EndpointsMain } from './EndpointsMain';

export function EndpointsPage() {
  const setMode = useEndpoints((s) => s.setMode);
  const count = useEndpoints((s) => s.endpoints.length);
  return (
    <div className="split stacks">
      <aside className="list-pane endpoints-pane">
        <div className="pane-head">
          <h2>Endpoints</h2>
          <button type="button" className="btn btn-primary btn-small" onClick={() => setMode({ kind: 'create' })}>
            New endpoint
          </button>
        </div>
        {count ? <EndpointList /> : <p className="muted pad">None yet.</p>}
      </aside>
      <main className="main-pane">
        <EndpointsMain />
      </main>
    </div>
  );
}

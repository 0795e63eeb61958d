import { useEffect } from 'react';
import { Empty } from '../../components/bits';
import { useConnections } from '../../stores/connections-store';
import { useTunnel } from '../../stores/tunnel-store';
import { ConnectionsSection } from './ConnectionsSection';
import { TunnelSection } from './TunnelSection';

export function TunnelPage() {
  const loadTunnel = useTunnel((s) => s.load);
  const loadConnections = useConnections((s) => s.load);
  const noConnections = useTunnel((s) => s.status?.notHere);
  useEffect(() => {
    void loadTunnel();
    void loadConnections();
  }, [loadTunnel, loadConnections]);
  return (
    <main className="main-pane full tunnel-page">
      <div className="pane-head flush">
        <h2>Tunnel and connections</h2>
      </div>
      <TunnelSection />
      {noConnections ? <NoConnectionsHere text={noConnections} /> : <ConnectionsSection />}
    </main>
  );
}

/** On a server that keeps no provider connections: why, instead of a form that could only fail. */
function NoConnectionsHere({ text }: { text: string }) {
  return (
    <section className="card" aria-label="Connections">
      <h3>Provider connections</h3>
      <Empty title="No provider connections here">{text}</Empty>
    </section>
  );
}

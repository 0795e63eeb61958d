import { useEffect } from 'react';
import { useConnections } from '../../stores/connections-store';
import { useTunnel } from '../../stores/tunnel-store';
import { ConnectionsSection } from './ConnectionsSection';
import { TunnelSection } from './TunnelSection';

export function TunnelPage() {
  const loadTunnel = useTunnel((s) => s.load);
  const loadConnections = useConnections((s) => s.load);
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
      <ConnectionsSection />
    </main>
  );
}


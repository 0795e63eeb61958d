import { Tabs } from '../../components/Tabs';
import { useDebugger, type DebuggerTab } from '../../stores/debugger-store';
import { Calculator } from './Calculator';
import { DiagnoseForm } from './DiagnoseForm';

export function DebuggerPage() {
  const tab = useDebugger((s) => s.tab);
  const setTab = useDebugger((s) => s.setTab);
  return (
    <main className="main-pane full debugger">
      <div className="pane-head flush">
        <h2>Signature debugger</h2>
        <Tabs<DebuggerTab>
          label="Debugger mode"
          value={tab}
          onChange={setTab}
          options={[
            { id: 'diagnose', label: 'Why does it fail?' },
            { id: 'sign', label: 'Calculator' },
          ]}
        />
      </div>
      {tab === 'diagnose' ? <DiagnoseForm /> : <Calculator />}
    </main>
  );
}

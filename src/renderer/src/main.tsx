import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createApi } from './api/transport';
import { App } from './App';
import { connect } from './stores/live';
import { startTheme } from './stores/theme-store';
import { startUrlSync } from './stores/url-sync';
import './styles.css';
import './pages.css';

startTheme();
startUrlSync();
const api = createApi();
// Connect before the first render: the first requests travel while React builds the page.
connect(api);
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createApi } from './api/transport';
import { App } from './App';
import { connect } from './stores/live';
import { takeEmbeddedStart } from './stores/first-screen';
import { startTheme } from './stores/theme-store';
import { startUrlSync } from './stores/url-sync';
import './styles.css';
import './pages.css';

startTheme();
startUrlSync();
const api = createApi();
// Connect before the first render: with the first screen `serve` sent in the page, React's first
// render already has the rows; otherwise the one startup call travels while React builds the page.
connect(api, takeEmbeddedStart());
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

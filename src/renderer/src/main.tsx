import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createApi } from './api/transport';
import { App } from './App';
import './styles.css';

const api = createApi();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App api={api} />
  </StrictMode>,
);

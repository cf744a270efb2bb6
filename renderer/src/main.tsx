import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { installWebApi } from './web-api';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

/** In a browser (leadbench serve) there is no preload: window.api talks to the web host instead. */
async function ensureApi(): Promise<void> {
  if (!('api' in window)) await installWebApi();
}

ensureApi().then(
  () =>
    createRoot(root).render(
      <StrictMode>
        <App />
      </StrictMode>,
    ),
  (err: unknown) => {
    const message = document.createElement('p');
    message.className = 'startup-error';
    message.textContent = `Leadbench could not start: ${err instanceof Error ? err.message : String(err)}`;
    root.replaceChildren(message);
  },
);

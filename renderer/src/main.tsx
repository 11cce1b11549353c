/**
 * Entry point. The bridge to the core (`window.parley`) is defined before this bundle runs, by
 * Electron's preload or by the browser host's script; the app never knows which.
 */
// The design system first, so that each screen's own styles (imported by its component) win.
import './styles/tokens.css';
import './styles/base.css';
import './styles/controls.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { ParleyBridge } from '../../shared/ipc';
import { App } from './app/App';
import { NoBridgeScreen } from './app/NoBridgeScreen';
import { ParleyProvider } from './app/ParleyContext';
import { createParleyStore } from './state/parley-store';

// Typed as always present (parley.d.ts), but a page opened without its host has none.
function bridge(): ParleyBridge | undefined {
  return (window as { parley?: ParleyBridge }).parley;
}

function mount(container: HTMLElement): void {
  const root = createRoot(container);
  const found = bridge();
  if (!found) {
    root.render(<NoBridgeScreen />);
    return;
  }
  const parley = createParleyStore(found);
  root.render(
    <StrictMode>
      <ParleyProvider value={parley}>
        <App />
      </ParleyProvider>
    </StrictMode>,
  );
}

const container = document.getElementById('root');
if (container) {
  // A bridge script loaded with `defer` or `async` may define window.parley after this module.
  if (bridge() || document.readyState === 'complete') mount(container);
  else window.addEventListener('load', () => mount(container), { once: true });
}

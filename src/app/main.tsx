import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { startSession } from './actions/session';
import { installTestApi } from './test-api';
import './app.css';

installTestApi();
// Startup is an intent of the page load itself, not an effect of some state: start once, here.
void startSession();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

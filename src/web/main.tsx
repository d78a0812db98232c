import './styles/base.css';
import './styles/layout.css';
import './styles/accounts.css';
import './styles/members.css';
import './styles/issues.css';
import './styles/event.css';
import './styles/event-text.css';

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';

import { Providers } from './app/providers';
import { createRouter } from './app/router';

const container = document.getElementById('root');
if (container === null) {
  throw new Error('Missing #root element in index.html');
}

const router = createRouter();

createRoot(container).render(
  <StrictMode>
    <Providers>
      <RouterProvider router={router} />
    </Providers>
  </StrictMode>,
);

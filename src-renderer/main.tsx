import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { connectAtlas } from './api/transport';
import { AtlasProvider } from './api/atlas-context';
import { App } from './app/App';
import { LiveWorkProvider } from './app/live-work';
// One cascade in this order (component stylesheets imported by the pages come before these).
import './styles.css';
import './matrix/matrix-base.css';
import './matrix/overlay-legend.css';
import './status/status-base.css';
import './app/components.css';

const client = connectAtlas();
const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false, staleTime: Infinity } },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AtlasProvider client={client}>
      <QueryClientProvider client={queryClient}>
        <LiveWorkProvider>
          <App />
        </LiveWorkProvider>
      </QueryClientProvider>
    </AtlasProvider>
  </StrictMode>,
);

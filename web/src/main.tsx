import '@mantine/core/styles.css';
import './app.css';
import { type CSSVariablesResolver, createTheme, MantineProvider } from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { SessionProvider } from './auth/session.js';

// Teal for a calm clinical look. Shade 9 and a darker "dimmed" grey keep every text at the WCAG AA
// contrast of 4.5:1 (Mantine's defaults, teal 8 and gray 6, measure 3.9 and 3.3 on white).
const theme = createTheme({ primaryColor: 'teal', primaryShade: 9, fontFamily: 'system-ui, sans-serif' });
const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    // Hovering a filled button goes darker, not lighter (teal 8 under white text is 3.9:1).
    '--mantine-color-teal-filled-hover': '#06694b',
    '--mantine-primary-color-filled-hover': '#06694b',
    // Light buttons' text is darker too: teal 8 on the light hover background measures 4.3:1.
    '--mantine-color-teal-light-color': '#06694b',
    '--mantine-primary-color-light-color': '#06694b',
  },
  dark: {},
});

const root = document.getElementById('root');
if (root)
  createRoot(root).render(
    <StrictMode>
      <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver}>
        <SessionProvider>
          <App />
        </SessionProvider>
      </MantineProvider>
    </StrictMode>,
  );

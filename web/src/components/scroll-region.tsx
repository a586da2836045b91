// A wide table's horizontal scroller. It can take keyboard focus and is named, so keyboard users can
// scroll it too (WCAG 2.1.1; axe rule scrollable-region-focusable).
import type { ReactNode } from 'react';

export function ScrollRegion({ label, minWidth, children }: { label: string; minWidth: number; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
    <section aria-label={label} tabIndex={0} style={{ overflowX: 'auto' }}>
      <div style={{ minWidth }}>{children}</div>
    </section>
  );
}

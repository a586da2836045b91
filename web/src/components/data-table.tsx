// The one table of the web app: a labelled, striped table in a region that scrolls sideways on a
// narrow screen (WCAG 1.4.10 reflow), with its column headers (a column without a visible header,
// such as the actions, is named for screen readers). Each page gives its rows.
import { Table } from '@mantine/core';
import type { ReactNode } from 'react';
import { ScrollRegion } from './scroll-region.js';

export type Column = string | { readonly hidden: string };

export function DataTable({
  label,
  minWidth,
  columns,
  children,
  highlightOnHover,
}: {
  label: string;
  minWidth: number;
  columns: readonly Column[];
  children: ReactNode;
  highlightOnHover?: boolean;
}) {
  return (
    <ScrollRegion label={label} minWidth={minWidth}>
      <Table fz="sm" striped highlightOnHover={highlightOnHover === true} aria-label={label}>
        <Table.Thead>
          <Table.Tr>
            {columns.map((c) => (
              <Table.Th scope="col" key={typeof c === 'string' ? c : `hidden:${c.hidden}`}>
                {typeof c === 'string' ? c : <span className="visually-hidden">{c.hidden}</span>}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>{children}</Table.Tbody>
      </Table>
    </ScrollRegion>
  );
}

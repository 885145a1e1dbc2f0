import type { ReactNode } from "react";

/**
 * A table that may be wider than a phone's screen scrolls inside this labelled region instead of
 * pushing the page sideways; the region takes focus so it can be scrolled with the keyboard.
 */
export function TableRegion({ label, children }: { label: string; children: ReactNode }) {
  return (
    // Named apart from the table it holds, which carries `label` itself: a screen reader says each once.
    <div className="table-scroll" role="region" aria-label={`${label}, scrollable`} tabIndex={0}>
      {children}
    </div>
  );
}

/** A table's column headings; each cell names its heading in `data-label`, which phones show beside it. */
export function ColumnHeadings({ columns }: { columns: readonly string[] }) {
  return (
    <thead>
      <tr>
        {columns.map((column) => (
          <th key={column} scope="col">
            {column}
          </th>
        ))}
      </tr>
    </thead>
  );
}

// The app's pages, from the one table the server also reads (page-paths.json): match a path to a
// page and its parameters.
import table from './page-paths.json';

export type PageName = keyof typeof table.pages;

export const PAGE_PATHS: Readonly<Record<PageName, string>> = table.pages;

/** The parameters of `path` if it matches the page's pattern (`:name` is one path segment). */
export function matchPage(page: PageName, path: string): Record<string, string> | undefined {
  const pattern = PAGE_PATHS[page].split('/');
  const parts = path.split('/');
  if (pattern.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] as string;
    const v = parts[i] as string;
    if (p.startsWith(':')) {
      if (!v) return undefined;
      params[p.slice(1)] = decodeURIComponent(v);
    } else if (p !== v) return undefined;
  }
  return params;
}

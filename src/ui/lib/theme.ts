/** Theme is the console's colour scheme. */
export type Theme = 'light' | 'dark';

const KEY = 'amphora.console.theme';

/** initialTheme is the saved choice, else the system's preference. */
export function initialTheme(): Theme {
  const saved = localStorage.getItem(KEY);
  if (saved === 'light' || saved === 'dark') return saved;
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** applyTheme sets the theme on the document and remembers it. */
export function applyTheme(t: Theme): void {
  document.documentElement.dataset['theme'] = t;
  localStorage.setItem(KEY, t);
}

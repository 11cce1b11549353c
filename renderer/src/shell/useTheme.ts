/**
 * Applies the theme setting to the page. "system" leaves the choice to prefers-color-scheme in
 * tokens.css; "light" and "dark" pin it.
 */
import { useEffect } from 'react';
import type { ThemePreference } from '../../../shared/ipc';

export function useTheme(theme: ThemePreference): void {
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
}

/** Picks the screen from the core's phase: first run, locked, or the messenger itself. */
import { useEffect } from 'react';
import { LockScreen } from '../lock/LockScreen';
import { MainScreen } from '../main/MainScreen';
import { OnboardingScreen } from '../onboarding/OnboardingScreen';
import { useTheme } from '../shell/useTheme';
import { BootScreen } from './BootScreen';
import { useActions, useParley } from './ParleyContext';
import { StartupErrorScreen } from './StartupErrorScreen';
import './app.css';

export function App() {
  const actions = useActions();
  const boot = useParley((s) => s.boot);
  const phase = useParley((s) => s.app?.phase ?? null);
  const theme = useParley((s) => s.settings?.theme ?? 'system');
  useTheme(theme);

  useEffect(() => actions.start(), [actions]);

  if (boot.status === 'failed') return <StartupErrorScreen error={boot.error} onRetry={actions.retryStart} />;
  if (boot.status === 'loading' || phase === null) return <BootScreen />;
  if (phase === 'onboarding') return <OnboardingScreen />;
  if (phase === 'locked') return <LockScreen />;
  return <MainScreen />;
}

/**
 * The application shell: sidebar, the current section, status bar. Sections are
 * independent screens; the shell only routes between them and keeps workspace facts.
 */
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import type { MenuCommand } from '../../shared/contract';
import { call, useApi, useApiEvent } from './api';
import { AboutDialog } from './components/AboutDialog';
import type { ModelFitAction } from './components/ModelFitBanner';
import { BackupDialog } from './exchange/BackupDialog';
import { ExchangeContext, type ExchangeActions } from './exchange/exchange-context';
import { ExportDialog, type ExportRequest } from './exchange/ExportDialog';
import { RoundtripDialog } from './exchange/RoundtripDialog';
import { Sidebar } from './components/Sidebar';
import { StatusBar } from './components/StatusBar';
import { SECTIONS, type SectionId } from './sections';
import { FollowUpSection } from './sections/FollowUpSection';
import { DueSoonNotifier } from './sections/followup/DueSoonNotifier';
import { ImportSection } from './sections/ImportSection';
import { LeadsSection } from './sections/LeadsSection';
import { ScoringSection } from './sections/ScoringSection';

// Reports and its charts (recharts, about 40% of the renderer's code) load on first use.
const ReportsSection = lazy(async () => ({ default: (await import('./sections/ReportsSection')).ReportsSection }));

export function App() {
  const [section, setSection] = useState<SectionId>('leads');
  // An action the Leads screen's "model doesn't fit" banner asked Scoring to carry out.
  const [modelAction, setModelAction] = useState<ModelFitAction | null>(null);
  const [aboutOpen, setAboutOpen] = useState(false);
  const [exportRequest, setExportRequest] = useState<ExportRequest | null>(null);
  const [roundtripOpen, setRoundtripOpen] = useState(false);
  const [backupOpen, setBackupOpen] = useState(false);
  const exchange = useMemo<ExchangeActions>(
    () => ({
      openExport: (request) => setExportRequest(request ?? {}),
      openRoundtrip: () => setRoundtripOpen(true),
      openBackup: () => setBackupOpen(true),
    }),
    [],
  );
  const info = useApi('workspace-info', {}, { refreshOn: ['leads', 'activities', 'imports', 'models', 'scores'] });

  // The person using the app is an owner from the first run: a workspace without owners
  // gets them (from the OS user) as its first owner and "me", so MQLs route to them.
  const workspacePath = info.data?.path;
  useEffect(() => {
    if (workspacePath) void call('owner-me-ensure', {}).catch(() => undefined);
  }, [workspacePath]);

  const runMenuCommand = useCallback(
    (command: MenuCommand) => {
      if (command === 'import') setSection('import');
      if (command === 'about') setAboutOpen(true);
      if (command === 'export') exchange.openExport();
      if (command === 'roundtrip') exchange.openRoundtrip();
      if (command === 'backup') exchange.openBackup();
    },
    [exchange],
  );
  useApiEvent('menu-command', ({ command }) => runMenuCommand(command));

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return;
      const target = SECTIONS.find((s) => s.shortcut === e.key);
      if (target) {
        e.preventDefault();
        setSection(target.id);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const label = SECTIONS.find((s) => s.id === section)?.label ?? '';
  return (
    <ExchangeContext.Provider value={exchange}>
      <div className="app">
        <Sidebar
          current={section}
          onSelect={setSection}
          workspaceName={info.data?.name ?? '…'}
          onMenuCommand={window.api.shell.nativeMenu ? undefined : runMenuCommand}
        />
        <main className="main" aria-label={label}>
          {section === 'leads' && (
            <LeadsSection
              workspace={info.data}
              onNavigate={setSection}
              onModelAction={(action) => {
                setModelAction(action);
                setSection('scoring');
              }}
            />
          )}
          {section === 'import' && <ImportSection onNavigate={setSection} />}
          {section === 'scoring' && (
            <ScoringSection
              action={modelAction}
              onActionTaken={() => setModelAction(null)}
              leadCount={info.data?.leadCount}
              onNavigate={setSection}
            />
          )}
          {section === 'followup' && <FollowUpSection onNavigate={setSection} />}
          {section === 'reports' && (
            <Suspense fallback={<div className="section-loading">Loading reports…</div>}>
              <ReportsSection leadCount={info.data?.leadCount} onNavigate={setSection} />
            </Suspense>
          )}
        </main>
        <StatusBar info={info.data} />
        <DueSoonNotifier />
        {aboutOpen && <AboutDialog info={info.data} onClose={() => setAboutOpen(false)} />}
        {exportRequest && <ExportDialog request={exportRequest} onClose={() => setExportRequest(null)} />}
        {roundtripOpen && <RoundtripDialog onClose={() => setRoundtripOpen(false)} />}
        {backupOpen && <BackupDialog onClose={() => setBackupOpen(false)} />}
      </div>
    </ExchangeContext.Provider>
  );
}

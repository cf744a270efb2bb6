/**
 * Import section: pick a file (dialog or drag and drop), walk the wizard, and see the
 * import history. Only the file's path is handed to the backend.
 */
import { useState, type DragEvent } from 'react';
import { shell } from '../api';
import { SectionHeader } from '../components/SectionHeader';
import type { SectionId } from '../sections';
import { ImportHistory } from './import/ImportHistory';
import { ImportWizard } from './import/ImportWizard';
import './import/import.css';

const FILTERS = [
  { name: 'Spreadsheets', extensions: ['csv', 'tsv', 'txt', 'xlsx', 'xls'] },
  { name: 'All files', extensions: ['*'] },
];

export function ImportSection({ onNavigate }: Readonly<{ onNavigate: (id: SectionId) => void }>) {
  const [path, setPath] = useState<string | null>(null);
  const [over, setOver] = useState(false);

  async function choose() {
    const p = await shell().openFileDialog({ title: 'Import a spreadsheet', filters: FILTERS });
    if (p) setPath(p);
  }

  function drop(e: DragEvent<HTMLDivElement>) {
    e.preventDefault();
    setOver(false);
    const file = e.dataTransfer.files[0];
    if (file) setPath(shell().pathForFile(file));
  }

  return (
    <section className="section">
      <SectionHeader
        title="Import"
        subtitle="Leads, activity logs and event lists from CSV, TSV or Excel files."
        actions={
          <button type="button" className="btn btn--primary" onClick={() => void choose()}>
            Choose a file…
          </button>
        }
      />
      <div className="iw">
        {path ? (
          <ImportWizard key={path} path={path} onClose={() => setPath(null)} onShowLeads={() => onNavigate('leads')} />
        ) : (
          <div
            className={`iw-dropzone${over ? ' iw-dropzone--over' : ''}`}
            data-testid="import-dropzone"
            onDragOver={(e) => {
              e.preventDefault();
              setOver(true);
            }}
            onDragLeave={() => setOver(false)}
            onDrop={drop}
          >
            Drop a CSV, TSV or XLSX file here, or{' '}
            <button type="button" className="btn btn--small" onClick={() => void choose()}>
              choose one
            </button>
            .
          </div>
        )}
        <ImportHistory />
      </div>
    </section>
  );
}

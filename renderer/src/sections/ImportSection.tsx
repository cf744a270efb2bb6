/** Import section (screen placeholder until its issue lands). */
import { SectionHeader } from '../components/SectionHeader';
import type { SectionId } from '../sections';

export function ImportSection({ onNavigate: _onNavigate }: Readonly<{ onNavigate: (id: SectionId) => void }>) {
  return (
    <section className="section">
      <SectionHeader title="Import" />
    </section>
  );
}

/** Reports section (screen placeholder until its issue lands). */
import { SectionHeader } from '../components/SectionHeader';

export function ReportsSection() {
  return (
    <section className="section">
      <SectionHeader title="Reports" />
    </section>
  );
}

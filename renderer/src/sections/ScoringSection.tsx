/** Scoring section (screen placeholder until its issue lands). */
import { SectionHeader } from '../components/SectionHeader';

export function ScoringSection() {
  return (
    <section className="section">
      <SectionHeader title="Scoring" />
    </section>
  );
}

/** Follow-up section (screen placeholder until its issue lands). */
import { SectionHeader } from '../components/SectionHeader';

export function FollowUpSection() {
  return (
    <section className="section">
      <SectionHeader title="Follow-up" />
    </section>
  );
}

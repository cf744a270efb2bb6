/** Learned rule ids: slugs a user can type, unique within one model however the keys spell. */
import { describe, expect, it } from 'vitest';
import { ruleIds, slug } from '../../../shared/learn/rule-ids';

describe('learned rule ids', () => {
  it('turns a workspace type or a spaced field key into lower-case letters, digits and dashes', () => {
    const ids = ruleIds();
    expect(ids('ws:SMS Sent', 'first')).toBe('learned-ws-sms-sent-first');
    expect(ids('custom.What is your current occupation', 3)).toBe('learned-custom-what-is-your-current-occupation-3');
    expect(ids('ws:Olark Chat Conversation', 'last', 30, 'days')).toBe(
      'learned-ws-olark-chat-conversation-last-30-days',
    );
    expect(slug('  --Café & Co.-- ')).toBe('caf-co');
  });

  it('numbers a second key that slugs alike instead of repeating an id', () => {
    const ids = ruleIds();
    expect(ids('ws:SMS Sent', 'first')).toBe('learned-ws-sms-sent-first');
    expect(ids('ws:sms-sent', 'first')).toBe('learned-ws-sms-sent-first-2');
    expect(ids('ws:SMS_SENT', 'first')).toBe('learned-ws-sms-sent-first-3');
    // A fresh model starts again.
    expect(ruleIds()('ws:sms-sent', 'first')).toBe('learned-ws-sms-sent-first');
  });
});

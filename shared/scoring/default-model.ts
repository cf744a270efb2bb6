/**
 * The model a new workspace starts with, built from common B2B practice: behaviour points
 * for visits, downloads, videos and webinars (attending worth more than registering), high
 * points for buying-intent pages (pricing, demo, free trial), a penalty for job seekers on
 * the careers page, title seniority for fit (C-level A, VP/director B, manager C), students
 * and competitors suppressed, and decay so old interest fades.
 */
import type { ScoringModel } from './model';

export const DEFAULT_MODEL: ScoringModel = {
  schemaVersion: 1,
  name: 'Default',
  description: 'Common-practice B2B model: title seniority for fit, behaviour for engagement, decay for old interest.',
  appliesTo: null,
  fit: [
    {
      id: 'fit-c-level',
      name: 'C-level title',
      when: { field: 'seniority', op: 'equals', value: 'c_level' },
      points: 40,
    },
    {
      id: 'fit-vp-director',
      name: 'VP or director title',
      when: { field: 'seniority', op: 'in', values: ['vp', 'director', 'head'] },
      points: 25,
    },
    {
      id: 'fit-manager',
      name: 'Manager title',
      when: { field: 'seniority', op: 'equals', value: 'manager' },
      points: 12,
    },
    {
      id: 'fit-company-size',
      name: 'Company of 50+ people',
      when: { field: 'company_size', op: 'between', min: 50, max: null },
      points: 5,
    },
    { id: 'fit-has-phone', name: 'Phone number given', when: { field: 'phone', op: 'is_not_blank' }, points: 3 },
  ],
  engagement: [
    {
      id: 'eng-visit',
      name: 'Website visit',
      match: { types: ['page_visit'] },
      points: 5,
      frequency: 'every',
      cap: 30,
      windowCap: { days: 1, points: 15 },
    },
    {
      id: 'eng-pricing',
      name: 'Pricing page',
      match: { types: ['page_visit'], asset: { op: 'contains', value: 'pricing' } },
      points: 20,
      frequency: 'first',
    },
    {
      id: 'eng-demo',
      name: 'Demo request page',
      match: { types: ['page_visit', 'form_fill'], asset: { op: 'contains', value: 'demo' } },
      points: 30,
      frequency: 'first',
    },
    {
      id: 'eng-trial',
      name: 'Free trial page',
      match: { types: ['page_visit', 'form_fill'], asset: { op: 'matches', value: 'free[ -_]?trial|/trial' } },
      points: 30,
      frequency: 'first',
    },
    { id: 'eng-download', name: 'Content download', match: { types: ['download'] }, points: 15, cap: 45 },
    {
      id: 'eng-video',
      name: 'Video watched (over 1 minute)',
      match: { types: ['video_watched'], minDurationSec: 60 },
      points: 30,
      cap: 60,
    },
    {
      id: 'eng-webinar-registered',
      name: 'Webinar registration',
      match: { types: ['webinar_registered'] },
      points: 10,
      cap: 20,
    },
    {
      id: 'eng-webinar-attended',
      name: 'Webinar attended',
      match: { types: ['webinar_attended'] },
      points: 25,
      cap: 50,
    },
    { id: 'eng-event', name: 'Event attended', match: { types: ['event_attended'] }, points: 20, cap: 40 },
    { id: 'eng-form', name: 'Form filled in', match: { types: ['form_fill'] }, points: 15, cap: 30 },
    {
      id: 'eng-email-click',
      name: 'Email click',
      match: { types: ['email_click'] },
      points: 3,
      countRepeats: true,
      cap: 15,
    },
    {
      id: 'eng-email-open',
      name: 'Email open',
      match: { types: ['email_open'] },
      points: 1,
      countRepeats: true,
      cap: 5,
    },
  ],
  negative: [
    {
      id: 'neg-careers',
      name: 'Careers page',
      on: 'activity',
      match: { types: ['page_visit'], asset: { op: 'contains_any', values: ['careers', '/jobs'] } },
      points: -20,
      frequency: 'first',
    },
    {
      id: 'neg-unsubscribe',
      name: 'Unsubscribed',
      on: 'activity',
      match: { types: ['unsubscribe'] },
      points: -15,
      frequency: 'first',
    },
    {
      id: 'neg-free-mail',
      name: 'Free email address',
      on: 'profile',
      when: {
        field: 'email_domain',
        op: 'in',
        values: [
          'gmail.com',
          'yahoo.com',
          'hotmail.com',
          'outlook.com',
          'aol.com',
          'icloud.com',
          'gmx.de',
          'web.de',
          'mail.ru',
          'yandex.ru',
        ],
      },
      points: -10,
    },
  ],
  suppression: {
    rules: [
      {
        id: 'sup-student',
        name: 'Student',
        when: {
          any: [
            { field: 'seniority', op: 'equals', value: 'student' },
            { field: 'email_domain', op: 'ends_with', value: '.edu' },
          ],
        },
        reason: 'Student',
      },
      {
        id: 'sup-competitor',
        name: 'Competitor',
        when: {
          any: [
            { field: 'custom.Lead type', op: 'equals', value: 'Competitor' },
            { field: 'tags', op: 'equals', value: 'competitor' },
          ],
        },
        reason: 'Competitor',
      },
    ],
    emails: [],
    domains: [],
  },
  decay: {
    halfLifeDays: 90,
    windowDays: 365,
    inactivity: { afterDays: 90, points: -10, everyDays: 30, maxPoints: 50 },
  },
  grades: { fit: { A: 40, B: 25, C: 10 }, engagement: { '1': 60, '2': 30, '3': 10 } },
  segments: {
    basis: 'total',
    bands: [
      { key: 'hot', label: 'Hot', min: 70 },
      { key: 'warm', label: 'Warm', min: 35 },
      { key: 'cold', label: 'Cold', min: null },
    ],
  },
  mql: { threshold: 70, minFitGrade: null },
};

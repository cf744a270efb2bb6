/**
 * Every CLI command by name: its one-line summary and usage, and its code (each in its own
 * file beside this one, loaded on first use).
 */
import { DATE_BASES } from '../../../shared/followup/definitions';
import { REPORT_KINDS } from '../../../shared/followup/reports';
import type { CliCommand } from './types';

export const COMMANDS: Readonly<Record<string, CliCommand>> = {
  info: {
    summary: 'Show what a workspace holds',
    usage: 'leadbench info --db PATH [--json]',
    load: async () => (await import('./info')).infoCommand,
  },
  queue: {
    summary: 'List leads waiting for follow-up, soonest due first',
    usage: 'leadbench queue --db PATH [--owner EMAIL] [--limit N] [--json]',
    load: async () => (await import('./queue')).queueCommand,
  },
  report: {
    summary: 'Print a follow-up report (funnel, grades, sla, outcomes, dispositions) or model health (model)',
    usage: `leadbench report ${REPORT_KINDS.join('|')} --db PATH [--from DATE] [--to DATE] [--period-by ${DATE_BASES.join('|')}] [--source S] [--campaign C] [--csv FILE] [--json]\n      leadbench report model --db PATH [--model ID | --model-file FILE] [--from DATE] [--to DATE] [--json]`,
    load: async () => (await import('./report')).reportCommand,
  },
  import: {
    summary: 'Import a CSV/TSV/XLSX file of leads, activities or an event list',
    usage:
      'leadbench import FILE --db PATH [--kind leads|activities|event] [--mapping saved-name|file.json] ' +
      '[--key COLUMN]... [--row-key] [--show-by COLUMN] [--update fill|overwrite] [--keep-placeholders] [--sheet NAME] ' +
      '[--header-row N] [--encoding utf-8|utf-16le|utf-16be|windows-1252] ' +
      '[--outcome COLUMN=WON_VALUE[|WON_VALUE...] [--outcome-lost LOST_VALUE[|...]] [--outcome-date COLUMN] [--outcome-value COLUMN]] [--date-all YYYY-MM-DD] [--date-order dmy|mdy] [--json]',
    load: async () => (await import('./import')).importCommand,
  },
  score: {
    summary: 'Rescore every lead (optionally publishing a model file first)',
    usage: 'leadbench score --db PATH [--model FILE] [--note TEXT] [--include-closed]',
    load: async () => (await import('./score')).scoreCommand,
  },
  explain: {
    summary: "Print a lead's score ledger",
    usage: 'leadbench explain --db PATH LEAD [--model ID] [--json]   (LEAD: id, uid, email or import key)',
    load: async () => (await import('./explain')).explainCommand,
  },
  export: {
    summary: 'Export a view, segment, the queue or all leads to CSV/XLSX (or per-owner packs)',
    usage:
      'leadbench export --db PATH (--view NAME | --segment NAME | --queue | --all) --out FILE [--format csv|xlsx] ' +
      '[--columns key,key,...] [--preset hubspot|salesforce|pipedrive] [--no-roundtrip] [--semicolon] [--no-bom] ' +
      '[--tz ZONE] [--packs files|workbook] [--json]',
    load: async () => (await import('./export')).exportCommand,
  },
  backup: {
    summary: 'Write a consistent copy of a workspace (SQLite online backup), verified',
    usage: 'leadbench backup --db PATH --out FILE [--json]',
    load: async () => (await import('./backup')).backupCommand,
  },
  stage: {
    summary: 'Move leads to a stage (e.g. won or lost), by key, email, uid or number',
    usage:
      'leadbench stage --db PATH --to STAGE (LEAD... | --file FILE --key COLUMN [--encoding utf-8|utf-16le|utf-16be|windows-1252]) [--reason TEXT] [--json]',
    load: async () => (await import('./stage')).stageCommand,
  },
  learn: {
    summary: 'Suggest a scoring model learned from the won and lost leads',
    usage: 'leadbench learn --db PATH [--exclude FIELD,...] [--keep FIELD,...] [--holdout SHARE] [--out FILE] [--json]',
    load: async () => (await import('./learn')).learnCommand,
  },
  'activity-types': {
    summary: 'List activity types with their counts; rename a workspace type, or merge it into another',
    usage:
      'leadbench activity-types --db PATH [--json]\n      leadbench activity-types rename TYPE NAME --db PATH\n      leadbench activity-types merge TYPE --into TYPE --db PATH   (TYPE: key or name)',
    load: async () => (await import('./activity-types')).activityTypesCommand,
  },
  serve: {
    summary: 'Leadbench in your browser: the app and its backend on 127.0.0.1, until Ctrl+C',
    usage: 'leadbench serve --db PATH [--port N] [--no-open]',
    load: async () => (await import('./serve')).serveCommand,
  },
};

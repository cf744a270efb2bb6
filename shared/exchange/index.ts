/** Pure export/exchange rules shared by the backend writers and the export dialogs. */
export * from './formula-guard';
export * from './columns';
export * from './presets';
export * from './sheet-values';

/**
 * Lets any screen open the export, round-trip and backup dialogs (the grid passes its
 * current view or selection); the app shell renders them.
 */
import { createContext, useContext } from 'react';
import type { ExportRequest } from './ExportDialog';

export type ExchangeActions = Readonly<{
  openExport: (request?: ExportRequest) => void;
  openRoundtrip: () => void;
  openBackup: () => void;
}>;

export const ExchangeContext = createContext<ExchangeActions>({
  openExport: () => undefined,
  openRoundtrip: () => undefined,
  openBackup: () => undefined,
});

export function useExchange(): ExchangeActions {
  return useContext(ExchangeContext);
}

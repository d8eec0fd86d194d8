'use client';

import { AttemptView } from './attempt-view';
import { ExplorerView } from './explorer-view';
import { ModuleHistoryView } from './module-history-view';
import { SignedInExplorer } from './signed-in-explorer';

// The explorer's pages as client components: a server page cannot hand SignedInExplorer its
// render function.

export const ExplorerPage = ({ serverUrl }: { serverUrl: string }) => (
  <SignedInExplorer serverUrl={serverUrl}>
    {(onSignedOut) => <ExplorerView serverUrl={serverUrl} onSignedOut={onSignedOut} />}
  </SignedInExplorer>
);

export const AttemptPage = ({ serverUrl, id }: { serverUrl: string; id: string }) => (
  <SignedInExplorer serverUrl={serverUrl}>
    {(onSignedOut) => <AttemptView serverUrl={serverUrl} id={id} onSignedOut={onSignedOut} />}
  </SignedInExplorer>
);

export const ModuleHistoryPage = ({ serverUrl, imei }: { serverUrl: string; imei: string }) => (
  <SignedInExplorer serverUrl={serverUrl}>
    {(onSignedOut) => (
      <ModuleHistoryView serverUrl={serverUrl} imei={imei} onSignedOut={onSignedOut} />
    )}
  </SignedInExplorer>
);

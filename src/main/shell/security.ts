import { shell, type App, type Session, type WebContents, type WebPreferences } from 'electron';
import { withSecurityHeaders } from './csp';
import { permissionAllowed } from './permissions';
import { externalUrl, isAllowedDownload } from './url-policy';

/**
 * The desktop window's lock-down, written down in one place:
 * - the renderer runs sandboxed with context isolation and no Node; its preload exposes
 *   only the contract's named methods and the event subscription (src/preload);
 * - it may show our own renderer and nothing else: navigation, redirects, webviews and
 *   new windows are refused; window.open/target=_blank to an https URL goes to the OS
 *   browser instead (never file:, http:, custom schemes);
 * - responses carry a strict Content-Security-Policy on top of the page's meta tag;
 * - web permissions are denied, except writing text to the clipboard from our page;
 * - IPC checks the sending frame and validates every call (ipc.ts, ipc-guard.ts).
 */

export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    enableWebSQL: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  };
}

function openExternally(url: string): void {
  const target = externalUrl(url);
  if (!target) return;
  shell.openExternal(target).catch((error: unknown) => console.error('hookbench: could not open', target, (error as Error).message));
}

/** Navigation rules for one webContents (every one the app creates gets them). */
export function guardContents(contents: WebContents, isOwnUrl: (url: string) => boolean): void {
  // Moving the page away is refused outright (a link without target=_blank, a script
  // setting location); only window.open / target=_blank may hand an https URL to the OS.
  contents.on('will-navigate', (event, url) => {
    if (!isOwnUrl(url)) event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isOwnUrl(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isOwnUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternally(url);
    return { action: 'deny' };
  });
}

/** Applies guardContents to every webContents as it is created, before it loads anything. */
export function lockDownApp(app: App, isOwnUrl: (url: string) => boolean): void {
  app.on('web-contents-created', (_event, contents) => guardContents(contents, isOwnUrl));
}

/** Session-wide: CSP response header, permission policy, devices, downloads. */
export function lockDownSession(session: Session, isOwnUrl: (url: string) => boolean, csp: string): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    // Documents are what a policy applies to; every document in this session is ours or refused.
    if (details.resourceType === 'mainFrame' || details.resourceType === 'subFrame') {
      callback({ responseHeaders: withSecurityHeaders(details.responseHeaders, csp) });
    } else {
      callback({});
    }
  });
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(permissionAllowed(permission, details.requestingUrl, isOwnUrl));
  });
  session.setPermissionCheckHandler((contents, permission, _origin, details) =>
    permissionAllowed(permission, details.requestingUrl ?? contents?.getURL(), isOwnUrl),
  );
  session.setDevicePermissionHandler(() => false);
  session.on('will-download', (event, item) => {
    if (!isAllowedDownload(item.getURL())) event.preventDefault();
  });
}

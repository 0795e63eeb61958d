/**
 * Web permissions for the renderer: everything is refused except writing text to the
 * clipboard from our own page (the "Copy" buttons call navigator.clipboard.writeText,
 * which Chromium gates behind `clipboard-sanitized-write`, and only allows during a
 * user gesture). No camera, microphone, geolocation, notifications, HID, serial, …
 */
const GRANTED_TO_OWN_PAGE = new Set<string>(['clipboard-sanitized-write']);

export function permissionAllowed(permission: string, requestingUrl: string | undefined, isOwnUrl: (url: string) => boolean): boolean {
  if (!GRANTED_TO_OWN_PAGE.has(permission)) return false;
  return typeof requestingUrl === 'string' && isOwnUrl(requestingUrl);
}

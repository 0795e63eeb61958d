/**
 * The page `serve` sends with the first screen's data in it, so the window paints its rows
 * without asking the engine first. Only a request that carries a valid token (the printed
 * link's ?token=) gets it; the data is what that token could read through the API anyway.
 * It travels as JSON in a script element the page never runs (the CSP allows no inline
 * script), with every "<" escaped so nothing in a payload can close the element.
 */
export const FIRST_SCREEN_ELEMENT = 'hookbench-start';

const BODY_END = Buffer.from('</body>');

/** Where the data goes: just before </body>, after everything the browser fetches early. */
export function splitForFirstScreen(html: Buffer): [Buffer, Buffer] | null {
  const at = html.lastIndexOf(BODY_END);
  return at === -1 ? null : [html.subarray(0, at), html.subarray(at)];
}

export function firstScreenElement(answer: unknown): string {
  const json = JSON.stringify(answer).replace(/</g, '\\u003c');
  return `<script type="application/json" id="${FIRST_SCREEN_ELEMENT}">${json}</script>`;
}

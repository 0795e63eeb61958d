import { createHash } from 'node:crypto';
import type { WindowStart } from '../../../shared/first-screen';

/**
 * The page `serve` sends with the first screen's data in it, so the window paints its rows
 * without asking the engine first. Only a request that carries a valid token (the printed
 * link's ?token=) gets it; the data is what that token could read through the API anyway.
 * It travels as JSON in a script element the page never runs (the CSP allows no inline
 * script), with every "<" escaped so nothing in a payload can close the element.
 */
export const FIRST_SCREEN_ELEMENT = 'hookbench-start';
/** The prerendered first screen; the page's first script shows it (see the renderer's public/first-paint.js). */
export const FIRST_PAINT_ELEMENT = 'hookbench-first-paint';

/** Renders the window's first screen as markup, for the page it belongs to; null when it cannot be known on the server. */
export type Prerender = (start: WindowStart) => { page: string; html: string } | null;

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

const APP_SCRIPT = /<script type="module" crossorigin src="([^"]+)"><\/script>/;
const STYLESHEET = /<link rel="stylesheet" crossorigin href="([^"]+)">/;
const MODULE_PRELOAD = /<link rel="modulepreload" crossorigin href="[^"]+">/g;
const SCRIPT_SRC_SELF = "script-src 'self'";

/** The page as `serve` sends it with a prerendered first screen (see firstPaintPage). */
export interface FirstPaintPage {
  head: Buffer;
  /** The page's first script, in the page, to follow the prerendered screen. */
  script: string;
  /** The content security policy given, allowing that script alone by its hash. */
  policy: string;
}

/** Reads one of the build's files by its address in the page; null when there is none. */
export type ReadBuilt = (path: string) => Promise<string | null>;

/**
 * The page made to paint the prerendered first screen with nothing fetched after it: its
 * stylesheet and its first script (public/first-paint.js) are in the page, the script allowed by
 * its hash in the policy (`policy` for the header; the page's own policy element likewise). Each
 * request a first paint waits on costs a round trip to an engine that may be busy. The app's
 * scripts are left out of the head (neither run nor preloaded): the first script starts the app
 * once the first frame is painted, so their download and compilation do not compete with that
 * frame for the processor (measured on two cores: the first paint 30–45 ms sooner). null when the
 * head is not the one the build makes.
 */
export async function firstPaintPage(head: Buffer, policy: string, read: ReadBuilt): Promise<FirstPaintPage | null> {
  let text = head.toString('utf8');
  const app = APP_SCRIPT.exec(text);
  const firstPaint = await read('/first-paint.js');
  if (!app || firstPaint === null || firstPaint.includes('</script')) return null;
  const allowed = `${SCRIPT_SRC_SELF} 'sha256-${createHash('sha256').update(firstPaint).digest('base64')}'`;
  text = text.replace(app[0], '').replace(MODULE_PRELOAD, '').replace(SCRIPT_SRC_SELF, allowed);
  const stylesheet = STYLESHEET.exec(text);
  const css = stylesheet ? await read(new URL(stylesheet[1]!, 'http://page/').pathname) : null;
  // A stylesheet naming other files by relative address would look for them beside the page instead.
  if (stylesheet && css !== null && !css.includes('</style') && !css.includes('url(')) text = text.replace(stylesheet[0], () => `<style>${css}</style>`);
  return { head: Buffer.from(text), script: `<script data-app="${app[1]}">${firstPaint}</script>`, policy: policy.replace(SCRIPT_SRC_SELF, allowed) };
}

/**
 * The prerendered first screen, inert in a <template> (nothing in it runs, loads or shows), then
 * the small script that shows it when the address opens its page and starts the app after the
 * next paint. A failure to prerender costs only the early paint.
 */
export function prerenderedScreen(prerender: Prerender, start: WindowStart): string | null {
  let markup: { page: string; html: string } | null = null;
  try {
    markup = prerender(start);
  } catch (error) {
    process.emitWarning(`The first screen could not be prerendered: ${(error as Error).message}`);
  }
  return markup && `<template id="${FIRST_PAINT_ELEMENT}" data-page="${markup.page}">${markup.html}</template>`;
}

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

/**
 * The page's head with the app's script fetched early but not run (a module preload): a
 * prerendered first screen is painted first, and the page's first script then starts the app.
 * A module script would otherwise run as soon as the page is parsed, before the browser paints
 * anything. null when the head is not the one the build makes.
 */
export function deferAppScript(head: Buffer): { head: Buffer; app: string } | null {
  const text = head.toString('utf8');
  const found = APP_SCRIPT.exec(text);
  if (!found) return null;
  // The page's first script is fetched with the rest, rather than when the parser reaches it.
  const preloads = `<link rel="preload" as="script" href="./first-paint.js"><link rel="modulepreload" crossorigin href="${found[1]}">`;
  return { head: Buffer.from(text.replace(found[0], preloads)), app: found[1]! };
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

/** The page's first script, which starts the app (`app`, the build's entry) once the prerendered screen is painted. */
export const firstPaintScript = (app: string) => `<script src="./first-paint.js" data-app="${app}"></script>`;

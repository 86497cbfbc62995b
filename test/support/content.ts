import { loadContent, type Content } from "../../src/content/content.js";

let shared: Promise<Content> | undefined;

/**
 * The real flows, locales and directory, loaded and checked once per test worker. Loading builds the
 * recognizer's word index (about two seconds); the fast tier runs without per-file isolation, so every
 * pure test file in a worker shares this one copy. Treat it as read-only: copy a map before changing it.
 */
export function sharedContent(): Promise<Content> {
  shared ??= loadContent();
  return shared;
}

/**
 * The status page served at `/`: one self-contained HTML document (inline CSS and JS, no external assets) that
 * polls `/status`. Its Content-Security-Policy allows exactly its own inline script and style by SHA-256 hash and
 * nothing else (no other script, no plugin, no framing), and `connect-src 'self'` for the polling.
 */
import { createHash } from 'node:crypto';
import { STATUS_PAGE_SCRIPT } from './status-page-script.js';
import { STATUS_PAGE_STYLE } from './status-page-style.js';

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** The page. Static: every dynamic value is fetched by the script and written with `textContent`. */
export const STATUS_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Tributary status</title>
<link rel="icon" href="data:,">
<style>${STATUS_PAGE_STYLE}</style>
</head>
<body>
<header>
  <div class="brand"><span class="logo" aria-hidden="true">&#8779;</span> Tributary <small>event source mappings</small></div>
  <div id="conn" class="conn" role="status">connecting&#8230;</div>
</header>
<main id="app"><p class="empty">Loading /status&#8230;</p></main>
<footer>Refreshes every 2 s &#183; <a href="status">/status</a> &#183; <a href="metrics">/metrics</a> &#183; <a href="healthz">/healthz</a> &#183; <a href="readyz">/readyz</a></footer>
<script>${STATUS_PAGE_SCRIPT}</script>
</body>
</html>
`;

/** Allows the page's own inline script and style (by hash), fetches to this origin, and nothing else. */
export const STATUS_PAGE_CSP = [
  "default-src 'none'",
  `script-src ${sha256(STATUS_PAGE_SCRIPT)}`,
  `style-src ${sha256(STATUS_PAGE_STYLE)}`,
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Response headers of the page. */
export const STATUS_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': STATUS_PAGE_CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

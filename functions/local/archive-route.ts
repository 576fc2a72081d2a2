// `tidings dev` serves the web archive at /archive/, as CloudFront serves the bucket's archive/ prefix:
// /archive/<slug>/ reads <slug>/index.html (infra/constructs/public-site.ts does the same rewrite).
import { readFile } from 'node:fs/promises';
import { join, normalize, resolve, sep } from 'node:path';
import type { RouteHandler } from '../http/types.ts';

const TYPES: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
};

/** The route table with `/archive/*` answered from `dir` (GET and HEAD); every other path goes to `routes`. */
export function withArchive(dir: string, routes: RouteHandler): RouteHandler {
  const root = resolve(dir);
  return async (req) => {
    if (!(req.path === '/archive' || req.path.startsWith('/archive/'))) return routes(req);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return {
        status: 405,
        headers: { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' },
        body: 'Method not allowed\n',
      };
    }
    let rest = req.path.slice('/archive'.length).replace(/^\/+/, '');
    if (rest === '' || rest.endsWith('/')) rest += 'index.html';
    else if (!rest.split('/').pop()?.includes('.')) rest += '/index.html';
    const file = resolve(join(root, normalize(rest)));
    if (!file.startsWith(root + sep)) return notFound();
    try {
      const body = await readFile(file, 'utf8');
      const type = TYPES[file.split('.').pop() ?? ''] ?? 'text/plain; charset=utf-8';
      return {
        status: 200,
        headers: { 'content-type': type, 'cache-control': 'no-cache' },
        body: req.method === 'HEAD' ? '' : body,
      };
    } catch {
      return notFound();
    }
  };
}

function notFound() {
  return {
    status: 404,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
    body: 'Not in the archive yet: publish a post (`tidings publish <post.md>`) and it appears here.\n',
  };
}

// The edges a twin can put in front of its backends, each answering in its real product's
// voice: the exact status line, header names/order and error page it writes itself. The
// bytes were read from each product's source (twin/README.md, "Flavours", names the files);
// none of this code is copied from them.
import type { RawAnswer } from './http-util';
import { nodeStyleAnswer } from './http-util';

/** The statuses an edge writes on its own: refusal, dead upstream, slow upstream. */
export type EdgeStatus = 403 | 502 | 504;

export interface EdgeProduct {
  /** For logs and the README only; never on the wire unless the product sends it. */
  name: string;
  answer(status: EdgeStatus, now: Date): RawAnswer;
}

const TITLES: Record<EdgeStatus, string> = { 403: '403 Forbidden', 502: '502 Bad Gateway', 504: '504 Gateway Time-out' };

/** An AWS load balancer: HTML pages with no version line, `Server: awselb/2.0` (the twin's edge so far). */
export const AWS_ELB_SERVER = 'awselb/2.0';
const elbPage = (title: string) => `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n</body>\r\n</html>\r\n`;
export const AWS_ELB: EdgeProduct = {
  name: 'awselb/2.0',
  answer: (status, now) => nodeStyleAnswer(status, { server: AWS_ELB_SERVER, 'content-type': 'text/html' }, elbPage(TITLES[status]), now),
};

/**
 * nginx 1.22.1 with `server_tokens on` (its default): ngx_http_special_response.c's page
 * (ngx_http_error_403_page + ngx_http_error_full_tail), headers in ngx_http_header_filter_module.c's
 * order (Server, Date, Content-Type, Content-Length, Connection). An error page keeps the
 * connection alive for 403/502/504 (only 400/413/414/497/495/496/500/501 drop keep-alive).
 */
export const NGINX_VERSION = 'nginx/1.22.1';
const nginxPage = (title: string) =>
  `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>${NGINX_VERSION}</center>\r\n</body>\r\n</html>\r\n`;
export const NGINX: EdgeProduct = {
  name: NGINX_VERSION,
  answer: (status, now) => {
    const body = nginxPage(TITLES[status]);
    return {
      status,
      reason: TITLES[status].slice(4),
      headers: [
        ['Server', NGINX_VERSION],
        ['Date', now.toUTCString()],
        ['Content-Type', 'text/html'],
        ['Content-Length', String(Buffer.byteLength(body))],
        ['Connection', 'keep-alive'],
      ],
      body,
      close: false,
    };
  },
};

/**
 * HAProxy's built-in error messages (src/http.c, http_err_msgs[]): no Server header, no Date.
 * The messages are parsed into HTX and re-emitted by the H1 mux, which writes header names
 * in lower case; a known length and no `Connection: close` keeps the connection alive.
 */
const HAPROXY_BODIES: Record<EdgeStatus, string> = {
  403: '<html><body><h1>403 Forbidden</h1>\nRequest forbidden by administrative rules.\n</body></html>\n',
  502: '<html><body><h1>502 Bad Gateway</h1>\nThe server returned an invalid or incomplete response.\n</body></html>\n',
  504: "<html><body><h1>504 Gateway Time-out</h1>\nThe server didn't respond in time.\n</body></html>\n",
};
export const HAPROXY: EdgeProduct = {
  name: 'haproxy',
  answer: (status) => {
    const body = HAPROXY_BODIES[status];
    return {
      status,
      reason: TITLES[status].slice(4),
      headers: [
        ['content-length', String(Buffer.byteLength(body))],
        ['cache-control', 'no-cache'],
        ['content-type', 'text/html'],
      ],
      body,
      close: false,
    };
  },
};

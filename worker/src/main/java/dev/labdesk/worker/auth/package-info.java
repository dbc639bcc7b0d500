/** Who is calling: API keys, the generated token, signed cookies, and the browser-origin guards (Host, Origin, content type, CORS). */
package dev.labdesk.worker.auth;

// Labdesk browser page: pick or drop a dataset, describe the experiment, upload it with progress,
// then follow the session's live log over EventSource and show the report. A worker with keys
// asks for one first: the page signs in with it and the worker's HttpOnly cookie does the rest.
//
// Rule for this file: text that came from anywhere else (file names, log lines, server messages,
// the report) only ever reaches the page through textContent or element properties, never as
// HTML. The page's Content-Security-Policy forbids inline script as a second line of defence.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);

  // ?validate=server leaves every check to the worker: used by the page's test to prove server
  // errors land next to their fields, and handy for spotting drift between the two rule sets.
  const clientValidation = new URLSearchParams(location.search).get('validate') !== 'server';

  // --- The rules of shared-model's ContextRules and RelativePaths, mirrored ------------------
  const LIMITS = { name: 200, description: 10000, goals: 5000, hypothesis: 5000 };
  const LABELS = {
    name: 'Name', description: 'Description', goals: 'Goals', hypothesis: 'Hypothesis',
    contact_email: 'Contact email', tags: 'Tags', parameters: 'Parameters', files: 'Files',
  };
  const EMAIL_MAX = 254, TAGS_MAX = 32, TAG_MAX = 40;
  const PARAMETERS_MAX = 100, PARAMETER_KEY_MAX = 64, PARAMETER_VALUE_MAX = 1000;
  const EMAIL = /^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$/;
  const TAG = /^[\p{L}\p{N}][\p{L}\p{N} _.+-]*$/u;
  const PARAMETER_KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
  const PATH_MAX_CHARS = 1024, SEGMENT_MAX_BYTES = 255, PATH_MAX_DEPTH = 64, RESERVED_TOP = 'results';
  const utf8 = new TextEncoder();

  const hasControl = (s) => /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/.test(s);
  const codePoints = (s) => Array.from(s).length;
  const isBlank = (s) => s.trim() === '';

  function textProblem(value, max) {
    if (codePoints(value) > max) return `must be at most ${max.toLocaleString('en')} characters`;
    if (hasControl(value)) return 'must not contain control characters';
    return null;
  }

  function splitTags(text) {
    return text.split(',').filter((t) => !isBlank(t)).map((t) => t.trim());
  }

  /** Why a relative path is refused (RelativePaths.problem), or null. */
  function pathProblem(path) {
    if (!path) return 'must not be empty';
    if (path.length > PATH_MAX_CHARS) return `must be at most ${PATH_MAX_CHARS} characters`;
    if (path.includes('\u0000')) return 'must not contain NUL';
    if (/[\u0000-\u001F\u007F-\u009F]/.test(path)) return 'must not contain control characters';
    if (path.includes('\\')) return 'must use / as separator, not \\';
    if (path.startsWith('/')) return 'must be relative, not absolute';
    if (/^\p{L}:/u.test(path)) return 'must be relative, not a drive path';
    const segments = path.split('/');
    if (segments.length > PATH_MAX_DEPTH) return `must be at most ${PATH_MAX_DEPTH} folders deep`;
    for (const segment of segments) {
      if (segment === '') return 'must not contain empty segments (// or a trailing /)';
      if (segment === '.' || segment === '..') return `must not contain '${segment}' segments`;
      if (utf8.encode(segment).length > SEGMENT_MAX_BYTES) return `each name must be at most ${SEGMENT_MAX_BYTES} bytes`;
      if (isBlank(segment)) return 'must not contain names made only of spaces';
    }
    if (segments[0] === RESERVED_TOP) return `'${RESERVED_TOP}/' is reserved for the agent's report`;
    return null;
  }

  /** Two paths collide when equal after NFC and lower-casing (macOS and Windows volumes would merge them). */
  const collisionKey = (path) => path.normalize('NFC').toLowerCase();

  function parseParameters(text) {
    if (isBlank(text)) return { value: {} };
    try {
      const value = JSON.parse(text);
      if (value === null || typeof value !== 'object' || Array.isArray(value))
        return { error: 'must be a JSON object, like {"temperature_c": 37}' };
      return { value };
    } catch (e) {
      return { error: 'must be valid JSON: ' + e.message };
    }
  }

  /** Every problem with the form and the file list, as the worker would name it: [{field, message}]. */
  function validate() {
    const errors = [];
    const add = (field, message) => errors.push({ field, message });
    for (const field of ['name', 'description']) {
      const v = fieldValue(field);
      if (isBlank(v)) add(field, 'is required');
      else { const p = textProblem(v, LIMITS[field]); if (p) add(field, p); }
    }
    for (const field of ['goals', 'hypothesis']) {
      const v = fieldValue(field);
      if (!isBlank(v)) { const p = textProblem(v, LIMITS[field]); if (p) add(field, p); }
    }
    const email = fieldValue('contact_email').trim();
    if (email !== '') {
      if (email.length > EMAIL_MAX) add('contact_email', `must be at most ${EMAIL_MAX} characters`);
      else if (!EMAIL.test(email)) add('contact_email', 'must be an email address like name@example.org');
    }
    const tags = splitTags(fieldValue('tags'));
    if (tags.length > TAGS_MAX) add('tags', `at most ${TAGS_MAX} tags`);
    else {
      const seen = new Set();
      tags.forEach((tag, i) => {
        if (tag.length > TAG_MAX) add(`tags[${i}]`, `must be at most ${TAG_MAX} characters`);
        else if (!TAG.test(tag)) add(`tags[${i}]`, 'letters, digits, spaces and _ . + - only, starting with a letter or digit');
        else if (seen.has(tag.toLowerCase())) add(`tags[${i}]`, `duplicate tag '${tag}'`);
        seen.add(tag.toLowerCase());
      });
    }
    const params = parseParameters(fieldValue('parameters'));
    if (params.error) add('parameters', params.error);
    else {
      const entries = Object.entries(params.value);
      if (entries.length > PARAMETERS_MAX) add('parameters', `at most ${PARAMETERS_MAX} parameters`);
      else for (const [key, value] of entries) {
        if (key.length > PARAMETER_KEY_MAX || !PARAMETER_KEY.test(key)) {
          add('parameters', `key '${key.length > 40 ? key.slice(0, 40) + '…' : key}' must be 1-${PARAMETER_KEY_MAX}`
            + ' characters of letters, digits, _ . - and start with a letter or _');
          continue;
        }
        const field = `parameters.${key}`;
        if (value === null) add(field, 'must have a value');
        else if (typeof value === 'string') {
          if (value.length > PARAMETER_VALUE_MAX) add(field, `must be at most ${PARAMETER_VALUE_MAX} characters`);
          else if (hasControl(value)) add(field, 'must not contain control characters');
        } else if (typeof value !== 'number' && typeof value !== 'boolean') add(field, 'must be a string, number or boolean');
      }
    }
    if (state.files.length === 0) add('files', 'add at least one file or folder');
    const firstByKey = new Map();
    state.files.forEach((entry, i) => {
      const problem = pathProblem(entry.path);
      if (problem) { add(`files[${i}]`, problem); return; }
      const key = collisionKey(entry.path);
      if (firstByKey.has(key)) add(`files[${i}]`, `has the same name as ${state.files[firstByKey.get(key)].path} on case-insensitive disks`);
      else firstByKey.set(key, i);
    });
    return errors;
  }

  // --- State ---------------------------------------------------------------------------------
  const state = {
    files: [],            // [{path, file}] in the order they are sent; files[i] errors point here
    touched: new Set(),   // fields whose errors are shown (after leaving them, or after a submit)
    serverErrors: [],     // the worker's last 422, kept until the field is edited
    xhr: null,            // the upload in flight
    run: null,            // {id, streamUrl, source, lastSeq, status, ...} once accepted
  };
  const FORM_FIELDS = ['name', 'description', 'goals', 'hypothesis', 'contact_email', 'tags', 'parameters'];
  const fieldValue = (field) => $(field).value;
  const baseField = (field) => (String(field).match(/^[a-z_]+/) || [''])[0];

  // --- Formatting ----------------------------------------------------------------------------
  // the form the app and the report use too (dev.labdesk.model.ByteSizes): binary units, one decimal
  function humanBytes(n) {
    n = Math.round(n);
    if (n < 1024) return `${n} B`;
    const units = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
    let v = n, u = -1;
    do { v /= 1024; u++; } while (v >= 1023.95 && u < units.length - 1);
    return `${v.toFixed(1)} ${units[u]}`;
  }

  function humanDuration(seconds) {
    if (!isFinite(seconds)) return '…';
    seconds = Math.max(0, Math.round(seconds));
    if (seconds < 60) return `${seconds} s`;
    const m = Math.floor(seconds / 60), s = seconds % 60;
    if (m < 60) return `${m} min ${s} s`;
    return `${Math.floor(m / 60)} h ${m % 60} min`;
  }

  const plural = (n, one, many) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

  function el(tag, props = {}, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(props)) {
      if (k === 'class') node.className = v;
      else if (k === 'text') node.textContent = v;
      else if (k.startsWith('data-') || k.startsWith('aria-')) node.setAttribute(k, v);
      else node[k] = v;
    }
    for (const child of children) if (child != null) node.append(child);
    return node;
  }

  // --- Files: pick, drop, list ----------------------------------------------------------------
  function addFiles(entries) {
    if (state.xhr) return;
    const index = new Map(state.files.map((e, i) => [e.path, i]));
    for (const entry of entries) {
      // Picking the same path again replaces the earlier pick rather than sending it twice.
      if (index.has(entry.path)) state.files[index.get(entry.path)] = entry;
      else { index.set(entry.path, state.files.length); state.files.push(entry); }
    }
    clearServerErrors('files');
    if (state.files.length) state.touched.add('files');
    renderFiles();
    refresh();
  }

  function removeFile(i) {
    state.files.splice(i, 1);
    clearServerErrors('files');
    renderFiles();
    refresh();
  }

  function renderFiles() {
    const list = $('file-list');
    const rows = state.files.map((entry, i) => {
      const slash = entry.path.lastIndexOf('/');
      const name = el('span', { class: 'file-name' },
        slash >= 0 ? el('span', { class: 'file-dir', text: entry.path.slice(0, slash + 1) }) : null,
        el('span', { class: 'file-base', text: entry.path.slice(slash + 1) }));
      const remove = el('button', {
        type: 'button', class: 'icon-button', text: '×', title: 'Remove',
        'aria-label': `Remove ${entry.path}`,
      });
      remove.addEventListener('click', () => removeFile(i));
      return el('li', { class: 'file-row', 'data-index': String(i), 'data-path': entry.path },
        el('div', { class: 'file-main' }, name, el('span', { class: 'file-size', text: humanBytes(entry.file.size) }), remove),
        el('p', { class: 'field-error file-error', id: `files-${i}-error`, hidden: true }));
    });
    list.replaceChildren(...rows);
    const total = state.files.reduce((sum, e) => sum + e.file.size, 0);
    $('file-total').textContent = `${plural(state.files.length, 'file', 'files')} · ${humanBytes(total)}`;
    $('file-panel').hidden = state.files.length === 0;
    $('dataset').classList.toggle('has-files', state.files.length > 0);
  }

  async function entriesFromDrop(dataTransfer) {
    const items = Array.from(dataTransfer.items || []).filter((item) => item.kind === 'file');
    // Entries must be taken synchronously inside the drop handler: the list empties afterwards.
    const roots = items.map((item) => ({ entry: item.webkitGetAsEntry ? item.webkitGetAsEntry() : null, file: item.getAsFile() }));
    const out = [];
    for (const root of roots) {
      if (root.entry) await walk(root.entry, out);
      else if (root.file) out.push({ path: root.file.name, file: root.file });
    }
    if (roots.length === 0) for (const file of dataTransfer.files || []) out.push({ path: file.name, file });
    return out;
  }

  /** Depth-first through a dropped folder; fullPath is "/exp/plates/day1.csv" for a dropped "exp". */
  async function walk(entry, out) {
    if (entry.isFile) {
      const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
      out.push({ path: entry.fullPath.replace(/^\/+/, ''), file });
    } else if (entry.isDirectory) {
      const reader = entry.createReader();
      // readEntries hands out a folder's children in batches (100 in Chromium) until it returns none.
      for (;;) {
        const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
        if (batch.length === 0) break;
        for (const child of batch) await walk(child, out);
      }
    }
  }

  function setupDropZone() {
    const zone = $('drop-zone');
    let depth = 0; // dragenter/dragleave fire for every child element crossed
    const active = (on) => zone.classList.toggle('dragging', on);
    zone.addEventListener('dragenter', (e) => { e.preventDefault(); depth++; active(true); });
    zone.addEventListener('dragover', (e) => { e.preventDefault(); e.dataTransfer.dropEffect = state.xhr ? 'none' : 'copy'; });
    zone.addEventListener('dragleave', () => { if (--depth <= 0) { depth = 0; active(false); } });
    zone.addEventListener('drop', (e) => {
      e.preventDefault();
      depth = 0;
      active(false);
      entriesFromDrop(e.dataTransfer)
        .then(addFiles)
        .catch((err) => showFormError(`Could not read the dropped items: ${err.message || err}`));
    });
    // A file dropped beside the zone must not make the browser navigate away from the form.
    window.addEventListener('dragover', (e) => e.preventDefault());
    window.addEventListener('drop', (e) => e.preventDefault());

    const fileInput = $('file-input'), folderInput = $('folder-input');
    $('choose-files').addEventListener('click', () => fileInput.click());
    $('choose-folder').addEventListener('click', () => folderInput.click());
    fileInput.addEventListener('change', () => {
      addFiles(Array.from(fileInput.files, (file) => ({ path: file.name, file })));
      fileInput.value = '';
    });
    folderInput.addEventListener('change', () => {
      addFiles(Array.from(folderInput.files, (file) => ({ path: file.webkitRelativePath || file.name, file })));
      folderInput.value = '';
    });
    $('clear-files').addEventListener('click', () => {
      state.files = [];
      clearServerErrors('files');
      renderFiles();
      refresh();
      $('choose-files').focus();
    });
  }

  // --- Errors next to their fields --------------------------------------------------------------
  function describe(error) {
    const m = error.field.match(/^tags\[(\d+)\]$/);
    if (m) {
      const tag = splitTags(fieldValue('tags'))[Number(m[1])];
      return tag === undefined ? `Tag ${Number(m[1]) + 1}: ${error.message}` : `Tag '${tag}': ${error.message}`;
    }
    const p = error.field.match(/^parameters\.(.+)$/);
    if (p) return `Parameter '${p[1]}' ${error.message}`;
    const f = error.field.match(/^files\[(\d+)\]$/);
    if (f) return $(`files-${f[1]}-error`) ? `Path ${error.message}` : `File ${Number(f[1]) + 1} ${error.message}`;
    if (error.field === 'files') return `Files: ${error.message}`;
    return `${LABELS[baseField(error.field)] || error.field} ${error.message}`;
  }

  function clearServerErrors(field) {
    state.serverErrors = state.serverErrors.filter((e) => baseField(e.field) !== field);
  }

  function render(errors) {
    const shown = new Map(); // element id -> messages
    const generic = [];
    const push = (id, msg) => { if (!shown.has(id)) shown.set(id, []); shown.get(id).push(msg); };
    for (const error of errors) {
      const base = baseField(error.field);
      const fileRow = error.field.match(/^files\[(\d+)\]$/);
      if (fileRow && $(`files-${fileRow[1]}-error`)) push(`files-${fileRow[1]}-error`, describe(error));
      else if (base === 'files') push('files-error', describe(error));
      else if (FORM_FIELDS.includes(base)) push(`${base}-error`, describe(error));
      else generic.push(error.field ? `${error.field}: ${error.message}` : error.message);
    }
    for (const node of document.querySelectorAll('.field-error')) {
      const messages = shown.get(node.id);
      node.hidden = !messages;
      node.textContent = messages ? messages.join('\n') : '';
      const input = FORM_FIELDS.includes(node.id.replace(/-error$/, '')) ? $(node.id.replace(/-error$/, '')) : null;
      if (input) input.setAttribute('aria-invalid', messages ? 'true' : 'false');
      const row = node.closest('.file-row');
      if (row) row.classList.toggle('invalid', !!messages);
    }
    return generic;
  }

  function refresh() {
    const clientErrors = clientValidation ? validate() : [];
    const visible = clientErrors.filter((e) => state.touched.has(baseField(e.field)) || e.field.startsWith('files['));
    const generic = render([...visible, ...state.serverErrors]);
    if (generic.length) showFormError(generic.join('\n'));
    const uploading = state.xhr !== null;
    $('upload-button').disabled = uploading || clientErrors.length > 0;
    $('upload-hint').textContent = uploading ? '' : hintFor(clientErrors);
    return clientErrors;
  }

  /** One line telling what is still missing, so a disabled button is never a riddle. */
  function hintFor(errors) {
    if (errors.length === 0) return state.files.length ? `Ready: ${plural(state.files.length, 'file', 'files')} will be uploaded.` : '';
    const parts = [];
    if (errors.some((e) => e.field === 'files')) parts.push('add files');
    const missing = errors.filter((e) => e.message === 'is required').map((e) => LABELS[e.field]);
    if (missing.length) parts.push(`fill in ${missing.join(' and ')}`);
    const fix = [...new Set(errors.filter((e) => e.field !== 'files' && e.message !== 'is required')
      .map((e) => e.field.startsWith('files[') ? 'file paths' : LABELS[baseField(e.field)]))];
    if (fix.length) parts.push(`fix ${fix.join(', ')}`);
    const text = parts.join(', ');
    return `To upload: ${text}.`;
  }

  function showFormError(text) {
    const node = $('form-error');
    node.textContent = text;
    node.hidden = !text;
  }

  function setupForm() {
    const edited = new Set();
    for (const field of FORM_FIELDS) {
      const input = $(field);
      // A field's errors show once the user has typed in it and moved on (or tried to upload):
      // tabbing through an untouched form doesn't paint it red.
      input.addEventListener('input', () => { edited.add(field); clearServerErrors(field); refresh(); });
      input.addEventListener('blur', () => {
        if (edited.has(field)) state.touched.add(field);
        refresh();
      });
    }
    /** Shows every error and moves focus to the first; true when there is none. */
    const revealErrors = () => {
      for (const f of [...FORM_FIELDS, 'files']) state.touched.add(f);
      const errors = refresh();
      if (errors.length === 0) return true;
      const first = baseField(errors[0].field);
      (FORM_FIELDS.includes(first) ? $(first) : $('choose-files')).focus();
      return false;
    };
    $('upload-form').addEventListener('submit', (e) => {
      e.preventDefault();
      if (state.xhr) return;
      showFormError('');
      if (revealErrors()) upload();
    });
    // Browsers drop Enter silently while the submit button is disabled: answer it with the errors.
    $('upload-form').addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && e.target.tagName === 'INPUT' && $('upload-button').disabled && !state.xhr) {
        e.preventDefault();
        revealErrors();
      }
    });
    $('cancel-upload').addEventListener('click', () => state.xhr && state.xhr.abort());
    // Leaving mid-upload would silently drop it: the browser asks first.
    window.addEventListener('beforeunload', (e) => { if (state.xhr) e.preventDefault(); });
  }

  // --- Upload -----------------------------------------------------------------------------------
  function upload() {
    const form = new FormData();
    // The context goes first: the worker checks it before it keeps a single byte of the files.
    for (const field of FORM_FIELDS) if (!isBlank(fieldValue(field))) form.append(field, fieldValue(field));
    for (const entry of state.files) form.append('files', entry.file, entry.path);

    const xhr = new XMLHttpRequest();
    state.xhr = xhr;
    state.serverErrors = [];
    setFormLocked(true);
    const started = performance.now();
    let lastSample = { t: started, loaded: 0 }, speed = 0;
    $('upload-progress').hidden = false;
    $('upload-label').textContent = 'Uploading…';
    $('upload-bar').value = 0;
    $('upload-numbers').textContent = '';

    xhr.upload.addEventListener('progress', (e) => {
      if (!e.lengthComputable) return;
      const now = performance.now();
      const dt = (now - lastSample.t) / 1000;
      if (dt >= 0.25 || e.loaded === e.total) {
        const instant = (e.loaded - lastSample.loaded) / Math.max(dt, 0.001);
        speed = speed === 0 ? instant : 0.7 * speed + 0.3 * instant; // smoothed, so the estimate doesn't jump
        lastSample = { t: now, loaded: e.loaded };
      }
      $('upload-bar').value = e.loaded / e.total;
      const left = speed > 0 ? (e.total - e.loaded) / speed : Infinity;
      $('upload-numbers').textContent = `${humanBytes(e.loaded)} of ${humanBytes(e.total)}`
        + (speed > 0 ? ` · ${humanBytes(speed)}/s · ${humanDuration(left)} left` : '');
      if (e.loaded === e.total) $('upload-label').textContent = 'Sent; the worker is checking the files…';
    });
    xhr.addEventListener('load', () => {
      state.xhr = null;
      if (xhr.status === 401) {
        finishFailedUpload();
        needSignIn('upload', upload);
        return;
      }
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch { /* not JSON: reported below */ }
      if (xhr.status === 202 && body && body.session_id) {
        $('upload-progress').hidden = true;
        startRun(body);
        return;
      }
      finishFailedUpload();
      if (body && Array.isArray(body.errors) && body.errors.length) {
        state.serverErrors = body.errors.map((e) => ({ field: String(e.field || ''), message: String(e.message || '') }));
        showFormError(`The worker refused the upload: ${body.detail || body.title || 'invalid input'}. Nothing was kept.`);
        refresh();
        focusFirstServerError();
      } else {
        const detail = body && (body.detail || body.title);
        showFormError(`Upload failed (HTTP ${xhr.status}${detail ? ': ' + detail : ''}).`);
      }
    });
    xhr.addEventListener('error', async () => {
      state.xhr = null;
      finishFailedUpload();
      // A worker that refuses the request before reading the body may just close the connection.
      if (await signInNeeded('upload', upload)) return;
      showFormError('The upload was interrupted: the worker could not be reached. Nothing was kept; try again.');
    });
    xhr.addEventListener('abort', () => {
      state.xhr = null;
      finishFailedUpload();
      showFormError('Upload cancelled. Nothing was kept.');
    });
    xhr.open('POST', '/upload');
    xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
    xhr.send(form);
  }

  function finishFailedUpload() {
    $('upload-progress').hidden = true;
    setFormLocked(false);
    refresh();
  }

  /** Focus goes to the first refused form field (in page order), else to the first refused file's row. */
  function focusFirstServerError() {
    const fields = new Set(state.serverErrors.map((e) => baseField(e.field)));
    const field = FORM_FIELDS.find((f) => fields.has(f));
    if (field) { $(field).focus(); return; }
    const row = state.serverErrors.map((e) => e.field.match(/^files\[(\d+)\]$/)).find(Boolean);
    const target = row && document.querySelector(`.file-row[data-index="${row[1]}"] .icon-button`);
    (target || $('choose-files')).focus();
  }

  function setFormLocked(locked) {
    for (const node of $('upload-form').querySelectorAll('input, textarea, button'))
      if (node.id !== 'cancel-upload') node.disabled = locked;
    $('drop-zone').classList.toggle('locked', locked);
    if (!locked) refresh();
  }

  // --- The run: status, progress, live log, report --------------------------------------------------
  const MAX_LOG_LINES = 5000;
  const FINAL = ['succeeded', 'failed', 'cancelled'];

  function startRun(accepted, name = fieldValue('name').trim()) {
    state.run = {
      id: accepted.session_id, streamUrl: accepted.stream_url, source: null, name,
      lastSeq: 0, status: 'queued', seen: new Set(), ended: false, pending: [], hiddenLines: 0,
    };
    $('upload-form').hidden = true;
    $('run').hidden = false;
    $('run-name').textContent = name;
    $('run-meta').replaceChildren(
      document.createTextNode(`${plural(accepted.files, 'file', 'files')} · ${humanBytes(accepted.bytes)} · volume `),
      el('code', { text: accepted.volume }));
    $('log').replaceChildren();
    $('log-more').hidden = true;
    $('outcome').hidden = true;
    $('report').hidden = true;
    $('report').replaceChildren();
    $('analysis-progress').hidden = true;
    $('cancel-run').hidden = false;
    $('cancel-run').disabled = false;
    setStatus('queued');
    // The session id in the address survives a reload: the page picks the run up again (below).
    history.replaceState(null, '', `${location.pathname}${location.search}#session=${encodeURIComponent(accepted.session_id)}`);
    connect();
    $('run-title').scrollIntoView({ block: 'start' });
  }

  function connect() {
    const run = state.run;
    // EventSource resends Last-Event-ID by itself when it reconnects; ?after= covers a fresh
    // EventSource opened by the Reconnect button.
    const url = run.lastSeq > 0 ? `${run.streamUrl}${run.streamUrl.includes('?') ? '&' : '?'}after=${run.lastSeq}` : run.streamUrl;
    const source = new EventSource(url);
    run.source = source;
    setConnection('connecting', 'Connecting…');
    source.addEventListener('open', () => setConnection('live', 'Live'));
    source.addEventListener('error', (e) => {
      // An older worker's `event: error` (the agent's) arrives on the same event name: that one is a MessageEvent.
      // A 204 on resume (the run is over) closes the source: readyState CLOSED, handled below.
      if (run.ended || e instanceof MessageEvent) return;
      if (source.readyState === EventSource.CONNECTING) setConnection('retrying', 'Connection lost; reconnecting…');
      else {
        setConnection('closed', 'Disconnected');
        const retry = el('button', { type: 'button', class: 'button link', text: 'Reconnect' });
        retry.addEventListener('click', () => { retry.remove(); connect(); });
        $('connection').append(' ', retry);
        // EventSource hides the status code: a 401 looks like any refused stream, so ask the worker.
        signInNeeded('stream', () => { if (run === state.run) connect(); });
      }
    });
    const on = (type, handler) => source.addEventListener(type, (e) => {
      if (run !== state.run || !(e instanceof MessageEvent)) return;
      const seq = Number(e.lastEventId);
      if (seq > 0) {
        if (seq <= run.lastSeq) return; // already shown before a reconnect
        run.lastSeq = seq;
      }
      let data = {};
      try { data = e.data ? JSON.parse(e.data) : {}; } catch { data = { message: e.data }; }
      handler(data);
    });
    on('status', (d) => { setStatus(d.status); systemLine(`status: ${d.status}`, d.time); });
    on('log', (d) => logLine(d));
    on('progress', (d) => setProgress(d));
    on('result', (d) => showResult(d.summary || {}));
    const agentError = (d) => {
      systemLine(`error${d.code ? ' ' + d.code : ''}: ${d.message || 'unknown error'}`, d.time, 'error');
      const node = $('run-error');
      node.textContent = d.message || 'The run reported an error.';
      node.hidden = false;
    };
    on('agent_error', agentError);
    on('error', agentError); // the name before agent_error, from events an older worker stored; read for one release
    on('resync', (d) => systemLine(`Some earlier events are no longer held by the worker${d.message ? ' (' + d.message + ')' : ''}; continuing from here.`, null, 'warn'));
    source.addEventListener('end', () => {
      if (run !== state.run) return;
      run.ended = true;
      source.close();
      setConnection('ended', 'Stream ended');
      finishRun();
    });
  }

  function setConnection(kind, text) {
    const node = $('connection');
    node.dataset.state = kind;
    node.textContent = text;
  }

  function setStatus(status) {
    if (!status) return;
    const run = state.run;
    run.status = status;
    const order = ['queued', 'running', 'final'];
    const at = FINAL.includes(status) ? 2 : Math.max(0, order.indexOf(status));
    run.seen.add(order[at]);
    for (const chip of $('status-chips').children) {
      const i = order.indexOf(chip.dataset.status);
      // A run can fail or be cancelled while queued: a step it never reached is shown as skipped.
      chip.className = i < at ? (run.seen.has(chip.dataset.status) ? 'done' : 'skipped') : i === at ? `current ${status}` : '';
      if (chip.dataset.status === 'final') chip.textContent = FINAL.includes(status) ? status : 'finished';
      if (i === at) chip.setAttribute('aria-current', 'step'); else chip.removeAttribute('aria-current');
    }
    $('status-chips').dataset.status = status;
    // The log pane gets shorter once the run is over (room for the report): keep its tail in view.
    const log = $('log');
    const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 24;
    $('run').dataset.status = status;
    if (atBottom) log.scrollTop = log.scrollHeight;
    document.title = `${status} · ${run.name || 'Labdesk'} — Labdesk`;
    if (FINAL.includes(status)) {
      // The last file's name on a full bar would read as "still on it": the outcome says it instead.
      $('cancel-run').hidden = true;
      $('analysis-progress').hidden = true;
    }
  }

  function setProgress(d) {
    const total = Number(d.total) || 0, done = Number(d.done) || 0;
    $('analysis-progress').hidden = false;
    $('analysis-step').textContent = d.step || 'Working…';
    // The step names the file and its place among the files; the number is how far the whole run is.
    $('analysis-count').textContent = total > 0 ? `${Math.min(100, Math.floor(100 * done / total))} %` : '';
    $('analysis-bar').value = total > 0 ? done / total : 0;
  }

  function formatTime(time) {
    const d = time ? new Date(time) : new Date();
    return isNaN(d) ? '' : d.toLocaleTimeString('en-GB', { hour12: false });
  }

  function logLine(d) {
    const level = String(d.level || 'INFO').toUpperCase();
    const logger = String(d.logger || '');
    const short = logger.includes('.') ? logger.slice(logger.lastIndexOf('.') + 1) : logger;
    const cls = /^(ERROR|CRITICAL|FATAL|SEVERE)$/.test(level) ? 'error' : /^WARN/.test(level) ? 'warn'
      : /^(DEBUG|TRACE|FINE)/.test(level) ? 'debug' : 'info';
    queueLine(el('div', { class: `line ${cls}` },
      el('span', { class: 't', text: formatTime(d.time) }),
      el('span', { class: 'lvl', text: level }),
      el('span', { class: 'logger', text: short, title: logger }),
      el('span', { class: 'msg', text: String(d.message ?? '') })));
  }

  function systemLine(text, time, kind = 'system') {
    queueLine(el('div', { class: `line ${kind} sys` },
      el('span', { class: 't', text: formatTime(time) }),
      el('span', { class: 'msg', text })));
  }

  // Lines are appended once per animation frame: a fast agent sends thousands a second.
  function queueLine(node) {
    const run = state.run;
    run.pending.push(node);
    if (run.pending.length === 1) requestAnimationFrame(() => flushLines(run));
  }

  function flushLines(run) {
    if (run !== state.run || run.pending.length === 0) return;
    const log = $('log');
    const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 24;
    const fragment = document.createDocumentFragment();
    fragment.append(...run.pending);
    run.pending = [];
    log.append(fragment);
    const excess = log.childElementCount - MAX_LOG_LINES;
    if (excess > 0) {
      for (let i = 0; i < excess; i++) log.firstElementChild.remove();
      run.hiddenLines += excess;
      $('log-more').hidden = false;
      $('log-more').textContent = `${plural(run.hiddenLines, 'earlier line is', 'earlier lines are')} not shown.`;
    }
    // Follow the tail only when the reader is already there; someone scrolled up keeps their place.
    if (atBottom) log.scrollTop = log.scrollHeight;
  }

  function showResult(summary) {
    $('outcome').hidden = false;
    const parts = [];
    if (summary.headline) parts.push(summary.headline);
    $('headline').textContent = parts.join(' ');
    // The headline already counts tables and rows; the facts line adds what it leaves out.
    const facts = [];
    if (summary.mode) facts.push(`${summary.mode} analysis`);
    if (Array.isArray(summary.table_names) && summary.table_names.length) {
      const names = summary.table_names.slice(0, 6).join(', ');
      facts.push(`tables: ${names}${summary.table_names.length > 6 ? `, +${summary.table_names.length - 6} more` : ''}`);
    }
    if (Array.isArray(summary.unreadable) && summary.unreadable.length)
      facts.push(`could not read: ${summary.unreadable.join(', ')}`);
    if (facts.length) $('headline').append(el('span', { class: 'facts', text: facts.join(' · ') }));
  }

  async function finishRun() {
    const run = state.run;
    flushLines(run);
    try {
      const info = await api(`/sessions/${encodeURIComponent(run.id)}`, { headers: { Accept: 'application/json' } });
      if (info.ok) setStatus((await info.json()).status);
    } catch (err) {
      if (err instanceof SignInNeeded) { needSignIn('finish', () => { if (run === state.run) finishRun(); }); return; }
      /* otherwise the status events already told us */
    }
    $('outcome').hidden = false;
    $('cancel-run').hidden = true;
    const reportUrl = `/sessions/${encodeURIComponent(run.id)}/report`;
    try {
      const response = await api(reportUrl, { headers: { Accept: 'text/markdown, text/plain' } });
      if (response.ok) {
        const link = $('report-link');
        link.href = reportUrl;
        link.download = `${(run.name || 'labdesk').replace(/[\\/:*?"<>|\u0000-\u001F]+/g, '_')} report.md`;
        link.hidden = false;
        const report = $('report');
        report.replaceChildren(...renderMarkdown(await response.text(), `${reportUrl}/`));
        report.hidden = false;
      } else if (run.status === 'succeeded') {
        $('run-error').textContent = `The report could not be loaded (HTTP ${response.status}).`;
        $('run-error').hidden = false;
      }
    } catch (err) {
      if (err instanceof SignInNeeded) { needSignIn('finish', () => { if (run === state.run) finishRun(); }); return; }
      $('run-error').textContent = `The report could not be loaded: ${err.message}`;
      $('run-error').hidden = false;
    }
    if (!$('headline').textContent) $('headline').textContent = run.status === 'succeeded' ? 'Analysis finished.' : `The run ${run.status}.`;
    $('outcome').scrollIntoView({ block: 'nearest' });
  }

  function setupRun() {
    $('cancel-run').addEventListener('click', async () => {
      const run = state.run;
      const button = $('cancel-run');
      button.disabled = true;
      button.textContent = 'Cancelling…';
      try {
        const response = await api(`/sessions/${encodeURIComponent(run.id)}/cancel`, { method: 'POST' });
        if (!response.ok && response.status !== 409) throw new Error(`HTTP ${response.status}`);
      } catch (err) {
        // Signed out: the button stays, to be pressed again once signed in.
        if (!(err instanceof SignInNeeded)) systemLine(`Could not cancel: ${err.message}`, null, 'error');
        button.disabled = false;
      } finally {
        button.textContent = 'Cancel run';
      }
    });
    $('new-upload').addEventListener('click', () => {
      if (state.run && state.run.source) state.run.source.close();
      state.run = null;
      state.files = [];
      state.touched.clear();
      state.serverErrors = [];
      $('run').hidden = true;
      $('upload-form').hidden = false;
      setFormLocked(false);
      document.title = 'Labdesk — upload a dataset';
      history.replaceState(null, '', `${location.pathname}${location.search}`);
      showFormError('');
      renderFiles();
      refresh();
      $('name').focus();
    });
  }

  // --- A small, safe Markdown renderer (headings, paragraphs, lists, tables, code, quotes, figures) -----
  // It builds DOM nodes; the report's text never passes through innerHTML. `base` is the report's own URL
  // with a trailing slash: the report's figures (figures/<name>.png) load from the route beneath it, with
  // the page's cookie; an image anywhere else is shown as its alt text, never fetched.
  function renderMarkdown(source, base) {
    const lines = source.replace(/\r\n?/g, '\n').split('\n');
    const out = [];
    let i = 0;
    const isTableSep = (line) => /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/.test(line);
    // Cells split on pipes that are not escaped; "\|" inside a cell is a literal pipe.
    const cells = (line) => line.trim().replace(/^\|/, '').replace(/(^|[^\\])\|$/, '$1')
      .split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'));
    const alignments = (line) => cells(line).map((c) => c.endsWith(':') ? (c.startsWith(':') ? 'center' : 'right') : '');
    const cell = (tag, text, align) => el(tag, align ? { class: `align-${align}` } : {}, ...inline(text));
    while (i < lines.length) {
      const line = lines[i];
      let m;
      if (/^\s*$/.test(line)) { i++; continue; }
      if ((m = line.match(/^\s*(`{3,}|~{3,})\s*([\w+-]*)/))) {
        const fence = m[1];
        const body = [];
        for (i++; i < lines.length && !lines[i].trimStart().startsWith(fence); i++) body.push(lines[i]);
        i++;
        out.push(el('pre', {}, el('code', { text: body.join('\n') })));
        continue;
      }
      if ((m = line.match(/^(#{1,6})\s+(.*?)\s*#*\s*$/))) {
        out.push(el(`h${Math.min(6, m[1].length + 1)}`, {}, ...inline(m[2])));
        i++;
        continue;
      }
      if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) { out.push(el('hr')); i++; continue; }
      if (line.includes('|') && i + 1 < lines.length && isTableSep(lines[i + 1])) {
        const head = cells(line);
        const align = alignments(lines[i + 1]);
        const table = el('table', {}, el('thead', {}, el('tr', {}, ...head.map((c, k) => cell('th', c, align[k])))));
        const tbody = el('tbody');
        for (i += 2; i < lines.length && lines[i].includes('|') && !/^\s*$/.test(lines[i]); i++)
          tbody.append(el('tr', {}, ...cells(lines[i]).map((c, k) => cell('td', c, align[k]))));
        table.append(tbody);
        out.push(el('div', { class: 'table-wrap' }, table));
        continue;
      }
      if (/^\s*>/.test(line)) {
        const body = [];
        for (; i < lines.length && /^\s*>/.test(lines[i]); i++) body.push(lines[i].replace(/^\s*>\s?/, ''));
        out.push(el('blockquote', {}, ...renderMarkdown(body.join('\n'), base)));
        continue;
      }
      if ((m = line.match(/^\s*([-*+]|\d+[.)])\s+/))) {
        const ordered = /\d/.test(m[1]);
        const list = el(ordered ? 'ol' : 'ul');
        for (; i < lines.length; i++) {
          const item = lines[i].match(/^\s*([-*+]|\d+[.)])\s+(.*)$/);
          if (item && /\d/.test(item[1]) === ordered) list.append(el('li', {}, ...inline(item[2])));
          else if (!item && /^\s{2,}\S/.test(lines[i]) && list.lastElementChild) list.lastElementChild.append(' ', ...inline(lines[i].trim()));
          else break;
        }
        out.push(list);
        continue;
      }
      if ((m = line.match(/^\s*!\[([^\]]*)\]\(([^)\s]+)\)\s*$/))) {
        // figures in a row of paragraphs sit side by side where the page is wide enough
        const previous = out[out.length - 1];
        if (previous && previous.classList.contains('report-figures')) previous.append(figure(m[1], m[2], base));
        else out.push(el('div', { class: 'report-figures' }, figure(m[1], m[2], base)));
        i++;
        continue;
      }
      const para = [];
      for (; i < lines.length && !/^\s*$/.test(lines[i]) && !/^(#{1,6}\s|\s*(`{3,}|~{3,})|\s*>|\s*([-*+]|\d+[.)])\s)/.test(lines[i])
        && !(lines[i].includes('|') && i + 1 < lines.length && isTableSep(lines[i + 1])); i++) para.push(lines[i].trim());
      out.push(el('p', {}, ...inline(para.join(' '))));
    }
    return out;
  }

  /** A figure of the report, full width up to its own size, linked to its SVG; any other image is its alt text. */
  function figure(alt, src, base) {
    const m = /^figures\/([a-z0-9]+(?:-[a-z0-9]+)*)\.(png|svg)$/.exec(src);
    if (!m || !base) return el('span', { class: 'figure-missing', text: alt ? `[image: ${alt}]` : '[image]' });
    const img = el('img', { src: `${base}figures/${m[1]}.${m[2]}`, alt, decoding: 'async', loading: 'lazy' });
    // The PNG has two pixels per CSS pixel: shown no wider than the chart was drawn.
    img.addEventListener('load', () => {
      if (m[2] !== 'png') return;
      img.style.maxWidth = `${img.naturalWidth / 2}px`;
      const box = img.closest('figure');
      if (box) box.style.maxWidth = img.style.maxWidth; // a narrow chart's neighbour sits next to it, not a gap away
    });
    img.addEventListener('error', () => img.replaceWith(el('span', { class: 'figure-missing', text: `[figure not available: ${alt}]` })));
    const link = el('a', { href: `${base}figures/${m[1]}.svg`, target: '_blank', rel: 'noopener noreferrer', title: 'Open the chart as SVG' }, img);
    return el('figure', { class: 'report-figure' }, link);
  }

  /** Inline code, bold, italics and links whose target is http(s) or relative; everything else is text. */
  function inline(text) {
    const nodes = [];
    const pattern = /(`+)([^`]+?)\1|\*\*(.+?)\*\*|__(.+?)__|\*([^*\s][^*]*?)\*|\[([^\]]+)\]\(([^)\s]+)\)|\\([\\`*_{}[\]()#+\-.!|>])/g;
    let last = 0, m;
    while ((m = pattern.exec(text))) {
      if (m.index > last) nodes.push(document.createTextNode(text.slice(last, m.index)));
      if (m[8] !== undefined) nodes.push(document.createTextNode(m[8]));
      else if (m[2] !== undefined) nodes.push(el('code', { text: m[2] }));
      else if (m[3] !== undefined || m[4] !== undefined) nodes.push(el('strong', {}, ...inline(m[3] ?? m[4])));
      else if (m[5] !== undefined) nodes.push(el('em', {}, ...inline(m[5])));
      else {
        const href = m[7];
        const safe = /^(https?:\/\/|\/|#|\.{0,2}\/)/i.test(href) || !/^[a-z][a-z0-9+.-]*:/i.test(href);
        nodes.push(safe ? el('a', { href, text: m[6], rel: 'noopener noreferrer' }) : document.createTextNode(m[0]));
      }
      last = pattern.lastIndex;
    }
    if (last < text.length) nodes.push(document.createTextNode(text.slice(last)));
    return nodes;
  }

  // --- Signing in ---------------------------------------------------------------------------------
  // The worker's session cookie is HttpOnly: the page never sees the key after sending it once,
  // and every same-origin fetch, upload and EventSource carries the cookie by itself.
  class SignInNeeded extends Error {}
  const auth = {
    resume: new Map(),   // what to do again once signed in, by name, so a retried action is queued once
    title: null,         // the page's title while the sign-in form covers it
  };

  /** fetch, but a 401 shows the sign-in form and throws SignInNeeded for the caller to queue a retry. */
  async function api(url, options) {
    const response = await fetch(url, options);
    if (response.status === 401) { showSignIn(); throw new SignInNeeded('sign in first'); }
    return response;
  }

  /** Who the worker thinks we are: {state: 'signed-in' | 'signed-out' | 'open' | 'unreachable', me}. */
  async function whoAmI() {
    try {
      const response = await fetch('/auth/me', { headers: { Accept: 'application/json' } });
      if (response.status === 401) return { state: 'signed-out' };
      if (!response.ok) return { state: 'open' }; // a worker without sign-in routes lets everyone in
      const me = await response.json();
      return { state: me.auth === 'none' ? 'open' : 'signed-in', me };
    } catch {
      return { state: 'unreachable' };
    }
  }

  /** Queues `retry` and shows the sign-in form. */
  function needSignIn(name, retry) {
    auth.resume.set(name, retry);
    showSignIn();
  }

  /** After a failure that may have been a 401 in disguise: true (and the form shown) when it was. */
  async function signInNeeded(name, retry) {
    if ((await whoAmI()).state !== 'signed-out') return false;
    needSignIn(name, retry);
    return true;
  }

  function showSignIn(message = '') {
    const wasOut = document.body.dataset.auth === 'signed-out';
    document.body.dataset.auth = 'signed-out';
    $('account').hidden = true;
    $('signin').hidden = false;
    showSignInError(message);
    if (!wasOut) {
      auth.title = document.title;
      document.title = 'Sign in — Labdesk';
      $('signin-key').focus();
    }
  }

  function showSignInError(text) {
    $('signin-error').textContent = text;
    $('signin-error').hidden = !text;
    $('signin-key').setAttribute('aria-invalid', text ? 'true' : 'false');
  }

  /** Shows the page as the worker's answer says, and runs what waited for a sign-in. */
  function showSignedIn(who) {
    const wasOut = document.body.dataset.auth === 'signed-out';
    document.body.dataset.auth = who.state === 'signed-in' ? 'signed-in' : 'open';
    $('signin').hidden = true;
    showSignInError('');
    $('account').hidden = who.state !== 'signed-in';
    $('account-user').textContent = who.me ? String(who.me.user_id || '') : '';
    if (wasOut && auth.title !== null) document.title = auth.title;
    // Focus was on the form that just went away: hand it to the page's first field.
    if (wasOut && !$('upload-form').hidden) $('name').focus();
    // A signed-in caller is told more by /health (its dependencies) than the anonymous one was.
    if (wasOut) showHealth();
    const waiting = [...auth.resume.values()];
    auth.resume.clear();
    for (const retry of waiting) retry();
  }

  async function signIn(event) {
    event.preventDefault();
    const input = $('signin-key'), button = $('signin-button');
    const key = input.value.trim();
    if (!key) { showSignInError('Enter the key.'); input.focus(); return; }
    button.disabled = true;
    button.textContent = 'Signing in…';
    try {
      const response = await fetch('/auth/login', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json, application/problem+json' },
        body: JSON.stringify({ token: key }),
      });
      if (!response.ok) {
        let detail = '';
        try { const body = await response.json(); detail = body.detail || body.title || ''; } catch { /* not JSON */ }
        showSignInError(response.status === 401 ? 'That key is not valid.'
          : `Sign-in failed (HTTP ${response.status}${detail ? ': ' + detail : ''}).`);
        input.select();
        return;
      }
      input.value = '';
      const who = await whoAmI();
      if (who.state === 'signed-out') showSignInError('The worker accepted the key, but this browser did not keep its cookie: are cookies blocked for this site?');
      else showSignedIn(who);
    } catch {
      showSignInError('The worker could not be reached. Is it still running?');
    } finally {
      button.disabled = false;
      button.textContent = 'Sign in';
    }
  }

  async function signOut() {
    if (state.run && state.run.source) state.run.source.close();
    try { await fetch('/auth/logout', { method: 'POST' }); } catch { /* the reload below shows where we stand */ }
    // A fresh page: nothing of the last user's form or run stays behind the sign-in form.
    location.replace(`${location.pathname}${location.search}`);
  }

  function setupAuth() {
    $('signin-form').addEventListener('submit', signIn);
    $('signin-key').addEventListener('input', () => showSignInError(''));
    $('sign-out').addEventListener('click', signOut);
  }

  /** First thing on load: ask who we are, then pick up a run named in the address. */
  async function start() {
    // The worker sends a sign-in link with a bad key here; the mark is dropped so a reload doesn't repeat it.
    const linkFailed = location.hash === '#signin-failed';
    if (linkFailed) history.replaceState(null, '', `${location.pathname}${location.search}`);
    const who = await whoAmI();
    if (who.state === 'signed-out') {
      showSignIn(linkFailed ? "That link's key is not valid. Enter the key below." : '');
      auth.resume.set('address', resumeFromAddress);
      return;
    }
    showSignedIn(who);
    resumeFromAddress();
  }

  // --- Worker health in the footer ----------------------------------------------------------------
  async function showHealth() {
    const footer = $('health');
    try {
      const response = await fetch('/health', { headers: { Accept: 'application/json' } });
      const health = await response.json();
      const items = [el('span', { class: `dep ${response.ok ? 'ok' : 'down'}`, text: `Worker ${health.version || ''} · ${health.status || 'HTTP ' + response.status}` })];
      for (const [name, dep] of Object.entries(health.dependencies || {})) {
        const detail = String((dep && dep.detail) || '');
        const status = String((dep && dep.status) || 'unknown');
        // The short form ("local", "offline mode", "process") fits a footer; the rest is the tooltip.
        const short = detail.includes(':') ? detail.slice(0, detail.indexOf(':')) : status === 'disabled' ? 'off' : detail || status;
        items.push(el('span', { class: `dep ${status}`, text: `${name}: ${short}`, title: detail ? `${status}: ${detail}` : status }));
      }
      footer.replaceChildren(...items);
      footer.dataset.status = response.ok ? 'ok' : 'down';
    } catch {
      footer.textContent = 'Worker health unknown (GET /health did not answer)';
      footer.dataset.status = 'down';
    }
  }

  /** After a reload (or from a shared link) #session=ID shows that run again: its stream replays from the start. */
  async function resumeFromAddress() {
    const m = location.hash.match(/^#session=([A-Za-z0-9-]{1,64})$/);
    if (!m) return;
    try {
      const response = await api(`/sessions/${m[1]}`, { headers: { Accept: 'application/json' } });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const info = await response.json();
      startRun({
        session_id: info.session_id, volume: info.volume, files: info.files, bytes: info.bytes,
        stream_url: `/sessions/${encodeURIComponent(info.session_id)}/events`,
      }, (info.context && info.context.name) || 'Analysis');
    } catch (err) {
      if (err instanceof SignInNeeded) { needSignIn('address', resumeFromAddress); return; }
      history.replaceState(null, '', `${location.pathname}${location.search}`);
      showFormError(`The session in the address could not be opened (${err.message}); start a new upload.`);
    }
  }

  setupAuth();
  setupDropZone();
  setupForm();
  setupRun();
  renderFiles();
  refresh();
  showHealth();
  start();
})();

// tus-js-client (Node) uploading one planned file in one PATCH (its default chunk size), with retry
// delays long enough to outlast a worker restart. Args: tus endpoint, upload_id, path, file. Logs every
// request with its Upload-Offset and the response's, then prints one JSON line. Run by TusResumeAcrossRestartTest.
const fs = require('fs');
const tus = require('tus-js-client');

const [endpoint, uploadId, path, file] = process.argv.slice(2);
const data = fs.readFileSync(file);
const started = Date.now();
const errors = [];
const requests = [];
const upload = new tus.Upload(data, {
  endpoint,
  metadata: { upload_id: uploadId, path },
  retryDelays: [0, 500, 1000, 2000, 3000, 3000, 3000, 3000, 3000, 3000, 3000, 3000, 3000, 3000, 3000, 3000],
  onShouldRetry: (err, attempt, options) => {
    errors.push(`${attempt}: ${err.message.split('\n')[0]}`);
    return tus.defaultOptions.onShouldRetry(err, attempt, options); // the stock rule, only recorded
  },
  onAfterResponse: (req, res) => {
    requests.push({ method: req.getMethod(), status: res.getStatus(),
      sent: req.getHeader('Upload-Offset') ?? null, offset: res.getHeader('Upload-Offset') ?? null });
  },
  onError: (err) => { console.log(JSON.stringify({ ok: false, error: String(err), errors, requests, ms: Date.now() - started })); process.exit(0); },
  onSuccess: () => { console.log(JSON.stringify({ ok: true, url: upload.url, errors, requests, ms: Date.now() - started })); process.exit(0); },
});
upload.start();
